#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iopstat names the effective user of every task as ps does, also of tasks
# whose /proc files the kernel gives to root (privileges dropped, a
# set-group-ID exec, a user namespace's daemon): UID and USER in the table,
# CSV, JSON and Prometheus, per thread (-t), -u (with and without stat),
# -g user and its --state keys.  Children of tests/e2e/owners.sh; root only.
#   usage: test_owners.sh IOPSTAT THREADS_HELPER DROPIDS_HELPER USERNS_HELPER
IOPSTAT=$1 THREADS=$2 DROPIDS=$3 USERNS=$4
. "$(dirname "$0")/../e2e/owners.sh"
owner_test_begin "$THREADS" "$DROPIDS" "$USERNS"
pids=$OWNER_LIST want=$OWNER_WANT
csv=$(sed 's/ /,/g' <<<"$want")

run "$IOPSTAT" -p "$pids" -s pid --format csv -n -o pid,uid
check "csv: uid is ps's euid" [ "$rc" = 0 -a "$out" = "$csv" ]
run "$IOPSTAT" -p "$pids" -s pid --format csv -n -o pid,user
check "csv: user is ps's euid (no such account: its number)" [ "$rc" = 0 -a "$out" = "$csv" ]
run "$IOPSTAT" -p "$pids" -s pid -n -o pid,uid,user
check "table: UID and USER" [ "$rc" = 0 -a "$(awk 'NF == 3 && $1 ~ /^[0-9]+$/ {print $1, $2, $3}' <<<"$out")" = "$(awk '{print $1, $2, $2}' <<<"$want")" ]
run "$IOPSTAT" -p "$pids" -s pid -J -o pid,uid,user
check "json: uid and user" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])["processes"]
got = "\n".join("%d %d %s" % (r["pid"], r["uid"], r["user"]) for r in rows)
want = "\n".join("%s %s" % (l, l.split()[1]) for l in sys.argv[2].splitlines())
assert got == want, (got, want)' "$out" "$want"
run "$IOPSTAT" -p "$pids" --format prometheus
check "prometheus: the user label of each process" [ "$rc" = 0 -a "$(for p in "${OWNER_PIDS[@]}"; do grep -E "^iopstat_process_info\{pid=\"$p\"," <<<"$out" | grep -oE ',user="[^"]*"' | sed "s/,user=\"\(.*\)\"/$p \1/"; done | sort -n)" = "$want" ]
# threads, each by its own directory
run "$IOPSTAT" -t -p "$pids" -s pid --format csv -n -o pid,tid,uid
check "-t: a row per thread, each its process's euid" [ "$rc" = 0 -a "$(cut -d, -f1,3 <<<"$out" | tr , ' ')" = "$(for p in $(cut -d' ' -f1 <<<"$want"); do echo "$p ${OWNER_EUID[$p]}"; echo "$p ${OWNER_EUID[$p]}"; done)" ]

# selection by the effective user: each child is its euid's only task
for p in "${OWNER_PIDS[@]}"; do
  u=${OWNER_EUID[$p]} name=$(cat "/proc/$p/comm")
  run "$IOPSTAT" -u "$u" --format csv -n -o pid,uid
  check "-u $name's euid: it alone" [ "$rc" = 0 -a "$out" = "$p,$u" ]
  run "$IOPSTAT" -u "$u" --format csv -n -o pid,read
  check "-u without stat (io alone): $name" [ "$rc" = 0 -a "$(cut -d, -f1 <<<"$out")" = "$p" ]
  run "$IOPSTAT" -u "$u" -t --format csv -n -o tid
  check "-u with -t: $name's threads" [ "$rc" = 0 -a "$(wc -l <<<"$out")" = 2 ]
done
run "$IOPSTAT" -u 0 -C "$OWNER_RE" --format csv -n -o pid
check "-u 0 -C: none of them is root's" [ "$rc" = 0 -a -z "$out" ]

# -g user: a group per effective user, and so are the --state keys
run "$IOPSTAT" -g user -C "$OWNER_RE" --format csv -n -o group,procs
check "-g user: a group of one per euid" [ "$rc" = 0 -a "$(sort <<<"$out")" = "$(cut -d' ' -f2 <<<"$want" | sed 's/$/,1/' | sort)" ]
state=$tmp/owners.state
run "$IOPSTAT" -g user -C "$OWNER_RE" --format prometheus -q --state "$state"
check "--state: written" [ "$rc" = 0 -a -s "$state" ]
check "prometheus -g user: the euids' series" [ "$(grep -oE '^iopstat_group_write_bytes_total\{user="[^"]*"' <<<"$out" | sed 's/.*user="//; s/"$//' | sort)" = "$(cut -d' ' -f2 <<<"$want" | sort)" ]
for p in "${OWNER_PIDS[@]}"; do
  u=${OWNER_EUID[$p]}
  check "--state: a key for euid $u" grep -q "^g $u " "$state"
done
check "--state: no root group" eval '! grep -q "^g root " "$state"'

finish iopstat-owners
