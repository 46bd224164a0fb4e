#!/usr/bin/env bash
# Runs a test script with a tool replaced by a wrapper that runs it under
# valgrind: any memory error or leak makes that call exit 99, which the
# script's own expectations then report.  The wrapper has the tool's name, so
# messages and version lines read the same.
#   usage: valgrind-wrap.sh TOOL WORK_DIR SCRIPT ARG...   (@TOOL@ in ARGs = the wrapper)
set -eu
tool=$(realpath "$1") work=$2 script=$3
shift 3
mkdir -p "$work"
wrapper=$work/$(basename "$tool")
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$tool" "\$@"
WRAP
chmod +x "$wrapper"
args=()
for a in "$@"; do args+=("${a//@TOOL@/$wrapper}"); done
exec bash "$script" "${args[@]}"
