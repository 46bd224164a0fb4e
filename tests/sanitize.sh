#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the project with AddressSanitizer + UndefinedBehaviorSanitizer in a
# build directory of its own and runs the unit, e2e and native arch tests there.
# A report ends the program with exit status 86, never 1: the e2e scripts
# expect 1 for bad input, and tests/lib.sh counts 86 (or a report's text on
# stderr) as a failure whatever the test expected.
#   usage: sanitize.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 bin=$2
cmake -S "$src" -B "$bin" -DIOP_SANITIZE=ON -DIOP_SLOW_TESTS=OFF -DIOP_WERROR=ON \
  -DCMAKE_BUILD_TYPE=Debug >"$bin.configure.log" 2>&1 || { cat "$bin.configure.log"; exit 1; }
cmake --build "$bin" -j2 >"$bin.build.log" 2>&1 || { cat "$bin.build.log"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
export LSAN_OPTIONS=exitcode=86
ctest --test-dir "$bin" --output-on-failure -L 'unit|e2e|arch'
