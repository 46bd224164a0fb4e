#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end test of demoting a whole running job, as a cron line does:
# a backup script (its name is the script's file name), a multi-threaded
# compressor it started, and a helper that keeps forking children while it
# is being demoted.  Every thread of every process of the job is checked
# against the kernel; decoys beside it (a similar name, a process that
# matches outside the tree, an unrelated one) must keep their priority.
# Every process here is this script's, named uniquely for this run.
#   usage: test_job.sh IONICE IOPRIO_GET THREADS_HELPER RAWPRIO_HELPER FORKER_HELPER
IONICE=$1 IG=$2 THREADS=$3 RAWPRIO=$4 FORKER=$5
. "$(dirname "$0")/../lib.sh"

IDLE=$((3 << 13 | 7))
be() { echo $((2 << 13 | $1)); }
# the processes of the tree below $1, itself included, by pid (the ppid chain)
tree_of() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END {
      got[root] = 1
      for (more = 1; more;) {
        more = 0
        for (p in parent) if (!(p in got) && (parent[p] in got)) { got[p] = 1; more = 1 }
      }
      for (p in got) print p
    }' | sort -n
}
# wait_for 'CONDITION': evaluated again every 20 ms, for up to 10 s
wait_for() { local i; for i in $(seq 500); do eval "$1" && return 0; sleep 0.02; done; return 1; }
nthreads() { ls "/proc/$1/task" 2>/dev/null | wc -l; }
children_of() { ps -o pid= --ppid "$1" | tr -d ' '; }
# the process below $1 named $2
child_named() { local c; for c in $(children_of "$1"); do [ "$(cat "/proc/$c/comm")" = "$2" ] && echo "$c"; done; }

id=$run_id
COUNT=300 PERIOD=10 # the helper forks for about 3 s: through the demotion

##### the job: a script, a 4-thread compressor, a helper that forks
job_script=$tmp/jb$id.sh
cat >"$job_script" <<EOF
#!/bin/bash
"$THREADS" 4 zs$id >/dev/null &
"$FORKER" hf$id $PERIOD $COUNT &
wait
EOF
chmod +x "$job_script"
spawn "$job_script"; job=$child
check "the script's name is its file's" wait_for '[ "$(cat /proc/$job/comm)" = "jb$id.sh" ]'
wait_for '[ -n "$(child_named "$job" "zs$id")" ]' && wait_for '[ -n "$(child_named "$job" "hf$id")" ]'
zs=$(child_named "$job" "zs$id") hf=$(child_named "$job" "hf$id")
check "the compressor runs its threads" wait_for '[ "$(nthreads "$zs")" = 4 ]'
check "the helper forks" wait_for '[ "$(children_of "$hf" | wc -l)" -ge 3 ]'

##### beside it: a process that matches but is no part of the job, a
##### similar name, an unrelated process
spawn "$THREADS" 2 "zs$id"; outside=$child
spawn "$THREADS" 2 "zs${id}x"; similar=$child
spawn sleep 600; unrelated=$child
wait_for '[ "$(nthreads "$outside")" = 2 ]' && wait_for '[ "$(nthreads "$similar")" = 2 ]'
"$IONICE" -c2 -n2 -a -p "$similar"
"$IONICE" -c2 -n2 -p "$unrelated"
# shellcheck disable=SC2046
prio_is "the job before" 0 $(tids_of $(tree_of "$job"))

##### the cron line: every thread of every process of the job, and nothing else
re="^(jb$id\\.sh|zs$id)\$"
traced=
if command -v strace >/dev/null && [ -z "${IOP_TEST_VALGRIND:-}" ]; then
  traced=1 # which tasks it sets, as the kernel was asked
  # (LeakSanitizer cannot run under ptrace: off for this run, the other
  # sanitizers stay on; the same line runs again below without strace)
  run strace -f -qq -e trace=ioprio_set -o "$tmp/strace" \
    env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$IONICE" -c3 -a -T -C "$re"
else
  run "$IONICE" -c3 -a -T -C "$re"
