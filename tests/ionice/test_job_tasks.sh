#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end tests of ionice's selection on a process of many threads and
# on zombies, and of ioprio-get's check after a demotion (issue 21):
# ionice -v -a reads the process's stat once a task (its main thread's,
# not the whole process's, which the kernel sums over every thread), so
# the cost stays linear while the pid-reuse check stays per task; a
# zombie's set is said to do nothing, and ioprio-get does not show a
# zombie as a task left at the old priority.  Every process is this
# script's own, in a session of its own, ended by pid.
#   usage: test_job_tasks.sh IONICE IOPRIO_GET THREADS_HELPER
IONICE=$1 IG=$2 THREADS=$3
. "$(dirname "$0")/../lib.sh"

##### -v -a on one process of many threads: its stat is not read per thread
NT=300
JN="j$run_id"
exec {ready}< <("$THREADS" "$NT" "$JN" & echo "$!"; wait)
read -r p <&$ready
children+=("$p")
for k in $(seq 500); do [ "$(ls "/proc/$p/task" 2>/dev/null | wc -l)" -ge "$NT" ] && break; sleep 0.02; done
if command -v strace >/dev/null; then
  # LeakSanitizer cannot run under ptrace: off here, the rest stays on
  NO_LSAN="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  run strace -f -qq -o "$tmp/trace" -e trace=open,openat env ASAN_OPTIONS="$NO_LSAN" \
    "$IONICE" -v -c3 -a -C "^$JN\$"
  check "-v -a on $NT threads: exit 0" [ "$rc" = 0 ]
  check "-v -a on $NT threads: a line per thread" [ "$(grep -c -- '-> idle$' <<<"$out")" = "$NT" ]
  whole=$(grep -cE "\"(/proc/)?$p/stat\"" "$tmp/trace")
  own=$(grep -cE "\"(/proc/)?$p/task/[0-9]+/stat\"" "$tmp/trace")
  check "-v -a: the whole process's stat read a few times, not once a thread ($whole)" [ "$whole" -le 4 ]
  check "-v -a: each thread checked ($own task stats)" [ "$own" -ge "$NT" ]
else
  skip "stat reads of -v -a: strace not installed (scripts/install-deps.sh)"
  [ -z "${CI:-}" ] || bad "strace missing in CI"
fi
run "$IG" -a -p "$p" -o prio -n
check "-v -a: every thread idle" [ "$(sort -u <<<"$out")" = idle -a "$(wc -l <<<"$out")" = "$NT" ]
kill "$p"

##### a zombie: its set does nothing, and is said so
# a parent that never reaps: its child 'sleep 0' stays a zombie
spawn sh -c 'sleep 0 & exec sleep 600'; parent=$child
z=
for k in $(seq 500); do
  z=$(ps -o pid=,stat= --ppid "$parent" | awk '$2 ~ /^Z/ {print $1}')
  [ -n "$z" ] && break
  sleep 0.01
done
check "a zombie to test on" [ -n "$z" ]
run "$IONICE" -v -c3 -p "$z"
check "-v on a zombie: exit 0" [ "$rc" = 0 ]
check "-v on a zombie: no change claimed" bash -c '! grep -q -- "->" <<<"$1"' _ "$out"
check "-v on a zombie: said" has "$out" "$z sleep: a zombie"
run "$IONICE" --dry-run -c3 -p "$z"
check "--dry-run on a zombie: said" has "$out" "$z sleep: a zombie"
run "$IG" -p "$z" -o pid,prio,eprio -n
check "ioprio-get: a zombie has no priority to show" [ "$(echo $out)" = "$z - -" ]
run "$IG" -p "$z" -J
check "ioprio-get -J: a zombie's priority null" python3 -c '
import json, sys
row = json.loads(sys.argv[1])["ioprio"][0]
assert row["pid"] == int(sys.argv[2]), row
assert all(row.get(k) is None for k in ("class", "level", "eclass", "elevel")), row
' "$out" "$z"
# the check after a demotion: every task idle, and the zombie not a miss
run "$IONICE" -c3 -a -T -p "$parent"
check "-T over a tree with a zombie: exit 0" [ "$rc" = 0 ]
run "$IG" -a -T -p "$parent" -o prio -n
check "ioprio-get -T after a demotion: no task shown at the old priority" \
  [ "$(sort -u <<<"$out" | tr '\n' ' ')" = "- idle " ]

##### a live process whose main thread has exited (its stat says Z, and
##### more than one thread) is not a zombie: ionice says what it skips,
##### and ioprio-get still shows the process and marks its threads
spawn "$THREADS" 3 "lx$run_id" main-exits; lx=$child
for k in $(seq 500); do
  [ "$(sed 's/.*) //' "/proc/$lx/stat" | cut -d' ' -f1)" = Z ] && break
  sleep 0.01
done
check "a process whose main thread exited" [ "$(ls "/proc/$lx/task" | wc -l)" = 3 ]
run "$IONICE" -v -c3 -p "$lx"
check "-v, main thread exited: exit 0" [ "$rc" = 0 ]
check "-v, main thread exited: not called a zombie" bash -c '! grep -q "a zombie" <<<"$1"' _ "$out"
check "-v, main thread exited: said, and -a named" has "$out" "$lx lx$run_id: its main thread has exited"
run "$IONICE" -c3 -a -p "$lx"
check "-a, main thread exited: exit 0" [ "$rc" = 0 ]
run "$IG" -p "$lx" -o prio -n
check "ioprio-get: a live process with its main thread gone keeps a row, marked" has "$out" "*"
run "$IG" -a -p "$lx" -o prio -n
check "ioprio-get -a: the exited main thread none to show, the others idle" \
  [ "$(echo $out)" = "- idle idle" ]

finish job-tasks
