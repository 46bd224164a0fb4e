#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end tests of ioprio-get on children this script started (each in a
# session of its own, ended by pid).  The effective priority is checked
# against the kernel itself: since Linux 6.0, ioprio_get(IOPRIO_WHO_PGRP)
# reports a group's effective priority, so a child alone in its group is an
# oracle (rawprio -g).
#   usage: test_ioprio_get.sh IOPRIO_GET RAWPRIO THREADS_HELPER
IG=$1 RAWPRIO=$2 THREADS=$3
. "$(dirname "$0")/../lib.sh"
kernel_at_least() { # MAJOR MINOR
  local v; v=$(uname -r); local ma=${v%%.*} rest=${v#*.}; local mi=${rest%%.*}
  [ "$ma" -gt "$1" ] || { [ "$ma" -eq "$1" ] && [ "$mi" -ge "$2" ]; }
}
# one field of ioprio-get's raw output for a pid
field() { "$IG" -r -n -o "$2" -p "$1"; }
oracle=0; kernel_at_least 6 0 && oracle=1

##### class none: the effective level follows nice, the class the policy
spawn sleep 600; c=$child
for nice in 0 1 4 5 9 10 14 15 19; do
  renice -n "$nice" -p "$c" >/dev/null
  level=$(( (nice + 20) / 5 ))
  run "$IG" -r -n -o CLASS,LEVEL,ECLASS,ELEVEL,EPRIO,NICE,POLICY -p "$c"
  check "nice $nice" [ "$out" = "none 0 best-effort $level be/$level $nice other" ]
  if [ $oracle = 1 ]; then
    run "$RAWPRIO" -g "$c"
    check "nice $nice: the kernel agrees" [ "$out" = "$(field "$c" EVALUE)" ]
  fi
done
[ $oracle = 1 ] || skip "kernel older than 6.0: no PGRP oracle for the effective priority"

spawn sleep 600; i=$child
renice -n 7 -p "$i" >/dev/null
chrt -i -p 0 "$i"
run "$IG" -r -n -o ECLASS,ELEVEL,POLICY -p "$i"
check "SCHED_IDLE is the idle class" [ "$out" = "idle 5 idle" ]
[ $oracle = 1 ] && { run "$RAWPRIO" -g "$i"; check "SCHED_IDLE: the kernel agrees" [ "$out" = "$(field "$i" EVALUE)" ]; }

if is_root; then
  spawn sleep 600; f=$child
  renice -n 3 -p "$f" >/dev/null
  chrt -f -p 1 "$f"
  run "$IG" -r -n -o ECLASS,ELEVEL,POLICY -p "$f"
  check "SCHED_FIFO is the realtime class" [ "$out" = "realtime 4 fifo" ]
  [ $oracle = 1 ] && { run "$RAWPRIO" -g "$f"; check "SCHED_FIFO: the kernel agrees" [ "$out" = "$(field "$f" EVALUE)" ]; }
else
  skip "SCHED_FIFO child: needs privilege"
fi

##### a class set wins; hints are shown
spawn sleep 600; e=$child
ionice -c2 -n1 -p "$e"
run "$IG" -r -n -o CLASS,LEVEL,HINT,PRIO,ECLASS,ELEVEL,EPRIO,VALUE,EVALUE -p "$e"
check "explicit class" [ "$out" = "best-effort 1 0 be/1 best-effort 1 be/1 16385 16385" ]
ionice -c3 -p "$e"
run "$IG" -r -n -o PRIO,EPRIO -p "$e"
check "explicit idle" [ "$out" = "idle idle" ]
if python3 - "$e" <<'PY' 2>/dev/null
import ctypes, sys, os
libc = ctypes.CDLL(None, use_errno=True)
nr = {"x86_64": 251, "aarch64": 30}.get(os.uname().machine)
sys.exit(0 if nr and libc.syscall(nr, 1, int(sys.argv[1]), (2 << 13) | (3 << 3) | 6) == 0 else 1)
PY
then
  run "$IG" -r -n -o LEVEL,HINT,VALUE -p "$e"
  check "hint" [ "$out" = "6 3 $(( (2 << 13) | (3 << 3) | 6 ))" ]
else
  skip "hint: kernel without hints, or no raw syscall number here"
fi
run "$IG" --value "$e"
check "--value" [ "$out" = "$("$RAWPRIO" "$e")" ]

##### JSON parses and matches the table (the document goes through a file:
##### with thousands of processes it is larger than an argument may be)
run "$IG" -J -A
printf '%s' "$out" >"$tmp/all.json"
check "json" python3 -c '
import json, sys, subprocess
doc = json.load(open(sys.argv[1]))
rows = {r["pid"]: r for r in doc["ioprio"]}
table = subprocess.run([sys.argv[2], "-r", "-n", "-o", "PID,CLASS,ELEVEL,NICE,COMMAND", "-p", sys.argv[3]],
                       capture_output=True, text=True).stdout.split()
r = rows[int(sys.argv[3])]
assert [str(r["pid"]), r["class"], str(r["elevel"]), str(r["nice"]), r["command"]] == table, (r, table)
assert isinstance(r["pid"], int) and isinstance(r["nice"], int) and isinstance(r["hint"], int)
assert set(r) == {"pid", "user", "class", "level", "hint", "eclass", "elevel", "nice", "policy", "command"}
' "$tmp/all.json" "$IG" "$c"

##### targets: itself, -P, -a, -u, -A
# no target: one row, for a pid that is gone once ioprio-get has exited
# (the name is not checked: under valgrind it is valgrind's)
run "$IG" -r -n -o PID
check "no target: one row" [ "$(wc -l <<<"$out")" = 1 -a "$out" -gt 0 ]
check "no target: itself" bash -c "! kill -0 $out 2>/dev/null"
spawn sh -c 'sleep 600 & exec sleep 601'; g=$child
for k in $(seq 50); do [ "$(pgrp_members "$g" | wc -l)" -ge 2 ] && break; sleep 0.02; done
members=$(pgrp_members "$g")
children+=($members)
run "$IG" -r -n -o PID -P "$g"
check "-P: both members" [ "$out" = "$members" ]
spawn "$THREADS" 3; t=$child
for k in $(seq 50); do [ "$(ls "/proc/$t/task" | wc -l)" -ge 3 ] && break; sleep 0.02; done
run "$IG" -r -n -a -o PID,TID -p "$t"
check "-a: a row per thread" [ "$out" = "$(for x in $(ls "/proc/$t/task" | sort -n); do echo "$t $x"; done)" ]
run "$IG" -A -r -n -o PID
check "-A lists the children" grep -qx "$c" <<<"$out"
check "-A lists the children (2)" grep -qx "$i" <<<"$out"
check "-A sorted by pid" [ "$out" = "$(sort -n <<<"$out")" ]
if is_root; then
  U=$(unused_uid)
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups sleep 600; u1=$child
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups sleep 601; u2=$child
  run "$IG" -r -n -o PID,UID,USER -u "$U"
  check "-u: the user's processes" [ "$out" = "$(printf '%s %s %s\n' "$u1" "$U" "$U" "$u2" "$U" "$U")" ]
else
  skip "-u: switching children to an unused uid needs root"
fi

##### odd names are escaped; vanished and bad targets
spawn "$THREADS" 1 $'two words\ttab'; n=$child
run "$IG" -n -o COMMAND -p "$n"
check "table escapes" [ "$out" = 'two words\x09tab' ]
run "$IG" -r -n -o COMMAND -p "$n"
check "raw escapes blanks too" [ "$out" = 'two\x20words\x09tab' ]
run "$IG" -J -o COMMAND -p "$n"
check "json escapes per RFC 8259" python3 -c 'import json,sys; assert json.loads(sys.argv[1])["ioprio"][0]["command"] == "two words\ttab"' "$out"
gone=$(sh -c 'echo $$')
run "$IG" -p "$c,$gone"
check "gone: exit 1" [ "$rc" = 1 ]
check "gone: named" has "$err" "PID $gone: No such process"
check "gone: the others shown" has "$out" "$c"
run "$IG" -P "$gone"
check "-P empty group" [ "$rc" = 1 ] && check "-P empty group message" has "$err" "PGID $gone: no such process group"
for case in "-p abc|invalid PID argument: 'abc'" "-p 1,,2|invalid PID argument" "-p 0|invalid PID argument: '0'" \
    "-o NOPE|unknown column: 'NOPE'" "-o PID,,TID|empty column name in 'PID,,TID'" \
    "-o PID,|empty column name in 'PID,'" "-o ,PID|empty column name in ',PID'" \
    "-o PID,pid|column 'PID' given twice in 'PID,pid'" "-o +pid|column 'PID' given twice in '+pid'" \
    "-o +|empty column name in '+'" "-u no-such-user-ioprio|no such user" "-r -J|one at a time" \
    "--bogus|unrecognized option '--bogus'" "-x|invalid option -- 'x'"; do
  args=${case%%|*} msg=${case#*|}
  # shellcheck disable=SC2086
  run "$IG" $args
  check "bad input [$args]" [ "$rc" = 1 -a -z "$out" ] && check "bad input [$args] message" has "$err" "$msg"
done
run sh -c "\"$IG\" -A >/dev/full"
check "write error" [ "$rc" = 1 ] && check "write error message" has "$err" "write error"
##### a process whose threads differ: its row says so (ionice -p sets one thread)
spawn sleep 600; one=$child # a thread alone
spawn "$THREADS" 3 "mx$run_id"; mx=$child
for k in $(seq 50); do [ "$(ls "/proc/$mx/task" | wc -l)" -ge 3 ] && break; sleep 0.02; done
ionice -c3 -p "$mx"
note="ioprio-get: *: some threads of these processes have another priority; see -a"
run "$IG" -n -o PID,CLASS,PRIO,EPRIO -p "$mx,$one"
want=$(printf '%s\n' "$mx idle* idle* idle" "$one none  none  be/4" | sort -n)
check "the class and priority of a process whose threads differ marked" [ "$rc" = 0 -a "$(sed 's/  */ /g; s/^ //' <<<"$out")" = "$(sed 's/  */ /g' <<<"$want")" ]
check "one note for the mark" [ "$err" = "$note" ]
run "$IG" -r -n -o CLASS,PRIO -p "$mx"
check "raw: marked too" [ "$out" = "idle* idle*" -a "$err" = "$note" ]
run "$IG" -q -p "$mx"
check "-q: no note" [ "$rc" = 0 -a -z "$err" ] && check "-q: still marked" has "$out" "idle*"
run "$IG" -n -o PID,COMMAND -p "$mx"
check "no marked column shown: no note" [ "$rc" = 0 -a -z "$err" ]
run "$IG" -a -n -o CLASS -p "$mx"
check "-a: a row per thread, nothing marked" [ "$(sort <<<"$out" | uniq -c | awk '{print $1 $2}' | tr '\n' ' ')" = "1idle 2none " -a -z "$err" ]
run "$IG" -J -p "$mx,$one"
check "JSON: the distinct values, the main thread's first, only where they differ" python3 -c '
import json, sys
rows = {r["pid"]: r for r in json.loads(sys.argv[1])["ioprio"]}
mx, c = rows[int(sys.argv[2])], rows[int(sys.argv[3])]
assert mx["threads"] == ["idle", "none"] and mx["class"] == "idle", mx
assert "threads" not in c, c
' "$out" "$mx" "$one"
check "JSON: no note" [ -z "$err" ]
for k in $(ls "/proc/$mx/task"); do ionice -c3 -p "$k"; done
run "$IG" -n -o CLASS -p "$mx"
check "all threads alike: no mark" [ "$out" = "idle" -a -z "$err" ]

##### -C, --full, -T: the processes as ionice selects them
spawn "$THREADS" 1 "ig$run_id"; n1=$child
spawn bash -c "exec -a ig$run_id-tree sleep 600 & exec sleep 601"; tr=$child
for k in $(seq 50); do [ -n "$(ps -o pid= --ppid "$tr")" ] && break; sleep 0.02; done
tc=$(ps -o pid= --ppid "$tr" | tr -d ' ')
children+=($tc)
run "$IG" -r -n -o PID,COMMAND -C "^ig$run_id\$"
check "-C: by name" [ "$rc" = 0 -a "$out" = "$n1 ig$run_id" ]
run "$IG" -r -n -o PID -C "^ig$run_id" --full
check "--full: by the command line" [ "$rc" = 0 -a "$out" = "$tc" ]
run "$IG" -r -n -o PID -T -p "$tr"
check "-T: the process and its child" [ "$rc" = 0 -a "$out" = "$(printf '%s\n' "$tr" "$tc" | sort -n)" ]
run "$IG" -r -n -o PID -T -p "$tr" -C "^ig$run_id\$"
check "-p with -C: every kind met" [ "$rc" = 1 -a -z "$out" -a "$err" = "ioprio-get: no process matched" ]
run "$IG" -r -n -o PID,TID -a -T -C "^mx$run_id\$"
check "-a -T -C: a row per thread" [ "$rc" = 0 -a "$(wc -l <<<"$out")" = 3 ]
run sh -c 'exec "$0" -r -n -o PID -T -p $$' "$IG"
check "never itself" [ "$rc" = 1 -a "$err" = "ioprio-get: no process matched" ]
if is_root; then
  run "$IG" -r -n -o PID -u "$U" -C "^sleep\$"
  check "-u with -C: the user's match" [ "$rc" = 0 -a "$out" = "$(printf '%s\n' "$u1" "$u2")" ]
fi
for case in "-C (|invalid regular expression: '('" "--full|--full goes with --command" \
    "-T|--tree needs processes to start from" "--devices -C x|--devices"; do
  args=${case%%|*} msg=${case#*|}
  # shellcheck disable=SC2086
  run "$IG" $args
  check "bad input [$args]" [ "$rc" = 1 -a -z "$out" ] && check "bad input [$args] message" has "$err" "$msg"
done

##### bash completion
load_completion ioprio-get
complete_words ioprio-get -o PID,EC; check "complete columns after a comma" [ "$out" = "PID,ECLASS " ]
complete_words ioprio-get -o +PR; check "complete +LIST" [ "$out" = "+PRIO " ]
complete_words ioprio-get -o pid,ec; check "complete lower-case names" [ "$out" = "pid,eclass " ]
complete_words ioprio-get --output=PID,EP; check "complete --output=LIST" [ "$out" = "--output=PID,EPRIO " ]
complete_words ioprio-get --output = EV; check "complete --output = LIST (split at =)" [ "$out" = "EVALUE " ]
complete_words ioprio-get -p "$c"; check "complete pids" has " $out" " $c "
complete_words ioprio-get --all-t; check "complete options" [ "$out" = "--all-tasks " ]
complete_words ioprio-get -C sle; check "complete -C: the names running" has " $out" " sleep "
completes_help_options "$IG"

run "$IG" --list-columns; check "--list-columns" [ "$(echo "$out" | wc -l)" = 16 ]
run "$IG" -V; check "--version" has "$out" "ioprio-get from ioprio-utils"

finish ioprio-get