fi
check "the cron line" [ "$rc" = 0 -a -z "$out" -a -z "$err" ]
# the helper may still be forking: what it forks now inherits idle
tree=$(tree_of "$job")
# shellcheck disable=SC2086
prio_is "every thread of the job idle" "$IDLE" $(tids_of $tree)
# shellcheck disable=SC2046
prio_is "the matching process outside the job idle (-C matched it)" "$IDLE" $(tids_of "$outside")
# shellcheck disable=SC2046
prio_is "the similar name untouched" "$(be 2)" $(tids_of "$similar")
prio_is "the unrelated process untouched" "$(be 2)" "$unrelated"
if [ -n "$traced" ]; then
  # shellcheck disable=SC2086
  allowed=" $(tids_of $tree "$outside" | tr '\n' ' ') "
  set_tids=$(grep -oE 'ioprio_set\([A-Z_0-9]+, [0-9]+' "$tmp/strace" | sed 's/.*, //')
  check "it set tasks" [ -n "$set_tids" ]
  stray=$(for t in $set_tids; do [[ "$allowed" == *" $t "* ]] || echo "$t"; done)
  check "it set no task but the job's and the match's: [$stray]" [ -z "$stray" ]
  check "one task at a time (IOPRIO_WHO_PROCESS)" bash -c "! grep 'ioprio_set(' '$tmp/strace' | grep -qv 'ioprio_set(IOPRIO_WHO_PROCESS'"
else
  skip "which tasks were set (strace): ${IOP_TEST_VALGRIND:+not under valgrind}${IOP_TEST_VALGRIND:-strace not installed}"
fi
# once the helper has done forking, all of its children inherited idle
check "the helper forked them all" wait_for '[ "$(children_of "$hf" | wc -l)" = "$COUNT" ]'
tree=$(tree_of "$job")
# shellcheck disable=SC2086
prio_is "every thread of the whole job idle, the late children too" "$IDLE" $(tids_of $tree)
# shellcheck disable=SC2206
children+=($tree) # ended at exit by pid, with the rest
run "$IONICE" -c3 -a -T -C "$re"
check "the cron line again: nothing new to do" [ "$rc" = 0 -a -z "$out" -a -z "$err" ]

##### ioprio-get shows the same, a row per thread
run "$IG" -J -a -T -C "$re"
printf '%s' "$out" >"$tmp/job.json"
# shellcheck disable=SC2086
check "ioprio-get -a -T -C: every thread, idle" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["ioprio"]
want = sorted(int(t) for t in sys.argv[2].split())
assert sorted(r["tid"] for r in rows) == want, (len(rows), len(want))
assert all(r["class"] == "idle" and r["eclass"] == "idle" for r in rows), [r for r in rows if r["class"] != "idle"][:3]
' "$tmp/job.json" "$(tids_of $tree "$outside")"

##### -C alone: the processes named, their main thread (no -a), no others
run "$IONICE" -c2 -n5 -C "^zs$id\$"
check "-C alone" [ "$rc" = 0 -a -z "$err" ]
prio_is "-C: the compressor's main thread, and the other match" "$(be 5)" "$zs" "$outside"
# shellcheck disable=SC2046
prio_is "-C: their other threads as they were" "$IDLE" $(tids_of "$zs" "$outside" | grep -vxE "$zs|$outside")
prio_is "-C: the script as it was" "$IDLE" "$job"
# shellcheck disable=SC2046
prio_is "-C: the similar name untouched" "$(be 2)" $(tids_of "$similar")

##### --full: the whole command line (the helper's children share it)
run "$IONICE" -c2 -n1 -C "hf$id $PERIOD "
check "without --full the arguments are not the name" [ "$rc" = 1 ] && check "no match said" has "$err" "no process matched"
run "$IONICE" -c2 -n2 --full -C "/$(basename "$FORKER") hf$id $PERIOD $COUNT\$"
check "--full" [ "$rc" = 0 -a -z "$err" ]
# shellcheck disable=SC2046
prio_is "--full: the helper and every child of it" "$(be 2)" "$hf" $(children_of "$hf")
prio_is "--full: the script as it was" "$IDLE" "$job"

##### -T with -p: the script's tree, and not the match outside it
run "$IONICE" -c2 -n6 -a -T -p "$job"
check "-T -p" [ "$rc" = 0 -a -z "$err" ]
# shellcheck disable=SC2046
prio_is "-T -p: every thread of the job" "$(be 6)" $(tids_of $(tree_of "$job"))
prio_is "-T -p: the match outside the tree untouched" "$(be 5)" "$outside"
# shellcheck disable=SC2046
prio_is "-T -p: its other threads too" "$IDLE" $(tids_of "$outside" | grep -vx "$outside")

