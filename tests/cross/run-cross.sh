#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cross-builds tests/cross/selfcheck.c with libioprio for one architecture and
# runs it under qemu-user, once with libc's syscall numbers and once with the
# library's own table.  Exit 77 (skipped) only when the cross compiler or qemu
# is not installed (scripts/install-deps.sh installs them); under CI that is a
# failure instead.
#   usage: run-cross.sh ARCH SOURCE_DIR WORK_DIR     ARCH: i686 powerpc aarch64 armhf
set -u
arch=$1 src=$2 work=$3
case $arch in
  i686) cc=i686-linux-gnu-gcc qemu=qemu-i386 ;;
  powerpc) cc=powerpc-linux-gnu-gcc qemu=qemu-ppc ;;
  aarch64) cc=aarch64-linux-gnu-gcc qemu=qemu-aarch64 ;;
  armhf) cc=arm-linux-gnueabihf-gcc qemu=qemu-arm ;;
  *) echo "unknown architecture $arch" >&2; exit 2 ;;
esac
for tool in "$cc" "$qemu"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP cross $arch: $tool not installed (run scripts/install-deps.sh as root)"
    [ -z "${CI:-}" ] || exit 1 # CI installs them: missing there is a failure
    exit 77
  fi
done
mkdir -p "$work"
# the version header CMake generates, made here the same way
version=$(sed -n 's/^project(ioprio-utils VERSION \([0-9]*\)\.\([0-9]*\)\.\([0-9]*\).*/\1 \2 \3/p' "$src/CMakeLists.txt")
read -r major minor patch <<<"$version"
sed -e "s/@PROJECT_VERSION_MAJOR@/$major/" -e "s/@PROJECT_VERSION_MINOR@/$minor/" \
    -e "s/@PROJECT_VERSION_PATCH@/$patch/" "$src/lib/libioprio/include/libioprio_version.h.in" >"$work/libioprio_version.h"
status=0
for mode in libc table; do
  defs=()
  [ "$mode" = table ] && defs=(-DIOP_FORCE_ARCH_TABLE)
  bin="$work/selfcheck-$arch-$mode"
  if ! "$cc" -std=c11 -O2 -Wall -Wextra -Werror -static "${defs[@]}" \
      -I"$src/lib/libioprio/include" -I"$src/lib/libioprio/src" -I"$work" \
      "$src/tests/cross/selfcheck.c" "$src/lib/libioprio/src/ioprio.c" "$src/lib/libioprio/src/sys.c" \
      -o "$bin" 2>"$work/cc-$mode.log"; then
    if grep -q 'No such file' "$work/cc-$mode.log"; then
      echo "SKIP cross $arch: $cc has no C library (libc6-dev-*-cross missing)"
      cat "$work/cc-$mode.log"
      [ -z "${CI:-}" ] || exit 1
      exit 77
    fi
    echo "FAIL cross $arch ($mode): does not compile"; cat "$work/cc-$mode.log"
    exit 1
  fi
  file_info=$(file -b "$bin" 2>/dev/null || true)
  [ -n "$file_info" ] && echo "$arch ($mode): $file_info"
  "$qemu" "$bin" || status=1
done
exit $status
