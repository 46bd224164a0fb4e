#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end tests of iopstat --group-by and --state on writer children
# this script started (each in its own session, ended by pid) that do an
# exact amount of O_DIRECT I/O.  The kernel's own counters are the oracle:
# a group's counters equal the sum of its members' while they live (and
# of the last counts of those that exited), never go down when a member
# exits, and count a reaped child's I/O once (a
# writer forks a child of its own name that writes a MiB and is waited
# for, so the kernel adds that MiB to the parent too) -- in interval mode,
# and across one-shot runs carried by --state.
#   usage: test_groups.sh IOPSTAT WRITER_HELPER
IOPSTAT=$1 WRITER=$2
TEST_TMP_BASE=${TMPDIR:-/var/tmp}
. "$(dirname "$0")/../lib.sh"
need_block_device

# one name for this run's group (comm holds 15 bytes), unique to the run
GN="g$run_id"
start_writer "$GN"; w1=$W w1_fd=$W_FD
start_writer "$GN"; w2=$W
start_writer "$GN"; w3=$W w3_fd=$W_FD
SEL=(-g comm -C "^$GN\$")
sum_io() { local f=$1 s=0 p; shift; for p in "$@"; do s=$((s + $(kernel_io "$p" "$f"))); done; echo $s; }

##### one-shot: a row per group, the kernel's sums, in every format
run "$IOPSTAT" "${SEL[@]}" --format csv -o group,procs,write,read,syscw
check "one-shot csv" [ "$out" = "group,procs,write,read,syscw
$GN,3,$(sum_io write_bytes $w1 $w2 $w3),$(sum_io read_bytes $w1 $w2 $w3),$(sum_io syscw $w1 $w2 $w3)" ]
run "$IOPSTAT" "${SEL[@]}"
check "one-shot table: the key's header" has "$out" "COMM"
check "one-shot table: the group" has "$out" "$GN"
check "one-shot table: totals" has "$out" "total (1 group)"
run "$IOPSTAT" "${SEL[@]}" -J
check "one-shot json" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["group_by"] == "comm" and d["totals"]["groups"] == 1 and d["totals"]["processes"] == 3, d
g = d["groups"][0]
assert g["group"] == sys.argv[2] and g["procs"] == 3 and g["write"] == int(sys.argv[3]), g
assert g["read_rate"] is None, g  # a lifetime rate does not add up over members
' "$out" "$GN" "$(sum_io write_bytes $w1 $w2 $w3)"
run "$IOPSTAT" "${SEL[@]}" --format prometheus --label host=a
check "prometheus: the key is the identity" grep -qx "iopstat_group_write_bytes_total{comm=\"$GN\",host=\"a\"} $(sum_io write_bytes $w1 $w2 $w3)" <<<"$out"
check "prometheus: members" grep -qx "iopstat_group_processes{comm=\"$GN\",host=\"a\"} 3" <<<"$out"
check "prometheus: no pid series" bash -c '! grep -q "pid=" <<<"$1"' _ "$out"
if command -v promtool >/dev/null; then
  lint=$(printf '%s\n' "$out" | promtool check metrics 2>&1)
  check "promtool accepts group series" [ $? = 0 -a -z "$lint" ]
elif [ -n "${CI:-}" ]; then
  bad "promtool missing in CI"
fi
for case in "-g bogus|unknown --group-by key: 'bogus'" "-g comm -t|one or the other" \
    "-g comm -o pid|column 'pid' is a process's" "-g user -s pid|cannot sort groups by 'pid'" \
    "--state $tmp/s|give --group-by too" "-g comm --format prometheus -o command|column 'command' is a process's"; do
  args=${case%%|*} msg=${case#*|}
  # shellcheck disable=SC2086
  run "$IOPSTAT" $args
  check "bad input [$args]" [ "$rc" = 1 ] && check "bad input [$args] message" has "$err" "$msg"
done

##### interval mode: counters that never go down, each byte once.  Events
##### (a MiB more, an exit, a forked child reaped) follow the reports.
mkfifo "$tmp/reports"
"$IOPSTAT" "${SEL[@]}" --format prometheus 0.2 >"$tmp/reports" 2>"$tmp/err" &
reporter=$!
children+=("$reporter")
exec {rep_fd}<"$tmp/reports"
# next_report: reads one report; $V its write counter, $P its members
next_report() {
  local line
  V= P=
  while IFS= read -r -t 30 line <&$rep_fd; do
    case $line in
      "iopstat_group_write_bytes_total{comm=\"$GN\"} "*) V=${line##* } ;;
      "iopstat_group_processes{comm=\"$GN\"} "*) P=${line##* } ;;
      iopstat_scan_timestamp_seconds*) return 0 ;;
    esac
  done
  return 1
}
values=()
# until V is want (or 25 reports): the counter follows the kernel
wait_for() {
  local want=$1 k
  for k in $(seq 25); do
    next_report || return 1
    values+=("$V")
    [ "$V" = "$want" ] && return 0
  done
  return 1
}
alive3=$(sum_io write_bytes $w1 $w2 $w3)
wait_for "$alive3"
check "interval: the kernel's sum while all live" [ "$V" = "$alive3" -a "$P" = 3 ]
kill -USR1 "$w1"; read -r -t 20 ack <&$w1_fd
# (the kernel may charge a writer for file system bookkeeping too: it is
# the oracle, the MiB its least)
more=$(sum_io write_bytes $w1 $w2 $w3)
check "interval: a MiB more" [ "$more" -ge $((alive3 + MiB)) ]
wait_for "$more"
check "interval: follows a member's I/O" [ "$V" = "$more" ]
w2_last=$(kernel_io "$w2" write_bytes)
kill -KILL "$w2"; wait "$w2" 2>/dev/null
for k in 1 2 3; do next_report; values+=("$V"); done
check "interval: a member exits, the counter keeps what it did" [ "$V" = "$more" -a "$P" = 2 ]
check "interval: that is the living's sum and the exited's last" [ "$V" = $(( $(sum_io write_bytes $w1 $w3) + w2_last )) ]
kill -USR2 "$w3"; read -r -t 30 ack <&$w3_fd
check "the writer's child was reaped" [ "$ack" = reaped ]
# the kernel added the child's MiB to its parent; the group counts it once
check "the kernel charged the parent for its child" [ "$(kernel_io "$w3" write_bytes)" -ge $((2 * MiB)) ]
# the living's counts (the child's I/O in its parent's, once) and the last
# of the one that exited
forked=$(( $(sum_io write_bytes $w1 $w3) + w2_last ))
check "interval: the child's MiB in the oracle" [ "$forked" -ge $((more + MiB)) ]
wait_for "$forked"
for k in 1 2 3; do next_report; values+=("$V"); done
check "interval: a reaped child counts once" [ "$V" = "$forked" -a "$P" = 2 ]
check "interval: never down" python3 -c '
import sys
v = [int(x) for x in sys.argv[1:]]
assert all(a <= b for a, b in zip(v, v[1:])), v
' "${values[@]}"
kill -TERM "$reporter"
cat <&$rep_fd >/dev/null # what it still writes, to its end
exec {rep_fd}<&-
wait "$reporter"; rc=$?
no_memory_errors "grouped interval run" "$rc" "$(cat "$tmp/err")"
check "interval: exit 0 on SIGTERM" [ "$rc" = 0 ]

##### interval mode, CSV: each row is what the group did in the interval
csv_before=$(sum_io write_bytes $w1 $w3)
mkfifo "$tmp/deltas.fifo"
"$IOPSTAT" "${SEL[@]}" --format csv -o group,procs,write 0.2 6 >"$tmp/deltas.fifo" 2>"$tmp/err" &
reporter=$!
children+=("$reporter")
exec {rep_fd}<"$tmp/deltas.fifo"
: >"$tmp/deltas"
# the MiB once the first interval is reported (so after the first scan,
# however slowly iopstat runs, e.g. under valgrind)
for k in 1 2; do IFS= read -r -t 60 line <&$rep_fd && printf '%s\n' "$line" >>"$tmp/deltas"; done
kill -USR1 "$w1"; read -r -t 20 ack <&$w1_fd
cat <&$rep_fd >>"$tmp/deltas"
exec {rep_fd}<&-
wait "$reporter"; rc=$?
no_memory_errors "grouped csv run" "$rc" "$(cat "$tmp/err")"
csv_after=$(sum_io write_bytes $w1 $w3)
check "interval csv: the MiB in the deltas, once" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert all(r["group"] == sys.argv[2] and r["procs"] == "2" for r in rows), rows
got, want = sum(int(r["write"]) for r in rows), int(sys.argv[3])
assert got == want and want >= 1048576, (got, want, rows)
' "$tmp/deltas" "$GN" $((csv_after - csv_before))

##### --state: the same accounting across one-shot runs (as from cron)
state=$tmp/iopstat.state
oneshot() { run "$IOPSTAT" "${SEL[@]}" --format prometheus --state "$state" "$@"; V=$(sed -n "s/^iopstat_group_write_bytes_total{comm=\"$GN\"} //p" <<<"$out"); }
oneshot
base=$(sum_io write_bytes $w1 $w3)
check "state: the first run starts from the kernel's sums" [ "$rc" = 0 -a "$V" = "$base" ]
check "state: the first run says there was none" has "$err" "no state in $state yet"
check "state: written, private" [ -f "$state" -a "$(stat -c %a "$state")" = 600 ]
oneshot
check "state: a run later, the same" [ "$V" = "$base" -a -z "$err" ]
kill -USR1 "$w1"; read -r -t 20 ack <&$w1_fd
oneshot
check "state: a MiB more" [ "$V" = "$(sum_io write_bytes $w1 $w3)" -a "$V" -ge $((base + MiB)) ]
w1_last=$(kernel_io "$w1" write_bytes)
kill -KILL "$w1"; wait "$w1" 2>/dev/null
before=$V
oneshot
check "state: a member gone, the counter stays" [ "$V" = "$before" ]
check "state: the living's and the gone's" [ "$V" = $(( $(kernel_io "$w3" write_bytes) + w1_last )) ]
kill -USR2 "$w3"; read -r -t 30 ack <&$w3_fd
oneshot
check "state: a reaped child counts once" [ "$V" = $(( $(kernel_io "$w3" write_bytes) + w1_last )) -a "$V" -ge $((before + MiB)) ]
cp "$state" "$tmp/good.state"
# what is not usable is said, and the counters start again from the
# kernel's sums: no crash, no garbage
printf 'iopstat-state 1\nboot x\n' >"$state"
oneshot
check "state: another boot" has "$err" "from before the last boot"
check "state: another boot, afresh" [ "$rc" = 0 -a "$V" = "$(kernel_io "$w3" write_bytes)" ]
sed 's/^tasks .*/tasks 999/' "$tmp/good.state" >"$state"
oneshot
check "state: corrupt" has "$err" "not using the state in $state"
check "state: corrupt, afresh" [ "$rc" = 0 -a "$V" = "$(kernel_io "$w3" write_bytes)" ]
head -c 7 /dev/urandom >"$state"
oneshot -q
check "state: garbage, -q: quiet" [ "$rc" = 0 -a -z "$err" ]
cp "$tmp/good.state" "$state"
run "$IOPSTAT" -g comm -C "^x$GN\$" --format prometheus --state "$state"
check "state: other options" has "$err" "written for other options"
rm -f "$state"
ln -s "$tmp/elsewhere" "$state"
oneshot
check "state: a symlink is never replaced" [ "$rc" = 1 ] && check "state: said" has "$err" "will not replace $state"
check "state: the link stays" [ -L "$state" -a ! -e "$tmp/elsewhere" ]
rm -f "$state"

##### -g user: children switched to an unused uid
if is_root; then
  U=$(unused_uid)
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups sleep 600
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups sleep 601
  run "$IOPSTAT" -g user -u "$U" --format csv -o group,procs
  check "-g user" [ "$out" = "group,procs
$U,2" ]
else
  skip "-g user: switching children to an unused uid needs root"
fi

##### -g unit / cgroup: a writer moved into a cgroup of the test's own
cg_root=
for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
  [ -e "$d/cgroup.procs" ] && [ -e "$d/cgroup.controllers" ] && { cg_root=$d; break; }
done
unit="iop-test-$run_id.service"
if is_root && [ -n "$cg_root" ] && mkdir "$cg_root/$unit" 2>/dev/null; then
  # moved back and the cgroup removed whatever happens
  trap 'echo "$w3" >"$cg_root/cgroup.procs" 2>/dev/null; rmdir "$cg_root/$unit" 2>/dev/null; cleanup' EXIT
  if echo "$w3" >"$cg_root/$unit/cgroup.procs" 2>/dev/null; then
    run "$IOPSTAT" -g unit --format csv -o group,procs,write
    check "-g unit: the writer's unit" grep -qx "$unit,1,$(kernel_io "$w3" write_bytes)" <<<"$out"
    run "$IOPSTAT" -g cgroup --format csv -o group,procs
    check "-g cgroup: its path" grep -q "/$unit,1\$" <<<"$out"
  else
    skip "-g unit: cannot move a process into $cg_root/$unit"
  fi
  echo "$w3" >"$cg_root/cgroup.procs" 2>/dev/null
  rmdir "$cg_root/$unit"
else
  skip "-g unit: no writable cgroup v2 hierarchy, or not root"
fi

finish groups