##### query: a line per process, led by its pid; with -a per thread
run "$IONICE" -C "^zs$id\$"
want=$(for p in $(printf '%s\n' "$zs" "$outside" | sort -n); do
  if [ "$p" = "$zs" ]; then echo "$p: best-effort: prio 6"; else echo "$p: best-effort: prio 5"; fi; done)
check "query: a line per process" [ "$rc" = 0 -a "$out" = "$want" ]
run "$IONICE" -a -C "^zs$id\$"
check "query -a: a line per thread" [ "$rc" = 0 -a "$(wc -l <<<"$out")" = 6 ] &&
  check "query -a: led by the thread ids" [ "$(cut -d: -f1 <<<"$out" | sort -n | tr '\n' ' ')" = "$(tids_of "$zs" "$outside" | tr '\n' ' ')" ]

##### -v: a line per task changed, old and new effective priority
spawn "$THREADS" 3 "vb$id"; v=$child
wait_for '[ "$(nthreads "$v")" = 3 ]'
vt=$(tids_of "$v")
"$IONICE" -c2 -n4 -p "$v"
run "$IONICE" -v -c3 -C "^vb$id\$"
check "-v: one line" [ "$rc" = 0 -a "$out" = "$v vb$id: be/4 -> idle" ]
renice -n 10 -p "$(tids_of "$v" | tail -1)" >/dev/null # its effective level is 6
run "$IONICE" -v -a -c2 -n1 -C "^vb$id\$"
want=$(for t in $vt; do
  if [ "$t" = "$v" ]; then echo "$t vb$id: idle -> be/1"
  elif [ "$t" = "$(tail -1 <<<"$vt")" ]; then echo "$t vb$id: be/6 -> be/1"
  else echo "$t vb$id: be/4 -> be/1"; fi; done)
check "-v -a: a line per thread" [ "$rc" = 0 -a "$out" = "$want" ]
# shellcheck disable=SC2086
prio_is "-v -a: set" "$(be 1)" $vt
run "$IONICE" -v -c0 -p "$v"
check "-v -p, class none: the effective one after" [ "$rc" = 0 -a "$out" = "$v vb$id: be/1 -> be/4" ]
spawn "$THREADS" 1 $'e\t'"$id"; e=$child
run "$IONICE" -v -c3 -C "^e.$id\$"
check "-v: the name escaped for a terminal" [ "$out" = "$e e\\x09$id: be/4 -> idle" ]

##### --dry-run: the same lines, nothing changed
run "$IONICE" --dry-run -a -c3 -C "^vb$id\$"
want=$(for t in $vt; do
  if [ "$t" = "$v" ]; then echo "$t vb$id: be/4 -> idle"; else echo "$t vb$id: be/1 -> idle"; fi; done)
check "--dry-run: the lines" [ "$rc" = 0 -a "$out" = "$want" ]
prio_is "--dry-run: the main thread unchanged" 0 "$v"
# shellcheck disable=SC2046
prio_is "--dry-run: the others unchanged" "$(be 1)" $(grep -vx "$v" <<<"$vt")
run "$IONICE" --dry-run -c3 -T -C "$re"
check "--dry-run -T: a line per process of the job" [ "$rc" = 0 -a "$(wc -l <<<"$out")" = "$(( $(tree_of "$job" | wc -l) + 1 ))" ]
# shellcheck disable=SC2046
prio_is "--dry-run -T: the job unchanged" "$(be 6)" $(tids_of $(tree_of "$job"))

##### nothing matched: as pgrep, 1 and a line; -t: quiet, 0
run "$IONICE" -c3 -C "^nomatch$id\$"
check "nothing matched: 1" [ "$rc" = 1 -a -z "$out" -a "$err" = "ionice: no process matched" ]
run "$IONICE" -t -c3 -C "^nomatch$id\$"
check "nothing matched, -t: 0, quiet" [ "$rc" = 0 -a -z "$out" -a -z "$err" ]
run "$IONICE" -C "^nomatch$id\$"
check "nothing matched, query: 1" [ "$rc" = 1 -a "$err" = "ionice: no process matched" ]
gone=$(sh -c 'echo $$')
run "$IONICE" -v -c3 -p "$gone"
check "-v on a pid that is gone: nothing matched" [ "$rc" = 1 -a "$err" = "ionice: no process matched" ]

