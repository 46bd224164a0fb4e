#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iopstat -d against sysstat's iostat -x on a loop device this test made:
# after an exact number of O_DIRECT writes, both tools' since-boot rows,
# read through a JSON parser (iostat -x -o JSON, iopstat -d -J), agree: the
# count-based columns (%wrqm, w_await, wareq-sz, ...) to the last printed
# digit, the rates within what the two uptime reads apart allow.  Then an
# interval while a writer runs, within a stated tolerance.  Only the loop
# device made here is written; it is detached whatever happens.
#   usage: test_devices.sh IOPSTAT
IOPSTAT=$1
TEST_TMP_BASE=${TEST_TMP_BASE:-/var/tmp}
. "$(dirname "$0")/../lib.sh"
READER=/bin/false IONICE=/bin/false # loopdev.sh's race() is not used here
REGION_MIB=8
. "$(dirname "$0")/../e2e/loopdev.sh"
writer_pid=
stop_writer() { [ -z "$writer_pid" ] || { kill "$writer_pid" 2>/dev/null; wait "$writer_pid" 2>/dev/null; writer_pid=; }; }
trap 'stop_writer; loop_detach; cleanup' EXIT
trap 'exit 143' TERM INT HUP
rc=0 out= err=

cannot() {
  echo "SKIP: $1"
  [ "${CI:-}" != true ] || { echo "FAIL: under CI=true this must work"; exit 1; }
  exit 77
}
command -v iostat >/dev/null || cannot "iostat not installed (scripts/install-deps.sh installs sysstat)"
why=$(loop_missing)
[ -z "$why" ] || cannot "$why"
loop_make >"$tmp/why" || cannot "$(cat "$tmp/why")"
dev=${LOOP#/dev/}

# until the device's counters hold still (udev's probes of a new device)
settle() {
  local a b i
  for i in $(seq 50); do
    a=$(cat "$LOOP_SYS/stat"); sleep 0.2; b=$(cat "$LOOP_SYS/stat")
    [ "$a" = "$b" ] && return 0
  done
  return 1
}
command -v udevadm >/dev/null && udevadm settle -t 10 2>/dev/null
settle || bad "$dev never stopped doing I/O"
# 256 writes of 64 KiB each (16 MiB: enough milliseconds for an await
# to show), O_DIRECT: the loop device sees exactly these
w0=$(awk '{print $5}' "$LOOP_SYS/stat")
dd if=/dev/zero of="$LOOP" bs=64k count=256 oflag=direct conv=notrunc status=none ||
  bad "cannot write $LOOP"
settle || bad "$dev never stopped doing I/O after the writes"
w1=$(awk '{print $5}' "$LOOP_SYS/stat")
check "the kernel counts 256 writes on $dev" [ $((w1 - w0)) -eq 256 ]
# a test that compares zeros proves nothing: the write time must show
check "the writes took time on $dev" [ "$(awk '{print $8}' "$LOOP_SYS/stat")" -gt 0 ]

##### since boot: both tools, one after the other, on the idle device
u0=$(cut -d' ' -f1 /proc/uptime)
run iostat -x -o JSON -d "$dev"
ios=$out
check "iostat runs" [ "$rc" = 0 ]
run "$IOPSTAT" -d -J -p "$dev"
ours=$out
u1=$(cut -d' ' -f1 /proc/uptime)
check "iopstat -d -J runs" [ "$rc" = 0 -a -z "$err" ]
# the count-based columns: the same formula on the same counters, printed
# with two decimals (0.005 allowed only for the two tools' rounding of a
# last half digit); the rates: the same counts (the device is idle) over
# uptimes read at most u1 - u0 apart, so within rate * (u1 - u0) / u0, and
# the last digit of each
# the device's own counters, idle: a loopN keeps those of the files attached
# to it before (since boot, not since our attach), so what it holds is
# read from the kernel rather than assumed to be our 64 KiB writes alone
stat_now=$(cat "$LOOP_SYS/stat")
check "since boot: iopstat agrees with iostat -x" python3 - "$ios" "$ours" "$dev" "$u0" "$u1" "$stat_now" <<'PY'
import json, sys
ios = json.loads(sys.argv[1])["sysstat"]["hosts"][0]["statistics"][0]["disk"]
ours = json.loads(sys.argv[2])
dev = sys.argv[3]
a = [d for d in ios if d["disk_device"] == dev][0]
b = [d for d in ours["disk"] if d["disk_device"] == dev][0]
assert ours["type"] == "snapshot" and ours["report"] == "devices", ours
exact = ["rrqm", "r_await", "rareq-sz", "wrqm", "w_await", "wareq-sz", "drqm", "d_await",
         "dareq-sz", "f_await"]
rates = ["r/s", "w/s", "d/s", "f/s", "rkB/s", "wkB/s", "dkB/s", "rrqm/s", "wrqm/s", "drqm/s",
         "aqu-sz", "util"]
bad = []
for k in exact:
    if abs(a[k] - b[k]) > 0.0051:
        bad.append((k, a[k], b[k]))
u0, u1 = float(sys.argv[4]), float(sys.argv[5])
for k in rates:
    if abs(a[k] - b[k]) > 0.0101 + abs(a[k]) * (u1 - u0 + 0.01) / u0:
        bad.append((k, a[k], b[k], u0, u1))
assert not bad, bad
# and what the kernel counted: kB a write and ms a write, from its own
# counters (our 256 writes among them), and they took time
k = [int(x) for x in sys.argv[6].split()]
wios, wsect, wticks = k[4], k[6], k[7]
assert abs(b["wareq-sz"] - round(wsect / 2 / wios, 2)) < 0.0051, (b, k)
assert abs(b["w_await"] - round(wticks / wios, 2)) < 0.0051, (b, k)
assert b["w/s"] > 0 and b["w_await"] > 0, b
PY
check "the row is a whole disk with a scheduler" python3 -c '
import json, sys
b = json.loads(sys.argv[1])["disk"][0]
assert b["kind"] == "disk" and b["sched"] and b["honours"] in ("levels", "classes", "none"), b
' "$ours"

##### an interval while a writer runs: 2 s each, side by side.  The writer
# paces itself to a clock (64 KiB O_DIRECT, the i-th write at 11 ms times
# i: 90 writes a second; late after a busy moment, it catches up), so
# windows that do not start together (most of a second apart under
# valgrind) still see the same rate: a writer that only slept 10 ms after
# each write ran at 60/s in one window and 86/s in the other on a loaded
# machine
python3 -c '
import mmap, os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_DIRECT)
buf = mmap.mmap(-1, 65536)  # page-aligned, as O_DIRECT wants
t0 = time.monotonic()
i = 0
while True:
    os.pwrite(fd, buf, (i % 256) * 65536)
    i += 1
    time.sleep(max(0.0, t0 + i * 0.011 - time.monotonic()))
