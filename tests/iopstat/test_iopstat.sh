#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end tests of iopstat: the real binary on the real /proc, against
# writer children this script started (each in its own session, ended by
# pid) that do an exact amount of O_DIRECT I/O.
#   usage: test_iopstat.sh IOPSTAT WRITER_HELPER THREADS_HELPER
IOPSTAT=$1 WRITER=$2 THREADS=$3
MiB=1048576
# O_DIRECT needs a block device: /var/tmp rather than a tmpfs /tmp
TEST_TMP_BASE=${TMPDIR:-/var/tmp}
. "$(dirname "$0")/../lib.sh"

need_block_device

# names unique to this run (comm holds 15 bytes): two copies of this script
# at once never see each other's writers, not even through -C
WN="w$run_id io"
start_writer "$WN"; w=$W
# The kernel's own counters are the oracle for the snapshot: the writer is
# idle now, so they hold still.  They are its megabyte written and half
# megabyte read, and at times more charged to it (filesystem bookkeeping,
# page faults); the interval test below shows the megabyte alone, exactly.
wb=$(kernel_io "$w" write_bytes) rb=$(kernel_io "$w" read_bytes)
check "kernel counts the megabyte written" [ "$wb" -ge $MiB -a "$wb" -le $((MiB + 65536)) ]
# (reads may be more: page faults on the helper's own binary count too, many
# for a sanitized build whose pages were evicted by a parallel build)
check "kernel counts the half megabyte read" [ "$rb" -ge 524288 ]

##### one snapshot, every format, exact bytes
run "$IOPSTAT" -p "$w"
check "table row" has "$out" "$(printf '%7d' "$w") $(id -un)"
check "table bytes" has "$out" "$(printf '%12d %12d' "$rb" "$wb")"
check "table command" has "$out" " $WN"
check "table totals" has "$out" "(1 process)"
check "table exit" [ "$rc" = 0 ]

