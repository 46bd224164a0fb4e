#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what the full test run needs and a fresh Debian machine lacks:
# cmocka (unit tests), valgrind, strace (delays a write so a signal lands in
# it), nss_wrapper (a fake user for ionice -u NAME tests, so no real account
# is touched), clang with libFuzzer (fuzz targets and the clang builds),
# musl-tools (the musl build; cmocka for it comes from Debian's source
# package, unpacked with xz-utils), prometheus (promtool checks every
# Prometheus output the tests make and the shipped rules; the server runs on
# loopback for the fleet test) and prometheus-node-exporter (started by
# tests on loopback, as the real reader of iopstat's textfiles), sysstat and
# iotop (what the benchmark measures iopstat against), jq (the examples pipe
# JSON into it), and the
# i686/powerpc/aarch64/armhf cross
# compilers with qemu-user (cross-architecture round trips).  Needs root and
# apt-get; otherwise it says what is missing, and the tests that need it skip
# with that reason (outside CI).
set -u

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in libcmocka-dev pkg-config valgrind strace libnss-wrapper clang libclang-rt-14-dev \
         gcc-i686-linux-gnu gcc-powerpc-linux-gnu gcc-aarch64-linux-gnu \
         gcc-arm-linux-gnueabihf musl-tools xz-utils prometheus prometheus-node-exporter sysstat iotop jq libc6-dev-i386-cross libc6-dev-powerpc-cross \
         libc6-dev-arm64-cross libc6-dev-armhf-cross qemu-user; do
  have_pkg "$p" || need+=("$p")
done

if [ ${#need[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: no apt-get here; install by hand: ${need[*]}" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: not root; install by hand: ${need[*]}" >&2
  exit 0
fi

echo "install-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || echo "install-deps: apt-get update failed" >&2
# Install one at a time so one unavailable package does not block the rest.
for p in "${need[@]}"; do
  apt-get install -y -q --no-install-recommends "$p" >/dev/null 2>&1 ||
    echo "install-deps: could not install $p (tests needing it will skip)" >&2
done
exit 0