' "$LOOP" &
writer_pid=$!
children+=("$writer_pid")
sleep 0.3
k0=$(awk '{print $5}' "$LOOP_SYS/stat")
iostat -x -o JSON -d "$dev" 2 2 >"$tmp/ios.json" 2>"$tmp/ios.err" &
ip=$!
run "$IOPSTAT" -d -J -p "$dev" 2 1
wait "$ip"
k1=$(awk '{print $5}' "$LOOP_SYS/stat")
stop_writer
check "iopstat -d -J 2 1 runs" [ "$rc" = 0 -a -z "$err" ]
# The tolerance: the two 2 s windows start apart by the tools' start-up
# (most of a second under valgrind), and a paced writer's rate still
# varies with how late each sleep ends: the rates agree within 25%; every
# write was 64 KiB in both, exactly; and iopstat's writes in its window
# are at most the kernel's over its whole run
check "interval: iopstat agrees with iostat -x within 25%" python3 - "$(cat "$tmp/ios.json")" "$out" "$dev" "$k0" "$k1" <<'PY'
import json, sys
st = json.loads(sys.argv[1])["sysstat"]["hosts"][0]["statistics"]
a = [d for d in st[1]["disk"] if d["disk_device"] == sys.argv[3]][0]
ours = json.loads(sys.argv[2])
assert ours["type"] == "interval" and 1.9 < ours["seconds"] < 3, ours
b = ours["disk"][0]
assert abs(a["wareq-sz"] - 64) < 0.01 and abs(b["wareq-sz"] - 64) < 0.01, (a, b)
for k in ("w/s", "wkB/s"):
    assert a[k] > 0 and abs(a[k] - b[k]) <= 0.25 * a[k], (k, a[k], b[k])
