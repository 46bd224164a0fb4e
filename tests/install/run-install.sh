#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the build into a staging prefix, checks what was installed and
# what the shared library exports, then builds and runs a consumer program
# through pkg-config and through find_package(ioprio), shared and static.
#   usage: run-install.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -u
src=$1 build=$2 work=$3
fail() { echo "FAIL install: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
stage=$work/stage
cmake --install "$build" --prefix "$stage" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install"; }

# nothing lands outside the prefix it was given
outside=$(grep -v "^$stage/" "$build/install_manifest.txt")
[ -z "$outside" ] || fail "installed outside the prefix: $outside"

libdir=$(dirname "$(find "$stage" -name libioprio.pc -printf '%h')")
[ -d "$libdir" ] || fail "no libioprio.pc installed"
for f in "$stage/include/libioprio.h" "$stage/include/libioprio_version.h" "$libdir/libioprio.a" "$libdir/libioprio.so" \
         "$libdir/cmake/ioprio/ioprioConfig.cmake" "$libdir/cmake/ioprio/ioprioConfigVersion.cmake" \
         "$stage/share/man/man3/libioprio.3" "$stage/bin/ionice" "$stage/share/man/man1/ionice.1" \
         "$stage/share/bash-completion/completions/ionice" "$stage/bin/iopstat" \
         "$stage/share/man/man1/iopstat.1" "$stage/bin/ioprio-get" "$stage/share/man/man1/ioprio-get.1" \
         "$stage/share/bash-completion/completions/ioprio-get"; do
  [ -e "$f" ] || fail "missing $f"
done
for fn in $(sed -n 's/^[[:space:]]*\(iop_[a-z_]*\);/\1/p' "$src/lib/libioprio/libioprio.map"); do
  [ "$(cat "$stage/share/man/man3/$fn.3" 2>/dev/null)" = ".so man3/libioprio.3" ] ||
    fail "man $fn does not open the library's page"
done
grep -qx "ExecStart=$stage/bin/iopstat .*" "$stage/lib/systemd/system/iopstat-textfile.service" ||
  fail "the service does not run the installed iopstat"
[ -e "$stage/lib/systemd/system/iopstat-textfile.timer" ] || fail "no timer installed"
for f in iopstat-rules.yml iopstat-alerts.yml iopstat-dashboard.json; do
  cmp -s "$src/iopstat/prometheus/$f" "$stage/share/ioprio-utils/prometheus/$f" ||
    fail "the Prometheus file $f is not installed in share/ioprio-utils/prometheus"
done
[ ! -e "$stage/include/internal.h" ] && [ ! -e "$stage/include/cli.h" ] || fail "a private header was installed"
[ -z "$(find "$stage" -name 'libiopcli*')" ] || fail "the internal CLI helper library was installed"
"$stage/bin/ionice" -V | grep -q 'ioprio-utils' || fail "installed ionice does not run"
"$stage/bin/iopstat" -p $$ --format csv -n -o pid | grep -qx "$$" || fail "installed iopstat does not run"
"$stage/bin/ioprio-get" -r -n -o PID $$ | grep -qx "$$" || fail "installed ioprio-get does not run"
[ -z "$(find "$stage" -name '*bench*')" ] || fail "the benchmark was installed"

so=$(readlink -f "$libdir/libioprio.so")
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libioprio.so.0 ] || fail "SONAME is '$soname', want libioprio.so.0"
[ -e "$libdir/$soname" ] || fail "no $soname link"

# The dynamic symbol table holds the public API and nothing else.
want=$(sed -n 's/^[[:space:]]*\(iop_[a-z_]*\);/\1/p' "$src/lib/libioprio/libioprio.map" | sort)
got=$(nm -D --defined-only "$so" | awk '$2 != "A" {sub(/@.*/, "", $3); print $3}' | sort)
if [ "$want" != "$got" ]; then
  diff <(echo "$want") <(echo "$got")
  fail "exported symbols differ from lib/libioprio/libioprio.map (< map, > library)"
fi
hdr=$(grep -o '^IOP_API [^(]*(' "$src/lib/libioprio/include/libioprio.h" | sed 's/.*[ *]\([a-z_]*\)($/\1/' | sort)
[ "$hdr" = "$want" ] || { diff <(echo "$hdr") <(echo "$want"); fail "header and map disagree"; }
# each symbol carries the version node the map puts it in, so programs
# linked against an older minor keep running against this one
want_nodes=$(awk '/^LIBIOPRIO_[0-9.]+ *\{/ {node = $1} /^[[:space:]]*iop_[a-z_]+;/ {sub(/;.*/, ""); gsub(/[[:space:]]/, ""); print $0 "@@" node}' \
  "$src/lib/libioprio/libioprio.map" | sort)
got_nodes=$(nm -D --defined-only "$so" | awk '$2 != "A" {print $3}' | sort)
[ "$want_nodes" = "$got_nodes" ] || { diff <(echo "$want_nodes") <(echo "$got_nodes"); fail "symbol versions differ from the map"; }
echo "exports: $(echo "$got" | wc -l) symbols, all public, versions $(nm -D "$so" | awk '$2=="A"{print $3}' | tr '\n' ' ')"

