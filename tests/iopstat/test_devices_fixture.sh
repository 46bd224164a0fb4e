#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iopstat -d INTERVAL on a fixture /proc whose diskstats and mountstats
# this script replaces between iopstat's reads: a counter that went down, a
# device removed, another device under an old name, a device added, an NFS
# mount's READs.  Each iopstat reads a tree of its own, replaced as soon as
# a report shows the read before was made (reports 2 s apart), so a slow
# start or a loaded machine (valgrind, two copies at once) reads each
# version once, whatever the timing.
#   usage: test_devices_fixture.sh IOPSTAT FIXTURES
IOPSTAT=$1 FIXTURES=$2
. "$(dirname "$0")/../lib.sh"
rc=0 out= err=
proc=$tmp/proc
mkdir -p "$proc"
echo '100.00 100.00' >"$proc/uptime"
line() { # NAME MAJOR MINOR READS MS: reads of 8 sectors, and the ms they took
  printf '%4d %7d %s %d 0 %d %d 0 0 0 0 0 %d %d 0 0 0 0 0 0\n' "$2" "$3" "$1" "$4" $(($4 * 8)) "$5" "$4" "$4"
}
# r_await tells each case apart: sda went down (from zero: 1200/400, not a
# wrapped difference), sdb is gone (no row), sdc is another device under
# the name (8:48: from zero, 650/130, not paired with 8:32's 200/100), sdd
# is new (all of it, 60/60); then each one's change (1200/300, 300/60, none)
{ line sda 8 0 1000 2000; line sdb 8 16 500 1000; line sdc 8 32 100 200; } >"$tmp/A"
{ line sda 8 0 400 1200; line sdc 8 48 130 650; line sdd 8 64 60 60; } >"$tmp/B"
{ line sda 8 0 700 2400; line sdc 8 48 190 950; line sdd 8 64 60 60; } >"$tmp/C"
# whole disks in a sysfs of our own (a name missing there is a partition)
for d in sda sdb sdc sdd; do mkdir -p "$tmp/sys/block/$d/queue"; done
echo 'none [mq-deadline] kyber bfq' >"$tmp/sys/block/sda/queue/scheduler"
cp "$tmp/A" "$proc/diskstats"
# an NFS mount whose READ line grows: AGE SENDS OPS TRANS SENT RECV RTT EXE
nfs_stats() {
  printf 'device srv:/e mounted on /mnt/e with fstype nfs4 statvers=1.1\n\tage:\t%d\n' "$1"
  printf '\tbytes:\t0 0 0 0 0 0 0 0\n\txprt:\ttcp 800 1 1 0 0 %d %d 0 0 0 0 0 0\n' "$2" "$2"
  printf '\tper-op statistics\n\t        READ: %d %d 0 %d %d 0 %d %d 0\n' "$3" "$4" "$5" "$6" "$7" "$8"
}
mkdir -p "$proc/self"
nfs_stats 100 1000 100 100 10000 409600 200 300 >"$proc/self/mountstats"
nfs_stats 103 1100 160 161 16000 655360 500 700 >"$tmp/MB"  # 60 READs, 1 retransmitted
nfs_stats 106 1130 190 191 19000 778240 800 1000 >"$tmp/MC" # 30 READs
# swap DIR DISKSTATS MOUNTSTATS: the next version, in one rename each
swap() {
  cp "$2" "$1/diskstats.new" && mv "$1/diskstats.new" "$1/diskstats"
  cp "$3" "$1/self/mountstats.new" && mv "$1/self/mountstats.new" "$1/self/mountstats"
}
# reports FILE PATTERN N: waits (60 s at most) until FILE has N lines
# matching PATTERN: a report is printed right after its read
reports() {
  local i
  for i in $(seq 1200); do
    [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
    sleep 0.05
  done
  return 1
}
# drive DIR FILE PATTERN: B once the first report is out (A read twice), C
# once the second is (B read): the third report is B to C
drive() {
  reports "$2" "$3" 1 && swap "$1" "$tmp/B" "$tmp/MB" && reports "$2" "$3" 2 &&
    swap "$1" "$tmp/C" "$tmp/MC"
}
cp -r "$proc" "$tmp/procT"

# the same versions read twice at once: JSON for the figures, and a table
# of the columns that do not depend on the time measured, compared with a
# golden file (tests/expected/iopstat-devices-down)
"$IOPSTAT" -d -J -o disk_device,r/s,rkB/s,r_await,nfs_mount,read_ops/s,read_kB/op,read_retrans,read_avg_rtt,read_avg_exe --proc "$proc" --sys "$tmp/sys" \
  2 3 >"$tmp/out" 2>"$tmp/err" &
ip=$!
"$IOPSTAT" -d -o disk_device,kind,r_await,rareq-sz,rrqm,sched,honours --proc "$tmp/procT" --sys "$tmp/sys" \
  2 3 >"$tmp/table" 2>"$tmp/table.err" &
it=$!
children+=("$ip" "$it")
drive "$proc" "$tmp/out" '"type":"interval"' &
dj=$!
drive "$tmp/procT" "$tmp/table" '^Device' &
dt=$!
children+=("$dj" "$dt")
wait "$it"; trc=$?
wait "$ip"; rc=$?
wait "$dj" && wait "$dt" || bad "a version of the fixture was never put in place"
no_memory_errors "iopstat -d 2 3 (table)" "$trc" "$(cat "$tmp/table.err")"
check "the table matches tests/expected/iopstat-devices-down" \
  diff -u "$FIXTURES/../expected/iopstat-devices-down" "$tmp/table"
out=$(cat "$tmp/out") err=$(cat "$tmp/err")
no_memory_errors "iopstat -d 2 3" "$rc" "$err"
# one object a report, its disks and its NFS mounts in it
check "three interval reports" [ "$rc" = 0 -a "$(wc -l <<<"$out")" = 3 -a -z "$err" ]
check "each interval's change, never negative" python3 - "$out" <<'PY'
import json, sys
z, a, b = [json.loads(l) for l in sys.argv[1].splitlines()]
# A read twice: nothing happened
assert {d["disk_device"]: d["r/s"] for d in z["disk"]} == {"sda": 0, "sdb": 0, "sdc": 0}, z
def reads(doc):
    return {d["disk_device"]: round(d["r/s"] * doc["seconds"]) for d in doc["disk"]}
ra, rb = reads(a), reads(b)
# sda went down 1000 -> 400: counts from zero; sdb is gone; sdc is another
# device (8:48, not 8:32): counts from zero; sdd is new: all of it
assert ra == {"sda": 400, "sdc": 130, "sdd": 60}, ra
assert rb == {"sda": 300, "sdc": 60, "sdd": 0}, rb
for doc in (a, b):
    assert doc["type"] == "interval" and 1.9 < doc["seconds"] < 3, doc
    for d in doc["disk"]:
        assert d["r/s"] >= 0 and d["rkB/s"] >= 0, d
# the ms a read took: over each interval's reads, whatever its length
assert [d["r_await"] for d in a["disk"]] == [3.0, 5.0, 1.0], a
assert [d["r_await"] for d in b["disk"]] == [4.0, 5.0, 0.0], b
# the NFS mount's READs of each interval, as nfsiostat: over READ's own
# counters, against the read before
for doc, ops, rtt, exe, retrans in ((a, 60, 5.0, 6.67, 1), (b, 30, 10.0, 10.0, 0)):
    assert doc["report"] == "devices" and len(doc["nfs"]) == 1, doc
    m = doc["nfs"][0]
    assert m["nfs_mount"] == "/mnt/e", m
    assert round(m["read_ops/s"] * doc["seconds"]) == ops, (m, doc["seconds"])
    assert (m["read_avg_rtt"], m["read_avg_exe"], m["read_retrans"]) == (rtt, exe, retrans), m
    assert m["read_kB/op"] == 4.10, m  # (6000 + 245760) / 1024 / 60
PY
# the completion offers -d's columns, every one --list-columns names
load_completion iopstat
complete_words iopstat -d -o ""
want=$("$IOPSTAT" -d --list-columns | awk '{print $1}' | sort | tr '\n' ' ')
check "the completion offers every -d column, and only those" [ -n "$want" -a "$out" = "$want" ]

finish devices-fixture
