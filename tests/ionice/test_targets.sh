#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ionice's target kinds through its two paths (util-linux's, and the
# selection's of -C, --full, -T, -v, --dry-run), where no other test looks
# (issue 17): a process whose main thread has exited with -a and -v, a user
# with no processes, mixed successes and failures (a pid gone, another
# user's process refused, -t), queries of threads and groups.  Exact
# stdout, stderr and exit status.  Only this script's children are acted
# on; users: only unused uids.
#   usage: test_targets.sh IONICE THREADS_HELPER RAWPRIO_HELPER
IONICE=$1 THREADS=$2 RAWPRIO=$3
. "$(dirname "$0")/../lib.sh"

me=$(basename "$IONICE")
IDLE=$((3 << 13 | 7))
# is DESCRIPTION RC STDOUT STDERR: the last run's exact outcome
is() {
  check "$1: exit $2" [ "$rc" = "$2" ]
  check "$1: stdout" [ "$out" = "$3" ]
  check "$1: stderr" [ "$err" = "$4" ]
}
wait_for() { local i; for i in $(seq 500); do eval "$1" && return 0; sleep 0.02; done; return 1; }
nthreads() { ls "/proc/$1/task" 2>/dev/null | wc -l; }
# lines LINE...: the lines, sorted by their leading number (a pid or tid)
lines() { printf '%s\n' "$@" | sort -n; } # (an argument may hold several)

gone=$(sh -c 'echo $$') # a pid that has just ended

##### a live process whose main thread has exited (stat: Z, 3 threads)
spawn "$THREADS" 3 "lx$run_id" main-exits; lx=$child
wait_for '[ "$(sed "s/.*) //" "/proc/$lx/stat" | cut -d" " -f1)" = Z ]'
check "three threads, the main one exited" [ "$(nthreads "$lx")" = 3 ]
lt=$(ls "/proc/$lx/task" | sort -n | grep -vx "$lx" | tr '\n' ' ')
main_line="$lx lx$run_id: its main thread has exited, its other threads live on (-a acts on them): no I/O priority to set on it"
"$IONICE" -c2 -n3 -a -p "$lx"
run "$IONICE" -v -c3 -a -p "$lx"
# shellcheck disable=SC2086
is "-v -a, main thread exited" 0 "$(lines "$main_line" "$(for t in $lt; do echo "$t lx$run_id: be/3 -> idle"; done)")" ""
# shellcheck disable=SC2086
check "-v -a, main thread exited: the others set" [ "$("$RAWPRIO" $lt | sort -u)" = "$IDLE" ]
run "$IONICE" --dry-run -c2 -n1 -a -p "$lx"
# shellcheck disable=SC2086
is "--dry-run -a, main thread exited" 0 "$(lines "$main_line" "$(for t in $lt; do echo "$t lx$run_id: idle -> be/1"; done)")" ""
run "$IONICE" -v -a -p "$lx"
# shellcheck disable=SC2086
is "-v -a query, main thread exited" 0 "$(lines "$lx: none: prio 0" "$(for t in $lt; do echo "$t: idle"; done)")" ""
run "$IONICE" -a -p "$lx"
# shellcheck disable=SC2086
is "-a query, main thread exited" 0 "$(lines "$lx: none: prio 0" "$(for t in $lt; do echo "$t: idle"; done)")" ""
run "$IONICE" -v -p "$lx"
is "-v query, main thread exited" 0 "$lx: none: prio 0" ""
run "$IONICE" -v -c2 -n2 -T -p "$lx"
is "-v -T, main thread exited: said, nothing else" 0 "$main_line" ""
run "$IONICE" -c2 -n2 -a -p "$lx"
is "-a set, main thread exited" 0 "" ""

