# SPDX-License-Identifier: MIT
# Shared by the end-to-end test scripts (sourced, not run).  Tests act only
# on processes they started: each child in a session of its own, ended by
# pid at exit.
#   Before sourcing, TEST_TMP_BASE may name where the temporary directory goes.
#
# A test run must fail when something is wrong even where it expects a
# failing exit status: every command run through `run` is also checked for a
# sanitizer report or a valgrind error (their own exit codes, and their text
# on stderr), and that counts as a failure by itself.  Two copies of a script
# may run at once: names, files and uids are unique to each run ($run_id).
set -u
tmp=$(mktemp -d "${TEST_TMP_BASE:-${TMPDIR:-/tmp}}/ioprio-test.XXXXXX")
pass=0 fail=0 skipped=0
children=()
sessions=() # the sessions spawn made: every process in them is this run's
out= err= rc=
# unique to this run among the runs alive on this machine (pids are unique)
run_id=$$

# Sanitized binaries report with an exit code of their own, never 1 (the
# status of bad input): a report can never pass for an expected failure.
# The valgrind wrapper (valgrind-wrap.sh) exits 99 on an error.
SAN_EXIT=86 VALGRIND_EXIT=99
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=$SAN_EXIT"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=$SAN_EXIT"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}exitcode=$SAN_EXIT"

cleanup() {
  { for p in "${children[@]}"; do kill -KILL "$p"; done; wait; } 2>/dev/null
  local l # the uid locks this run took (unused_uid runs in a subshell)
  for l in /tmp/ioprio-test-uid.*; do
    [ "$(cat "$l/owner" 2>/dev/null)" = $$ ] && rm -rf "$l"
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# memory_report STATUS STDERR: the lines of a sanitizer report or valgrind
# error in STDERR (or a line naming STATUS when it is theirs); empty if none.
memory_report() {
  local status=$1 text=$2 lines
  lines=$(grep -E '(runtime error:|ERROR: (Address|Leak|Memory|Thread)Sanitizer|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer|^==[0-9]+== )' <<<"$text" | head -5)
  if [ -z "$lines" ]; then
    case $status in
      "$SAN_EXIT") lines="exit status $SAN_EXIT: a sanitizer report" ;;
      "$VALGRIND_EXIT") lines="exit status $VALGRIND_EXIT: a valgrind error" ;;
    esac
  fi
  printf '%s' "$lines"
}

# no_memory_errors WHAT STATUS STDERR: a failure of its own when the command
# described by WHAT reported a memory error (for commands not run by `run`:
# pipelines, background runs).
no_memory_errors() {
  local report
  report=$(memory_report "$2" "$3")
  [ -z "$report" ] || bad "memory error in [$1]: $report"
}

# run CMD...: sets $out (stdout), $err (stderr), $rc; a sanitizer report or
# valgrind error is a failure whatever the test expects of $rc.
run() {
  out=$("$@" 2>"$tmp/err"); rc=$?; err=$(cat "$tmp/err")
  no_memory_errors "$*" "$rc" "$err"
}

# check DESCRIPTION CONDITION...: counts CONDITION's outcome, after run; a
# failure shows the condition with its values, and the last run's output.
check() {
  local what=$1; shift
  if "$@"; then ok; else bad "$what: [$*] (rc=$rc, stdout: ${out:0:400}, stderr: ${err:0:300})"; fi
}
has() { [[ "$1" == *"$2"* ]]; }

# spawn CMD...: starts CMD in a session of its own; its pid in $child.
spawn() {
  setsid "$@" </dev/null >/dev/null 2>&1 &
  child=$!
  children+=("$child")
  sessions+=("$child")
  local i
  for i in $(seq 100); do # until setsid has exec'd CMD
    # the session is field 6; names may hold blanks: count from the last ')'
    [ "$(sed 's/.*) //' "/proc/$child/stat" 2>/dev/null | awk '{print $4}')" = "$child" ] &&
      [ "$(cat "/proc/$child/comm" 2>/dev/null)" != setsid ] && return 0
    sleep 0.02
  done
  echo "cannot start a child in its own session: $*" >&2
  exit 1
}

# the members of process group $1, by pid
pgrp_members() { ps -o pid= -g "$1" | tr -d ' ' | sort -n; }