# pkg-config, shared and static
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc=${CC:-cc}
$cc -Wall -Wextra -Werror "$src/tests/install/consumer.c" $(pkg-config --cflags --libs libioprio) \
  -o "$work/pc_shared" || fail "pkg-config shared build"
LD_LIBRARY_PATH=$libdir "$work/pc_shared" || fail "pkg-config shared run"
[ "$(pkg-config --modversion libioprio)" = "$(sed -n 's/^project(ioprio-utils VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")" ] ||
  fail "pkg-config version"
$cc -Wall -Wextra -Werror $(pkg-config --cflags libioprio) "$src/tests/install/consumer.c" \
  "$(pkg-config --variable=libdir libioprio)/libioprio.a" -o "$work/pc_static" || fail "static build"
"$work/pc_static" || fail "static run"
readelf -d "$work/pc_static" | grep -q 'NEEDED.*libioprio' && fail "static consumer needs the .so"

# find_package, shared and static
version=$(sed -n 's/^project(ioprio-utils VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
cmake -S "$src/tests/install" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$stage" -DIOP_WANT_VERSION="$version" \
  >"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "find_package configure"; }
cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "find_package build"; }
"$work/consumer/consumer_shared" || fail "find_package shared run"
ldd "$work/consumer/consumer_shared" | grep -q "$stage" || fail "shared consumer does not use the staged library"
"$work/consumer/consumer_static" || fail "find_package static run"
readelf -d "$work/consumer/consumer_static" | grep -q 'NEEDED.*libioprio' && fail "static consumer needs the .so"
# The .pc file: absolute, normal paths from the install's prefix
grep -q '/\.\./\|/\./' "$libdir/pkgconfig/libioprio.pc" && fail ".pc paths are not normalised"
[ "$(pkg-config --variable=includedir libioprio)" = "$stage/include" ] || fail ".pc includedir"

# One version: the project's, in the header, the man pages, --version, the
# library, pkg-config and the CMake package
version=$(sed -n 's/^project(ioprio-utils VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
hdr=$(awk '/#define IOP_VERSION_(MAJOR|MINOR|PATCH)/ {v = v (v == "" ? "" : ".") $3} END {print v}' \
  "$stage/include/libioprio_version.h")
[ "$hdr" = "$version" ] || fail "header version $hdr, project $version"
for page in "$stage"/share/man/man1/*.1 "$stage/share/man/man3/libioprio.3"; do
  grep -q "^\.TH .* \"ioprio-utils $version\"" "$page" || fail "$page: version is not $version"
done
for tool in ionice iopstat ioprio-get; do
  [ "$("$stage/bin/$tool" -V)" = "$tool from ioprio-utils $version" ] || fail "$tool -V"
done
LD_LIBRARY_PATH=$libdir "$work/pc_shared" | grep -q "libioprio $version," || fail "iop_version()"
grep -q "PACKAGE_VERSION \"$version\"" "$libdir/cmake/ioprio/ioprioConfigVersion.cmake" ||
  fail "CMake package version"
grep -q 'SameMinorVersion\|CVF_VERSION_MINOR' "$libdir/cmake/ioprio/ioprioConfigVersion.cmake" ||
  fail "the 0.x CMake package does not declare SameMinorVersion"

# Beside util-linux: with IOP_INSTALL_IONICE=OFF, no path util-linux owns
# is installed; with IOP_IONICE_NAME, ionice comes under that name.
owned=$( { dpkg -L util-linux bash-completion 2>/dev/null
  printf '%s\n' /usr/bin/ionice /usr/share/man/man1/ionice.1.gz /usr/share/bash-completion/completions/ionice; } |
  grep '^/' | sed 's/\.gz$//' | sort -u)
for variant in "off -DIOP_INSTALL_IONICE=OFF" "renamed -DIOP_IONICE_NAME=ioprio-ionice"; do
  name=${variant%% *} flag=${variant#* }
  cmake -S "$src" -B "$work/b-$name" -DBUILD_TESTING=OFF "$flag" >"$work/b-$name.log" 2>&1 &&
    cmake --build "$work/b-$name" -j2 >>"$work/b-$name.log" 2>&1 &&
    DESTDIR="$work/d-$name" cmake --install "$work/b-$name" --prefix /usr >>"$work/b-$name.log" 2>&1 ||
    { cat "$work/b-$name.log"; fail "$name install"; }
  mine=$(cd "$work/d-$name" && find . ! -type d | sed 's/^\.//' | sort)
  clash=$(comm -12 <(echo "$owned") <(echo "$mine"))
  [ -z "$clash" ] || fail "the $name install has paths util-linux owns: $clash"
done
for f in bin/ioprio-ionice share/man/man1/ioprio-ionice.1 share/bash-completion/completions/ioprio-ionice; do
  [ -e "$work/d-renamed/usr/$f" ] || fail "renamed install lacks $f"
done
grep -q 'complete -F _ionice ioprio-ionice$' "$work/d-renamed/usr/share/bash-completion/completions/ioprio-ionice" ||
  fail "the renamed completion is not registered for ioprio-ionice"
[ -z "$(find "$work/d-off" -name '*ionice*')" ] || fail "IOP_INSTALL_IONICE=OFF installed an ionice"
echo "install: 1 passed, 0 failed"