##### a process of threads: queries with -v, a thread named, -P
spawn "$THREADS" 3 "mt$run_id"; m=$child
wait_for '[ "$(nthreads "$m")" = 3 ]'
mt=$(ls "/proc/$m/task" | sort -n)
worker=$(grep -vx "$m" <<<"$mt" | head -1)
"$IONICE" -c2 -n6 -a -p "$m"
"$IONICE" -c3 -p "$worker"
# shellcheck disable=SC2046
run "$IONICE" -v -a -p "$m"
is "-v -a query" 0 "$(for t in $mt; do if [ "$t" = "$worker" ]; then echo "$t: idle"; else echo "$t: best-effort: prio 6"; fi; done)" ""
run "$IONICE" -v -p "$worker"
is "-v query of a thread named" 0 "$worker: idle" ""
run "$IONICE" -v -p "$worker" "$m"
# a thread named stands for its process, and is the task acted on
is "-v query of a thread and its process: the thread alone" 0 "$worker: idle" ""
run "$IONICE" -v -c2 -n5 -a -p "$worker"
is "-v -a -p TID: every thread of its process" 0 "$(for t in $mt; do if [ "$t" = "$worker" ]; then echo "$t mt$run_id: idle -> be/5"; else echo "$t mt$run_id: be/6 -> be/5"; fi; done)" ""
run "$IONICE" -v -P "$m"
is "-v query of a group" 0 "$m: best-effort: prio 5" ""
run "$IONICE" -P "$m"
is "query of a group" 0 "best-effort: prio 5" ""
run "$IONICE" --dry-run -c3 -P "$m"
is "--dry-run -P" 0 "$m mt$run_id: be/5 -> idle" ""
run "$IONICE" -v -c3 -P "$m","$gone"
is "-v -P with a group gone" 0 "$m mt$run_id: be/5 -> idle" ""
run "$IONICE" -c3 -P "$gone","$m"
is "-P with a group gone" 1 "" "$me: ioprio_set failed for PGID $gone: No such process"
run "$IONICE" -P "$m" "$gone"
is "query -P with a group gone" 1 "idle" "$me: ioprio_get failed for PGID $gone: No such process"

##### mixed: a pid gone among live ones
spawn sleep 600; p=$child
spawn sleep 601; q=$child
"$IONICE" -c2 -n4 -p "$p" "$q"
run "$IONICE" -c3 -p "$gone" "$p"
is "set, a pid gone first" 1 "" "$me: ioprio_set failed for PID $gone: No such process"
check "set, a pid gone first: the other set" [ "$("$RAWPRIO" "$p")" = "$IDLE" ]
run "$IONICE" -t -c2 -n4 -p "$gone" "$p"
is "-t: a pid gone forgiven" 0 "" ""
run "$IONICE" -c3 -a -p "$p" "$gone" "$q"
is "-a, a pid gone between" 1 "" "$me: ioprio_set failed for PID $gone: No such process"
run "$IONICE" -a -p "$gone" "$p"
is "-a query, a pid gone" 1 "$p: idle" "$me: ioprio_get failed for PID $gone: No such process"
run "$IONICE" -v -c2 -n4 -p "$gone" "$p" "$q"
is "-v, a pid gone: not selected, no failure" 0 "$(lines "$p sleep: idle -> be/4" "$q sleep: idle -> be/4")" ""
run "$IONICE" -v -p "$q" "$gone"
is "-v query, a pid gone" 0 "$q: best-effort: prio 4" ""
run "$IONICE" --dry-run -c3 -T -p "$gone"
is "--dry-run -T, only a pid gone" 1 "" "$me: no process matched"
run "$IONICE" -t -v -c3 -p "$gone"
is "-t -v, only a pid gone" 0 "" ""