run "$IOPSTAT" -p "$w" --format csv -o pid,read,write,cancelled,prio,command
check "csv" [ "$out" = "pid,read,write,cancelled,prio,command
$w,$rb,$wb,0,be/4,$WN" ]

run "$IOPSTAT" -p "$w" --format json
check "json" python3 -c '
import json, sys
doc = json.loads(sys.argv[1]); p = doc["processes"][0]
assert doc["type"] == "snapshot" and doc["seconds"] is None, doc
wb = int(sys.argv[4])
assert p["pid"] == int(sys.argv[2]) and p["read"] == int(sys.argv[6]) and p["write"] == wb, p
assert p["command"] == sys.argv[5] and p["prio"] == "be/4" and p["uid"] == int(sys.argv[3]), p
assert isinstance(p["read_rate"], float) and p["read_rate"] > 0, p
assert doc["totals"]["write"] == wb and doc["totals"]["processes"] == 1, doc
' "$out" "$w" "$(id -u)" "$wb" "$WN" "$rb"

prom="$tmp/metrics/iopstat.prom"
mkdir -p "$(dirname "$prom")"
run sh -c "umask 022; exec \"$IOPSTAT\" -p $w --format prometheus --write $prom"
check "prometheus to a file: quiet" [ "$rc" = 0 -a -z "$out" ]
# a counter's identity: pid and start time (field 22), nothing that changes
st=$(sed 's/.*) //' "/proc/$w/stat" | awk '{print $20}')
check "prometheus written" grep -qx "iopstat_write_bytes_total{pid=\"$w\",start=\"$st\"} $wb" "$prom"
check "prometheus read" grep -qx "iopstat_read_bytes_total{pid=\"$w\",start=\"$st\"} $rb" "$prom"
check "prometheus info" grep -qx "iopstat_process_info{pid=\"$w\",start=\"$st\",comm=\"$WN\",user=\"$(id -un)\",ioprio=\"be/4\"} 1" "$prom"
check "prometheus file readable by the collector" [ "$(stat -c %a "$prom")" = 644 ]
check "no temporary file left" [ "$(ls "$(dirname "$prom")")" = iopstat.prom ]
# promtool_ok FILE: promtool accepts it, lint warnings included
promtool_ok() { local o; o=$(promtool check metrics <"$1" 2>&1) && [ -z "$o" ] || { echo "$o"; false; }; }
if command -v promtool >/dev/null; then
  check "promtool accepts it" promtool_ok "$prom"
else
  skip "promtool not installed (Debian's prometheus; scripts/install-deps.sh)"
  [ -z "${CI:-}" ] || bad "promtool missing in CI"
fi
# a priority change (the cron job demoting a backup) keeps every counter's series
ionice -c3 -p "$w"
"$IOPSTAT" -p "$w" --format prometheus >"$tmp/after.prom"
check "ionice does not start new counter series" \
  [ "$(grep -v '^#\|_info\|^iopstat_scan\|^iopstat_processes\|^iopstat_denied' "$prom" | sed 's/ .*//')" = \
    "$(grep -v '^#\|_info\|^iopstat_scan\|^iopstat_processes\|^iopstat_denied' "$tmp/after.prom" | sed 's/ .*//')" ]
check "the info gauge shows the new priority" grep -q "^iopstat_process_info{pid=\"$w\".*ioprio=\"idle\"} 1" "$tmp/after.prom"
ionice -c2 -n4 -p "$w"
# --label: on every series, the run-level gauges included; two writers with
# different labels never collide
run "$IOPSTAT" -p "$w" --format prometheus --label env=test --label 'note=a"b\c'
check "--label on every series" [ "$(grep -v '^#' <<<"$out" | grep -vc 'env="test",note="a\\"b\\\\c"')" = 0 ]
check "--label on the gauges" grep -qx 'iopstat_processes{env="test",note="a\\"b\\\\c"} 1' <<<"$out"
if command -v promtool >/dev/null; then
  echo "$out" >"$tmp/labelled.prom"
  check "promtool accepts labelled output" promtool_ok "$tmp/labelled.prom"
fi

##### interval mode: deltas, exactly the megabyte written in between.
##### The megabyte is written once the first report is out (so after the
##### first scan, however slowly iopstat runs, e.g. under valgrind).
# (the kernel may charge the writer for file system bookkeeping on top of
# its MiB: its own counter before and after is the oracle)
w_before=$(kernel_io "$w" write_bytes)
mkfifo "$tmp/reports"
"$IOPSTAT" -p "$w" --format json 0.25 4 >"$tmp/reports" 2>"$tmp/err" &
reporter=$!
exec {rep_fd}<"$tmp/reports"
out=
while IFS= read -r -t 60 line <&$rep_fd; do
  [ -z "$out" ] && kill -USR1 "$w"
  out+="$line"$'\n'
done
exec {rep_fd}<&-
wait "$reporter"; rc=$?
out=${out%$'\n'} err=$(cat "$tmp/err")
w_grew=$(( $(kernel_io "$w" write_bytes) - w_before ))
no_memory_errors "interval run" "$rc" "$err"
check "interval: exit 0" [ "$rc" = 0 ]
check "interval: four reports and a summary" [ "$(echo "$out" | wc -l)" = 5 ]
check "interval deltas" python3 -c '
import json, sys
docs = [json.loads(l) for l in sys.argv[1].splitlines()]
assert [d["type"] for d in docs] == ["interval"] * 4 + ["summary"], docs
# the schedule is absolute: a late scan lengthens one interval and shortens
# the next, and under load the megabyte may straddle two intervals
assert all(0 < d["seconds"] < 5 for d in docs[:4]), docs
assert 0.9 < sum(d["seconds"] for d in docs[:4]) < 5, docs
writes = [sum(p["write"] for p in d["processes"]) for d in docs[:4]]
grew = int(sys.argv[2])
assert sum(writes) == grew and grew >= 1048576, (writes, grew)
assert docs[4]["processes"][0]["write"] == grew, docs[4]
assert docs[4]["processes"][0]["read"] == 0, docs[4]
' "$out" "$w_grew"
read -r -t 5 line <&$W_FD

##### the summary covers the whole run: a writer that does its megabyte
##### and exits before the last sample is in it, exactly
XN="x$run_id io"
start_writer "$XN"; x=$W; x_fd=$W_FD
mkfifo "$tmp/reports2"
"$IOPSTAT" -C "^$XN\$" --format json 0.25 16 >"$tmp/reports2" 2>"$tmp/err" &
reporter=$!
exec {rep_fd}<"$tmp/reports2"
out= n=0 seen=0
while IFS= read -r -t 60 line <&$rep_fd; do
  n=$((n + 1))
  out+="$line"$'\n'
  if [ "$n" = 1 ]; then # after the first report: the megabyte
    x_before=$(kernel_io "$x" write_bytes)
    kill -USR1 "$x"
    read -r -t 20 ack <&$x_fd
    x_grew=$(( $(kernel_io "$x" write_bytes) - x_before ))
  elif [ "$seen" = 0 ] && python3 -c '
import json, sys
ds = [json.loads(l) for l in sys.argv[1].splitlines()]
sys.exit(sum(p["write"] for d in ds for p in d["processes"]) != int(sys.argv[2]))' "$out" "$x_grew"; then
    seen=1 # the reports have shown all of it: now the writer ends
    kill -KILL "$x"
    wait "$x" 2>/dev/null
  fi
done
exec {rep_fd}<&-
wait "$reporter"; rc=$?
out=${out%$'\n'} err=$(cat "$tmp/err")
no_memory_errors "interval run with an exit" "$rc" "$err"
check "an exit mid-run: exit 0" [ "$rc" = 0 ] && check "an exit mid-run: it ended before the last sample" [ "$seen" = 1 ]
check "the summary keeps what an exited process did" python3 -c '
import json, sys
docs = [json.loads(l) for l in sys.argv[1].splitlines()]
assert [d["type"] for d in docs] == ["interval"] * 16 + ["summary"], docs
grew = int(sys.argv[3])
assert grew >= 1048576, grew
assert sum(p["write"] for d in docs[:16] for p in d["processes"]) == grew, docs
assert not docs[15]["processes"], docs[15]  # it had ended by the last sample
s = docs[16]
assert [p["pid"] for p in s["processes"]] == [int(sys.argv[2])], s
assert s["processes"][0]["write"] == grew and s["totals"]["write"] == grew, s
assert s["totals"]["processes"] == 1, s
' "$out" "$x" "${x_grew:-0}"

##### threads: the I/O shows in the thread that did it
start_writer "t$run_id io" thread; t=$W
run "$IOPSTAT" -t -p "$t" --format csv -o pid,tid,write
others=$(echo "$out" | awk -F, -v p="$t" 'NR > 1 && $2 != p {print $3}')
check "-t: a row per thread" [ "$(echo "$out" | wc -l)" -ge 2 ]
main_write=$(awk -F, -v p="$t" 'NR > 1 && $2 == p {print $3}' <<<"$out")
check "-t: the megabyte is not the main thread's" [ -n "$main_write" ] && [ "$main_write" -lt $MiB ]
# the worker thread has exited: its counts live on in the process file only
run "$IOPSTAT" -p "$t" --format csv -o write -n
check "process row counts dead threads" [ "$out" = "$(kernel_io "$t" write_bytes)" -a "$out" -ge $MiB ]

##### selection
run "$IOPSTAT" -p "$w" -u "$(id -u)" --format csv -n -o pid
check "-u uid" [ "$out" = "$w" ]
run "$IOPSTAT" -p "$w" -u "$(id -un)" --format csv -n -o pid
check "-u name" [ "$out" = "$w" ]
other=$(unused_uid) # a user that is not us, whoever runs the test
run "$IOPSTAT" -u "$other" -C "^$WN\$" --format csv -n -o pid
check "-u other user" [ -z "$out" -a "$rc" = 0 ]
run "$IOPSTAT" -C "^w$run_id i" --format csv -n -o pid,command
check "-C regex" [ "$out" = "$w,$WN" ]
run "$IOPSTAT" -p "$w,$t" -s pid --format csv -n -o pid
check "-p list, -s pid" [ "$out" = "$(printf '%s\n' "$w" "$t" | sort -n)" ]
run "$IOPSTAT" --only-active --top 3 --format csv -n -o pid
check "--top" [ "$(echo "$out" | wc -l)" -le 3 ]
run "$IOPSTAT" -p "$w" -o pid,iodelay --format csv
check "iodelay column" [ "$(echo "$out" | tail -1 | cut -d, -f2)" != "" ]
if [ "$(cat /proc/sys/kernel/task_delayacct 2>/dev/null)" = 0 ]; then
  check "delay accounting note" has "$err" "kernel.task_delayacct"
fi
run "$IOPSTAT" -p "$w" -l --format csv -n -o command
check "-l command line" [ "$out" = "$WRITER $tmp/w1 $MiB $WN" ]

##### odd command names: escaped in the table, exact in JSON
start_writer "$run_id"$'\tt\nn'; o=$W
run "$IOPSTAT" -p "$o"
check "table escapes control characters" has "$out" "$run_id"'\x09t\x0an'
run "$IOPSTAT" -p "$o" --format json -o command
check "json keeps the name" python3 -c '
import json, sys; assert json.loads(sys.argv[1])["processes"][0]["command"] == sys.argv[2] + "\tt\nn"' "$out" "$run_id"

##### another procfs: a fixture copied from the real one
fx="$tmp/fixture"
mkdir -p "$fx/4242"
cp "/proc/$w/io" "$fx/4242/io"
sed "s/^$w /4242 /" "/proc/$w/stat" >"$fx/4242/stat"
cp /proc/uptime "$fx/uptime"
run "$IOPSTAT" --proc "$fx" --format csv -o pid,prio,write,command
check "--proc" [ "$out" = "pid,prio,write,command
4242,,$(kernel_io "$w" write_bytes),$WN" ]

##### errors and exit status
gone=$(sh -c 'echo $$')
run "$IOPSTAT" -p "$gone"
check "gone pid: exit 1" [ "$rc" = 1 ]
check "gone pid: named" has "$err" "PID $gone: no such process"
run "$IOPSTAT" --proc "$tmp/nowhere"
check "bad --proc" [ "$rc" = 1 ] && check "bad --proc message" has "$err" "cannot open $tmp/nowhere"
for case in "0|invalid interval: '0'" "-- -1|invalid interval: '-1'" "1x|invalid interval: '1x'" \
    "1 0|invalid count: '0'" "1 2 3|unexpected argument: '3'" "-o nope|unknown column: 'nope'" \
    "-o pid,,read|empty column name in 'pid,,read'" "-o pid,|empty column name in 'pid,'" \
    "-o ,pid|empty column name in ',pid'" "-o pid,PID|column 'pid' given twice in 'pid,PID'" \
    "-o +pid|column 'pid' given twice in '+pid'" "-o +|empty column name in '+'" \
    "-s command|cannot sort by a text column: 'command'" "--format prometheus -o read_rate|column 'read_rate' has no prometheus form" \
    "--format xml|unknown format: 'xml'" "-s bogus|unknown sort key: 'bogus'" \
    "-p abc|invalid PID argument: 'abc'" "-p 1,,2|invalid PID argument" "--top 0|invalid --top argument: '0'" \
    "--label 1x=a|invalid label name: '1x'" "--label __x=a|invalid label name: '__x'" \
    "--label pid=1|invalid label name: 'pid'" "--label env|invalid --label argument: 'env'" \
    "--label =x|invalid --label argument: '=x'" "--label a-b=x|invalid label name: 'a-b'" \
    "--label e=1 --label e=2|label 'e' given twice" \
    "-C (|invalid regular expression: '('" "--timestamp=week|invalid timestamp format: 'week'" \
    "-T week|invalid interval: 'week'" \
    "-u no-such-user-ioprio|no such user" "--bogus|unrecognized option '--bogus'"; do
  args=${case%%|*} msg=${case#*|}
  # shellcheck disable=SC2086
  run "$IOPSTAT" $args
  check "bad input [$args]: exit 1" [ "$rc" = 1 -a -z "$out" ]
  check "bad input [$args]: message" has "$err" "$msg"
done

##### output: pipes and write errors
run sh -c "\"$IOPSTAT\" -t | head -1"
check "a closed pipe is quiet" [ "$(grep -ciE 'write|pipe' <<<"$err")" = 0 ]
run sh -c "\"$IOPSTAT\" -p $w >/dev/full"
check "write error: exit 1" [ "$rc" = 1 ]
check "write error: said" has "$err" "write error"
run sh -c "\"$IOPSTAT\" -p $w 0.1 >/dev/full"
check "write error in interval mode" [ "$rc" = 1 ]

##### timestamps
run "$IOPSTAT" -p "$w" -T epoch --format csv -n -o pid
check "-T epoch" grep -qE "^[0-9]{10}\.[0-9]{3},$w\$" <<<"$out"
run "$IOPSTAT" -p "$w" --timestamp=epoch --format csv -n -o pid
check "--timestamp=epoch" grep -qE "^[0-9]{10}\.[0-9]{3},$w\$" <<<"$out"
run "$IOPSTAT" -p "$w" -T
check "-T iso" grep -qE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} +$w " <<<"$out"

##### SIGTERM ends an endless run cleanly, with a summary (sent once two
##### reports are out, so the handler is surely in place)
"$IOPSTAT" -p "$w" 0.1 >"$tmp/endless" 2>&1 &
endless=$!
for i in $(seq 600); do
  [ "$(grep -c '^ *PID' "$tmp/endless")" -ge 2 ] && break
  sleep 0.1
done
kill -TERM "$endless"
wait "$endless"; rc=$?
out=$(cat "$tmp/endless") err=
no_memory_errors "endless run" "$rc" "$out"
check "SIGTERM: exit 0" [ "$rc" = 0 ]
check "SIGTERM: summary" has "$out" "Summary: "

##### watching for a job not started yet: every report empty, no error
run "$IOPSTAT" -C "^nothing$run_id\$" --format csv -o pid,write 0.1 2
check "an empty first scan: exit 0" [ "$rc" = 0 -a "$out" = "pid,write" ]
run "$IOPSTAT" -g comm -C "^nothing$run_id\$" -J 0.1 2
check "an empty first scan, grouped: reports" [ "$rc" = 0 -a "$(grep -c '"type":"interval"' <<<"$out")" = 2 ]

##### a process whose threads differ: PRIO is its main thread's, marked
spawn "$THREADS" 3 "mx$run_id"; mx=$child
for k in $(seq 100); do [ "$(ls "/proc/$mx/task" | wc -l)" -ge 4 ] && break; sleep 0.02; done
mx_tids=$(ls "/proc/$mx/task" | sort -n)
ionice -c3 -p "$(grep -vx "$mx" <<<"$mx_tids" | head -1)" # one thread alone
mark_note="iopstat: *: some threads of these processes have another I/O priority; see -t"
run "$IOPSTAT" -n -o pid,prio -p "$mx"
check "marked: another thread's priority" [ "$(tr -s ' ' <<<"$out" | sed 's/^ //')" = "$mx be/4*" ]
check "one note for the mark" [ "$err" = "$mark_note" ]
run "$IOPSTAT" -n -o pid,prio -p "$mx" 1 3
check "interval mode: the note once" [ "$(grep -c '\*' <<<"$out")" -ge 2 -a "$(without_exits_note "$err")" = "$mark_note" ]
run "$IOPSTAT" -q -n -o pid,prio -p "$mx"
check "-q: marked, no note" [ "$(tr -s ' ' <<<"$out" | sed 's/^ //')" = "$mx be/4*" -a -z "$err" ]
run "$IOPSTAT" --format csv -o pid,prio -p "$mx"
check "csv: the value alone" [ "$out" = "pid,prio
$mx,be/4" -a -z "$err" ]
run "$IOPSTAT" -t -n -o tid,prio -p "$mx"
check "-t: each thread's own, unmarked" [ "$(grep -c 'idle' <<<"$out")" = 1 -a "$(grep -c '\*' <<<"$out")" = 0 -a -z "$err" ]
for t in $mx_tids; do ionice -c3 -p "$t"; done
run "$IOPSTAT" -n -o pid,prio -p "$mx"
check "all threads alike: no mark" [ "$(tr -s ' ' <<<"$out" | sed 's/^ //')" = "$mx idle" -a -z "$err" ]

##### -q: no notes, errors all the same
run "$IOPSTAT" -q -p "$w" -o pid,iodelay --format csv -n
check "-q: no note" [ "$rc" = 0 -a -z "$err" -a "$(cut -d, -f1 <<<"$out")" = "$w" ]
gone=$(sh -c 'echo $$')
run "$IOPSTAT" -q -p "$gone"
check "-q: errors still said" [ "$rc" = 1 ] && check "-q: the error" has "$err" "PID $gone: no such process"

##### bash completion
load_completion iopstat
complete_words iopstat -o pid,wr; check "complete columns after a comma" [ "$out" = "pid,write pid,write_rate " ]
complete_words iopstat --format p; check "complete formats" [ "$out" = "prometheus " ]
complete_words iopstat -s read_; check "complete sort keys" [ "$out" = "read_rate " ]
complete_words iopstat -s u; check "complete sort keys: no text column" [ "$out" = "uid " ]
complete_words iopstat --group-by c; check "complete group keys" [ "$out" = "cgroup comm " ]
complete_words iopstat -o +io; check "complete +LIST" [ "$out" = "+io +iodelay " ]
complete_words iopstat --output=pid,RC; check "complete --output=LIST, upper case" [ "$out" = "--output=pid,RCHAR " ]
complete_words iopstat -p "$w"; check "complete pids" has " $out" " $w "
complete_words iopstat --only; check "complete options" [ "$out" = "--only-active " ]
completes_help_options "$IOPSTAT"

##### help, version, columns
run "$IOPSTAT" --help; check "--help" has "$out" "--format <fmt>"
run "$IOPSTAT" --list-columns; check "--list-columns" [ "$(echo "$out" | wc -l)" = 20 ]
run "$IOPSTAT" -V; check "--version" has "$out" "iopstat from ioprio-utils"

finish iopstat
