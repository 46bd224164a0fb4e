#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates tests/expected/* from the golden cases (tests/golden/cases),
# for review: read `git diff tests/expected` before committing it.  Builds
# first; needs root, as the golden test does.
#   usage: scripts/update-expected.sh [BUILD_DIR]      (default: build)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cmake -S "$top" -B "$build" >/dev/null
cmake --build "$build" -j2 --target iopstat ioprio-get >/dev/null
bash "$top/tests/golden/run-golden.sh" --update "$top" "$build/iopstat/iopstat" "$build/ioprio-get/ioprio-get"
echo "updated: review with 'git diff $top/tests/expected'"