# the time-based columns (since boot they print 0.00 on a machine up more
# than a few minutes: only here can they differ): a write's wait, the
# queue and the busy share of the same steady writer, within 50% and the
# last digits (a wrong formula is off by 10x, 100x or 1000x)
for k, floor in (("w_await", 0.05), ("aqu-sz", 0.02), ("util", 0.5)):
    assert a[k] > 0 and abs(a[k] - b[k]) <= 0.5 * a[k] + floor, (k, a[k], b[k])
assert b["w/s"] * ours["seconds"] <= int(sys.argv[5]) - int(sys.argv[4]) + 1, (b, sys.argv[4:])
assert b["util"] > 0 and b["util"] <= 100.5, b
PY

##### the system line of a process report: a writer child of this test,
# O_DIRECT on the loop device, in a session of its own
spawn sh -c "while :; do dd if=/dev/zero of=$LOOP bs=64k count=64 oflag=direct conv=notrunc status=none || exit; done"
wsh=$child
# and a reader hammering the loop device, for the pressure
spawn sh -c "while :; do dd if=$LOOP of=/dev/null bs=4k count=2048 iflag=direct status=none || exit; done"
rsh=$child
sleep 0.3
run "$IOPSTAT" -J -p "$wsh" 1 1
rates=$out
check "a process report's interval has a system object" python3 - "$rates" <<'PY'
import json, sys
d = json.loads(sys.argv[1].splitlines()[0])
s = d["system"]
# what the processes did: the report's own totals over its seconds
for k, t in (("processes_read_rate", "read"), ("processes_write_rate", "write")):
    want = d["totals"][t] / d["seconds"] # seconds printed to the ms
    assert abs(s[k] - want) <= 0.06 + 0.002 * want, (k, s[k], want)
# the loop device is stacked on a file: its writes count once, on the
# disk below it, so the disks wrote about what the writer did
assert s["disks_write_rate"] is not None and s["disks_write_rate"] > 0, s
if s["pressure_some"] is not None:
    assert 0 <= s["pressure_some"] <= 100 and 0 <= s["pressure_full"] <= s["pressure_some"] + 0.01, s
PY
# the writer's own write rate, against its kernel counters over the same
# second: the shell's dd children are reaped into it, so its io counts them
k0=$(kernel_io "$wsh" write_bytes); t0=$(date +%s.%N)
run "$IOPSTAT" -J -p "$wsh" 1 1
k1=$(kernel_io "$wsh" write_bytes); t1=$(date +%s.%N)
check "the system line's process write rate is the writer's, per the kernel" python3 - "$out" "$k0" "$k1" "$t0" "$t1" <<'PY'
import json, sys
d = json.loads(sys.argv[1].splitlines()[0])
k = (int(sys.argv[3]) - int(sys.argv[2])) / (float(sys.argv[5]) - float(sys.argv[4]))
s = d["system"]["processes_write_rate"]
assert d["totals"]["processes"] == 1 and s > 0, d
# the kernel's counters were read a little before and after iopstat's
# window: within 30% of each other at a steady writer
assert abs(s - k) <= 0.3 * k, (s, k)
if d["system"]["pressure_some"] is not None:
    # the writer and the reader stall on I/O: pressure moves off zero
    assert 0 < d["system"]["pressure_some"] <= 100, d["system"]
PY
# the line in a table, and none with -n
run "$IOPSTAT" -p "$wsh" 0.5 1
check "a table shows the system line first" has "$(head -1 <<<"$out")" "system: processes read "
run "$IOPSTAT" -n -p "$wsh" 0.5 1
check "-n drops the system line" [ "$rc" = 0 ] && ! has "$out" "system:"
# the shell and its dd: the session this test started, by its group
kill -TERM -- -"$wsh" -"$rsh" 2>/dev/null
for i in $(seq 50); do [ -z "$(left_behind)" ] && break; sleep 0.1; done

finish devices