##### bad input: one line naming it, 1, nothing changed
for case in "-c3 -C (|invalid regular expression: '('" \
    "-c3 -C a -C [|invalid regular expression: '['" \
    "-c3 --full|--full goes with --command" \
    "-c3 -T|--tree needs processes to start from" \
    "-c3 -a -v|--all-tasks needs processes" \
    "--dry-run -C ^vb$id\$|--dry-run needs a class or level" \
    "--dry-run -c3 true|--dry-run does not go with a command" \
    "-c3 -C ^vb$id\$ true|a command does not go with --command" \
    "-c3 -T -p 0|-p 0 (ionice itself) cannot be selected" \
    "-c3 -T -p $v,x|invalid PID argument: 'x'" \
    "-c3 -T -u no-such-user-ioprio|no such user"; do
  args=${case%%|*} msg=${case#*|}
  # shellcheck disable=SC2086
  run "$IONICE" $args
  check "bad input [$args]" [ "$rc" = 1 -a -z "$out" ] && check "bad input [$args]: message" has "$err" "$msg"
  [[ "$msg" != *"--"* ]] || check "bad input [$args]: points to --help" has "$err" "Try 'ionice --help'"
done
prio_is "bad input changed nothing" 0 "$v"

##### -p, -P, -u combine (every kind met); -u is the effective user here
run "$IONICE" -c2 -n3 -P "$job" -C "^zs$id\$"
check "-P with -C" [ "$rc" = 0 ]
prio_is "-P with -C: the match in the group" "$(be 3)" "$zs"
prio_is "-P with -C: not the match outside it" "$(be 5)" "$outside"
run "$IONICE" -c2 -n7 -p "$outside" -P "$job" -T
check "-p with -P: nothing is in both" [ "$rc" = 1 -a "$err" = "ionice: no process matched" ]
if is_root; then
  U=$(unused_uid)
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups "$THREADS" 2 "us$id"; u1=$child
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups "$THREADS" 1 "ux$id"; u2=$child
  spawn "$THREADS" 1 "us$id"; u3=$child
  wait_for '[ "$(nthreads "$u1")" = 2 ]'
  run "$IONICE" -c2 -n3 -a -u "$U" -C "^us$id\$"
  check "-u with -C" [ "$rc" = 0 -a -z "$err" ]
  # shellcheck disable=SC2046
  prio_is "-u with -C: the user's match, every thread" "$(be 3)" $(tids_of "$u1")
  prio_is "-u with -C: the user's other process untouched" 0 "$u2"
  prio_is "-u with -C: the match of another user untouched" 0 "$u3"
  run "$IONICE" -v -c3 -u "$U"
  want=$(for p in $(printf '%s\n' "$u1" "$u2" | sort -n); do
    if [ "$p" = "$u1" ]; then echo "$p us$id: be/3 -> idle"; else echo "$p ux$id: be/4 -> idle"; fi; done)
  check "-v -u: each process of the user, a line each" [ "$rc" = 0 -a "$out" = "$want" ]
  prio_is "-v -u: set" "$IDLE" "$u1" "$u2"
  prio_is "-v -u: not the other user's" 0 "$u3"
else
  skip "-u with -C: switching children to an unused uid needs root"
fi

##### -v: a note when no block device's scheduler honours priorities
honours=0
for f in /sys/block/*/queue/scheduler; do
  [ -r "$f" ] || continue
  s=$(cat "$f"); active=$(grep -oE '\[[^]]+\]' <<<"$s" | tr -d '[]'); active=${active:-$s}
  case $active in bfq|mq-deadline) honours=1 ;; esac
done
run "$IONICE" -v
note="ionice: note: no block device's I/O scheduler honours I/O priorities (see ioprio-get --devices)"
if [ "$honours" = 1 ]; then
  check "-v: no note, a device here honours priorities" [ "$rc" = 0 -a -z "$err" ]
else
  check "-v: the note, no device here honours priorities" [ "$rc" = 0 -a "$err" = "$note" ]
fi
check "-v alone: its own priority" [ -n "$out" ] && check "-v alone: as without -v" [ "$out" = "$("$IONICE")" ]

finish ionice-job