##### a user with no processes, and another user's process refused
if is_root; then
  U=$(unused_uid)
  for args in "-c3 -u $U|1|ioprio_set failed for UID $U: No such process" \
      "-u $U|1|ioprio_get failed for UID $U: No such process" \
      "-t -c3 -u $U|0|" "-v -c3 -u $U|1|no process matched" "-v -u $U|1|no process matched" \
      "--dry-run -c3 -u $U|1|no process matched" "-t -v -c3 -u $U|0|" \
      "-c3 -u $U,$U|1|invalid UID argument: '$U,$U': no such user"; do
    a=${args%%|*} rest=${args#*|}
    # shellcheck disable=SC2086
    run "$IONICE" $a
    msg=${rest#*|}
    is "a user with no processes [$a]" "${rest%%|*}" "" "${msg:+$me: $msg}"
  done
  # with -u "the UID" in the message is the argument as given
  run "$IONICE" -c3 -u "$U" -u "$U"
  is "a user with no processes, twice" 1 "" "$me: ioprio_set failed for UID $U: No such process
$me: ioprio_set failed for UID $U: No such process"

  V=$(unused_uid)
  AS_V=(setpriv --reuid="$V" --regid="$V" --clear-groups)
  spawn "${AS_V[@]}" sleep 600; v=$child
  spawn "${AS_V[@]}" "$THREADS" 2 "vt$run_id"; vt=$child
  wait_for '[ "$(nthreads "$vt")" = 2 ]'
  vts=$(ls "/proc/$vt/task" | sort -n)
  "$IONICE" -c2 -n4 -p "$p" "$v"
  "$IONICE" -c2 -n4 -a -p "$vt"
  eperm="Operation not permitted (acting on another user's processes needs CAP_SYS_NICE)"
  run "${AS_V[@]}" "$IONICE" -c3 -p "$p" "$v"
  is "mixed: another user's refused" 1 "" "$me: ioprio_set failed for PID $p: $eperm"
  check "mixed: the own one set" [ "$("$RAWPRIO" "$v")" = "$IDLE" ]
  check "mixed: the other's left" [ "$("$RAWPRIO" "$p")" = $((2 << 13 | 4)) ]
  run "${AS_V[@]}" "$IONICE" -v -c2 -n1 -p "$v" "$p"
  is "mixed -v" 1 "$v sleep: idle -> be/1" "$me: ioprio_set failed for PID $p: $eperm"
  run "${AS_V[@]}" "$IONICE" -t -v -c2 -n2 -p "$v" "$p"
  is "mixed -v -t" 0 "$v sleep: be/1 -> be/2" ""
  run "${AS_V[@]}" "$IONICE" -t -c2 -n3 -p "$p" "$v"
  is "mixed -t" 0 "" ""
  run "${AS_V[@]}" "$IONICE" --dry-run -c3 -p "$v" "$p"
  is "mixed --dry-run: nothing refused" 0 "$(lines "$v sleep: be/3 -> idle" "$p sleep: be/4 -> idle")" ""
  run "${AS_V[@]}" "$IONICE" -v -c3 -a -p "$vt" "$p"
  is "mixed -v -a" 1 "$(for t in $vts; do echo "$t vt$run_id: be/4 -> idle"; done)" \
    "$me: ioprio_set failed for TID $p of PID $p: $eperm"
  run "${AS_V[@]}" "$IONICE" -c2 -n4 -a -p "$p" "$vt"
  is "mixed -a" 1 "" "$me: ioprio_set failed for TID $p of PID $p: $eperm"
  run "${AS_V[@]}" "$IONICE" -v -c1 -p "$v"
  is "-v realtime refused" 1 "" "$me: ioprio_set failed for PID $v: Operation not permitted (the realtime class needs CAP_SYS_ADMIN or CAP_SYS_NICE)"
  run "${AS_V[@]}" "$IONICE" -v -c1 -a -p "$vt"
  is "-v -a realtime refused, each thread" 1 "" "$(for t in $vts; do echo "$me: ioprio_set failed for TID $t of PID $vt: Operation not permitted (the realtime class needs CAP_SYS_ADMIN or CAP_SYS_NICE)"; done)"
  run "$IONICE" -v -c3 -u "$V"
  is "-v -u: each process of the user" 0 "$(lines "$v sleep: be/3 -> idle" "$vt vt$run_id: be/4 -> idle")" ""
  run "$IONICE" -c2 -n7 -u "$V" "$U"
  is "-u, one user with processes and one without" 1 "" "$me: ioprio_set failed for UID $U: No such process"
  check "-u: the user with processes set" [ "$("$RAWPRIO" "$v")" = $((2 << 13 | 7)) ]
else
  skip "a user with no processes and another user's refusal: need root to switch children to unused uids"
fi

finish test_targets
