#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the library, the tools and the tests with another compiler or C
# library, warnings as errors, and runs the unit and e2e tests there:
#   clang           clang instead of gcc
#   clang-sanitize  clang with IOP_SANITIZE (ASan + UBSan; a report is exit 86)
#   musl            musl-gcc (Debian's musl-tools): first a user's plain build
#                   (CC=musl-gcc cmake, nothing else), then the tests' build,
#                   configured the same way, against a cmocka built with
#                   musl-gcc from Debian's cmocka source package
# Under CI a missing compiler is a failure; elsewhere a skip (77).
#   usage: compilers.sh MODE SOURCE_DIR WORK_DIR
set -u
mode=$1 src=$2 work=$3
mkdir -p "$work"
skip() {
  echo "SKIP $mode: $1"
  [ -z "${CI:-}" ] || exit 1
  exit 77
}
flags=(-DIOP_WERROR=ON -DIOP_SLOW_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug)
case $mode in
  clang|clang-sanitize)
    command -v clang >/dev/null || skip "clang not installed (scripts/install-deps.sh)"
    flags+=(-DCMAKE_C_COMPILER=clang)
    [ "$mode" = clang-sanitize ] && flags+=(-DIOP_SANITIZE=ON)
    ;;
  musl)
    command -v musl-gcc >/dev/null || skip "musl-gcc not installed (musl-tools; scripts/install-deps.sh)"
    # a user's build, exactly: CC=musl-gcc, no flags, no help with headers
    # (what needs the kernel's finds them, or is left out and says so)
    plain=$work/plain
    rm -rf "$plain"
    (cd "$work" && CC=musl-gcc cmake -S "$src" -B "$plain") >"$work/plain.log" 2>&1 &&
      CMAKE_BUILD_PARALLEL_LEVEL=2 cmake --build "$plain" >>"$work/plain.log" 2>&1 ||
      { grep -E 'error|warning|Error' "$work/plain.log" | head -40; echo "FAIL musl: CC=musl-gcc cmake -S . -B b && cmake --build b"; exit 1; }
    readelf -l "$plain/iopstat/iopstat" | grep -q 'ld-musl' ||
      { echo "FAIL musl: the plain build's iopstat is not linked against musl"; exit 1; }
    # the architecture self-check, if built, with musl's numbers and the table
    if [ -x "$plain/tests/selfcheck_libc" ]; then
      "$plain/tests/selfcheck_libc" && "$plain/tests/selfcheck_table" ||
        { echo "FAIL musl: the architecture self-check"; exit 1; }
    else
      grep -q 'Kernel headers: not found' "$work/plain.log" ||
        { echo "FAIL musl: no self-check built, and configure did not say why"; exit 1; }
    fi
    rm -rf "$plain"
    # cmocka for musl: Debian's libcmocka is built against glibc
    cm=$work/cmocka
    if [ ! -f "$cm/lib/libcmocka-static.a" ]; then
      bash "$src/scripts/fetch-source.sh" cmocka "$cm/src" >"$work/cmocka.log" 2>&1 ||
        { cat "$work/cmocka.log"; skip "cannot fetch Debian's cmocka source"; }
      top=$(find "$cm/src" -maxdepth 2 -name CMakeLists.txt -path '*cmocka*' -printf '%h\n' | head -1)
      cmake -S "$top" -B "$cm/build" -DCMAKE_C_COMPILER=musl-gcc -DWITH_STATIC_LIB=ON \
        -DUNIT_TESTING=OFF -DWITH_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release >>"$work/cmocka.log" 2>&1 &&
        cmake --build "$cm/build" -j2 >>"$work/cmocka.log" 2>&1 ||
        { cat "$work/cmocka.log"; echo "FAIL musl: cmocka does not build with musl-gcc"; exit 1; }
      mkdir -p "$cm/lib" "$cm/include"
      cp "$cm/build/src/libcmocka-static.a" "$cm/lib/"
      cp "$top/include/cmocka.h" "$cm/include/"
    fi
    # the tests' build is configured as the user's was (CC, no CFLAGS)
    export CC=musl-gcc
    unset CFLAGS
    export IOP_TEST_LIBC=musl
    flags+=(-DCMOCKA_INCLUDE_DIR="$cm/include" -DCMOCKA_LIBRARY="$cm/lib/libcmocka-static.a")
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
bin=$work/build
cmake -S "$src" -B "$bin" "${flags[@]}" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; echo "FAIL $mode: configure"; exit 1; }
cmake --build "$bin" -j2 >"$work/build.log" 2>&1 ||
  { grep -E 'error|warning' "$work/build.log" | head -40; echo "FAIL $mode: build"; exit 1; }
# the unit tests must be there: a build that found no cmocka runs none
[ "$(ctest --test-dir "$bin" -N -L unit | sed -n 's/^Total Tests: //p')" -gt 0 ] ||
  { echo "FAIL $mode: no unit tests were built (cmocka not found)"; exit 1; }
if [ "$mode" = musl ]; then # it really is musl's
  readelf -l "$bin/iopstat/iopstat" | grep -q 'ld-musl' ||
    { echo "FAIL musl: iopstat is not linked against musl"; exit 1; }
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
export LSAN_OPTIONS=exitcode=86
ctest --test-dir "$bin" --output-on-failure -L 'unit|e2e'
