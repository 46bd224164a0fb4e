#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a test script with a tool replaced by a wrapper that runs it under
# valgrind: any memory error or leak makes that call exit 99, and prints
# only errors (a "possibly lost" block of a run ended by a signal is none),
# so tests/lib.sh counts any valgrind line on stderr as a failure.  The
# wrapper has the tool's name, so messages and version lines read the same.
#   usage: valgrind-wrap.sh TOOL WORK_DIR SCRIPT ARG...   (@TOOL@ in ARGs = the wrapper)
set -eu
tool=$(realpath "$1") work=$2 script=$3
shift 3
mkdir -p "$work"
wrapper=$work/$(basename "$tool")
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect "$tool" "\$@"
WRAP
chmod +x "$wrapper"
# what valgrind itself cannot do (run with stderr closed) is skipped there
export IOP_TEST_VALGRIND=1
args=()
for a in "$@"; do args+=("${a//@TOOL@/$wrapper}"); done
exec bash "$script" "${args[@]}"
