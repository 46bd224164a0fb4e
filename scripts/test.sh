#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The full test run, as README.md shows it and as CI runs it: install what is
# missing (when root), configure with warnings as errors, build, and run every
# test (unit, e2e on the real kernel, cross-architecture under qemu-user,
# ASan+UBSan, valgrind, install).
#   usage: scripts/test.sh [BUILD_DIR]      (default: build)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
bash "$top/scripts/install-deps.sh"
cmake -S "$top" -B "$build" -DIOP_WERROR=ON
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