# A uid no account and no process uses, reserved for this run (a lock
# directory that names this script's pid; a lock whose owner is gone is
# taken over), so two runs at once never share one: safe for
# IOPRIO_WHO_USER tests.  tests/e2e/test_kernel.c takes the same locks.
unused_uid() {
  local u lock owner
  for u in $(seq $((61000 + $$ % 2000)) 64000) $(seq 61000 $((61000 + $$ % 2000))); do
    getent passwd "$u" >/dev/null && continue
    grep -qE "^Uid:[[:space:]]+$u[[:space:]]" /proc/[0-9]*/status 2>/dev/null && continue
    lock=/tmp/ioprio-test-uid.$u
    if ! mkdir "$lock" 2>/dev/null; then
      owner=$(cat "$lock/owner" 2>/dev/null)
      [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null && continue
      rm -rf "$lock"
      mkdir "$lock" 2>/dev/null || continue
    fi
    echo $$ >"$lock/owner" # $$: the script's pid, in a subshell too
    echo "$u"
    return
  done
}

# The writer helper (tests/helpers/writer.c), for scripts that set WRITER:
# start_writer NAME [thread]: a writer in its own session, doing O_DIRECT
# I/O in a directory of its own; its pid in $W once its first MiB is
# written and half of it read back, its output (ready, again, reaped) on
# descriptor $W_FD.
MiB=1048576
start_writer() {
  local d="$tmp/w$((${#children[@]} + 1))"
  mkdir -p "$d"
  # the file exists at its full size first, so the writer is charged for
  # exactly its own I/O (creating or growing it costs metadata blocks)
  dd if=/dev/zero of="$d/data" bs=$MiB count=1 conv=fsync status=none
  start_ready writer "$d" "$WRITER" "$d" $MiB "$@"
  W=$R W_FD=$R_FD
}

# start_ready WHAT DIR CMD...: a helper that says "ready" first (WHAT, for
# the message when it does not), in its own session, its output into the
# FIFO DIR/out; its pid in $R once it said so, the FIFO open on descriptor
# $R_FD for what it says next.
start_ready() {
  local what=$1 d=$2 line fd
  shift 2
  mkfifo "$d/out"
  setsid "$@" >"$d/out" 2>&1 &
  R=$!
  children+=("$R")
  exec {fd}<"$d/out"
  read -r -t 20 line <&$fd || { echo "$what did not start" >&2; exit 1; }
  [ "$line" = ready ] || { echo "$what: $line" >&2; exit 1; }
  R_FD=$fd
}

# tids_of PID...: every thread of these processes, by tid
tids_of() { local p; for p in "$@"; do ls "/proc/$p/task"; done | sort -n; }
# For scripts that set RAWPRIO (tests/helpers/rawprio.c):
# prio_is DESCRIPTION VALUE TID...: each thread's raw value set, from the kernel
prio_is() {
  local what=$1 want=$2 got wrong; shift 2
  got=$("$RAWPRIO" "$@" 2>&1)
  wrong=$(paste -d= <(printf '%s\n' "$@") <(printf '%s\n' "$got") | grep -v "=$want\$" | head -5 | tr '\n' ' ')
  if [ -z "$wrong" ] && [ $# -gt 0 ]; then ok; else bad "$what: want $want for $# threads; wrong: ${wrong:-(no threads)}"; fi
}

# The one note of an interval run that cannot listen for exits (not root:
# exit notifications need CAP_NET_ADMIN).  Checks about other things take
# stderr without it: a run as root never has it, a user's run always does.
EXITS_NOTE="iopstat: processes that live less than an interval are not shown: exit notifications need CAP_NET_ADMIN (run as root)"
without_exits_note() { grep -vxF "$EXITS_NOTE" <<<"$1" || true; }

# kernel_io PID FIELD: the kernel's own number, the oracle for every format
kernel_io() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/io"; }

# need_block_device: O_DIRECT byte counts need $tmp on a real disk (the
# caller sets TEST_TMP_BASE=/var/tmp before sourcing); else the test skips
need_block_device() {
  if ! findmnt -n -o FSTYPE -T "$tmp" | grep -qvE '^(tmpfs|overlay|ramfs)$'; then
    echo "SKIP: $tmp is not on a block device: O_DIRECT byte counts need one"
    exit 77
  fi
}

# load_completion NAME: sources completions/NAME (its `complete` and
# `compopt` calls made harmless); then complete_words WORD... runs its
# function for WORDs, the last being the one completed, and sets $out to the
# sorted offers, blank-separated
load_completion() {
  complete() { :; }
  compopt() { :; }
  # shellcheck source=/dev/null
  . "$(dirname "${BASH_SOURCE[0]}")/../completions/$1"
  completion_function=_${1//-/_}
}
complete_words() {
  COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
  "$completion_function"
  out=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
}

# completes_help_options TOOL: every long option TOOL --help names is
# completed (for "--"), and no other; after load_completion
completes_help_options() {
  local helpopts compopts
  helpopts=$("$1" --help | grep -oE -- '--[a-z-]+' | sort -u | tr '\n' ' ')
  complete_words "$(basename "$1")" --
  compopts=$(tr ' ' '\n' <<<"$out" | grep -- '^--' | sort -u | tr '\n' ' ')
  check "completion knows every long option --help names" [ "$helpopts" = "$compopts" ]
}

# finish NAME: the closing line, and the exit status
# left_behind: the live processes in this run's sessions that no pid in
# children names (a child's child the test forgot); they would outlive it.
left_behind() {
  [ "${#sessions[@]}" -gt 0 ] || return 0
  ps -e -o pid=,sid=,stat= | awk -v s=" ${sessions[*]} " -v c=" ${children[*]} " \
    'index(s, " " $2 " ") && !index(c, " " $1 " ") && $3 !~ /^Z/ {print $1}'
}

finish() {
  local stray
  stray=$(left_behind)
  if [ -n "$stray" ]; then
    bad "processes the test started and does not end: $(echo $stray)"
    children+=($stray) # ended at exit by pid, with the rest
  fi
  echo "$1: $pass passed, $fail failed, $skipped skipped"
  [ "$fail" -eq 0 ]
}
