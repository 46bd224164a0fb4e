#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a test script with a tool replaced by a wrapper that runs it under
# valgrind: any memory error or leak makes that call exit 99, and prints
# only errors (a "possibly lost" block of a run ended by a signal is none),
# so tests/lib.sh counts any valgrind line on stderr as a failure.  The
# wrapper has the tool's name, so messages and version lines read the same.
#   usage: valgrind-wrap.sh TOOL WORK_DIR SCRIPT ARG...   (@TOOL@ in ARGs = the wrapper;
#   WORK_DIR is made, for what the script may keep there)
set -eu
tool=$(realpath "$1") work=$2 script=$3
shift 3
name=$(basename "$tool")
mkdir -p "$work"
# The tests also run the tool as unused uids, and the build tree may sit
# below a directory only its owner can enter (a clone in `mktemp -d`):
# /bin/sh reading the wrapper and valgrind opening the tool run as that
# uid.  So both live in a directory of this run's that anyone can pass
# through (a copy of the tool, which links libioprio statically), removed
# at the end.
reach=$(mktemp -d /tmp/ioprio-valgrind.XXXXXX)
trap 'rm -rf "$reach"' EXIT
mkdir "$reach/tool"
cp "$tool" "$reach/tool/$name"
chmod 711 "$reach" "$reach/tool"
chmod 755 "$reach/tool/$name"
wrapper=$reach/$name
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect "$reach/tool/$name" "\$@"
WRAP
chmod 755 "$wrapper"
# what valgrind itself cannot do (run with stderr closed) is skipped there
export IOP_TEST_VALGRIND=1
args=()
for a in "$@"; do args+=("${a//@TOOL@/$wrapper}"); done
rc=0
bash "$script" "${args[@]}" || rc=$?
exit "$rc"
