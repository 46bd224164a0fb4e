# Shared by the end-to-end test scripts (sourced, not run).  Tests act only
# on processes they started: each child in a session of its own, ended by
# pid at exit.
#   Before sourcing, TEST_TMP_BASE may name where the temporary directory goes.
set -u
tmp=$(mktemp -d "${TEST_TMP_BASE:-${TMPDIR:-/tmp}}/ioprio-test.XXXXXX")
pass=0 fail=0 skipped=0
children=()

cleanup() {
  { for p in "${children[@]}"; do kill -KILL "$p"; done; wait; } 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# run CMD...: sets $out (stdout), $err (stderr), $rc
run() { out=$("$@" 2>"$tmp/err"); rc=$?; err=$(cat "$tmp/err"); }

# check DESCRIPTION CONDITION...: counts CONDITION's outcome, after run
check() {
  local what=$1; shift
  if "$@"; then ok; else bad "$what (rc=$rc, stdout: ${out:0:400}, stderr: ${err:0:300})"; fi
}
has() { [[ "$1" == *"$2"* ]]; }

# spawn CMD...: starts CMD in a session of its own; its pid in $child.
spawn() {
  setsid "$@" </dev/null >/dev/null 2>&1 &
  child=$!
  children+=("$child")
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

# a uid no account and no process uses: safe for IOPRIO_WHO_USER tests
# (starting from the pid, so two runs at once pick different ones)
unused_uid() {
  local u
  for u in $(seq $((61000 + $$ % 2000)) 64000); do
    getent passwd "$u" >/dev/null && continue
    grep -qE "^Uid:[[:space:]]+$u[[:space:]]" /proc/[0-9]*/status 2>/dev/null && continue
    echo "$u"
    return
  done
}

# finish NAME: the closing line, and the exit status
finish() {
  echo "$1: $pass passed, $fail failed, $skipped skipped"
  [ "$fail" -eq 0 ]
}
