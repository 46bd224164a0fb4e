#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ioprio-get names the effective user of every task as ps does, also of
# tasks whose /proc files the kernel gives to root (privileges dropped, a
# set-group-ID exec, a user namespace's daemon): UID and USER in the table,
# raw and JSON, -u alone and with -C and -T, and per thread with -a.
# Children of tests/e2e/owners.sh; root only.
#   usage: test_owners.sh IOPRIO_GET THREADS_HELPER DROPIDS_HELPER USERNS_HELPER
IG=$1 THREADS=$2 DROPIDS=$3 USERNS=$4
. "$(dirname "$0")/../e2e/owners.sh"
owner_test_begin "$THREADS" "$DROPIDS" "$USERNS"
pids=$OWNER_LIST want=$OWNER_WANT

run "$IG" -r -n -o PID,UID -p "$pids"
check "raw: UID is ps's euid" [ "$rc" = 0 -a "$out" = "$want" ]
run "$IG" -r -n -o PID,USER -p "$pids"
check "raw: USER is ps's euid (no such account: its number)" [ "$rc" = 0 -a "$out" = "$want" ]
run "$IG" -n -o PID,UID,USER -p "$pids"
check "table: UID and USER" [ "$rc" = 0 -a "$(awk '{print $1, $2, $3}' <<<"$out")" = "$(awk '{print $1, $2, $2}' <<<"$want")" ]
run "$IG" -J -o PID,UID,USER -p "$pids"
check "json: uid and user" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])["ioprio"]
got = "\n".join("%d %d %s" % (r["pid"], r["uid"], r["user"]) for r in rows)
want = "\n".join("%s %s" % (l, l.split()[1]) for l in sys.argv[2].splitlines())
assert got == want, (got, want)' "$out" "$want"
# every thread, each by its own directory
run "$IG" -a -r -n -o PID,TID,UID -p "$pids"
check "-a: a row per thread, each its process's euid" [ "$rc" = 0 -a "$(awk '{print $1, $3}' <<<"$out")" = "$(for p in $(cut -d' ' -f1 <<<"$want"); do for t in $(ls "/proc/$p/task" | sort -n); do echo "$p ${OWNER_EUID[$p]}"; done; done)" ]
check "-a: every thread listed" [ "$(wc -l <<<"$out")" = $((2 * ${#OWNER_PIDS[@]})) ]

# selection by the effective user: each child is its euid's only task
for p in "${OWNER_PIDS[@]}"; do
  u=${OWNER_EUID[$p]} name=$(cat "/proc/$p/comm")
  run "$IG" -r -n -o PID,UID -u "$u"
  check "-u $name's euid: it alone" [ "$rc" = 0 -a "$out" = "$p $u" ]
  run "$IG" -r -n -o PID -u "$u" -C "$OWNER_RE"
  check "-u with -C: $name" [ "$rc" = 0 -a "$out" = "$p" ]
  run "$IG" -r -n -o PID -u "$u" -T
  check "-u with -T: $name" [ "$rc" = 0 -a "$out" = "$p" ]
  run "$IG" -r -n -o PID,TID -a -u "$u"
  check "-u with -a: $name's threads" [ "$rc" = 0 -a "$(wc -l <<<"$out")" = 2 ]
done
run "$IG" -r -n -o PID -u 0 -C "$OWNER_RE"
check "-u 0 -C: none of them is root's" [ "$rc" = 1 -a -z "$out" ]

finish ioprio-get-owners
