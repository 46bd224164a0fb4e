#!/bin/bash
# SPDX-License-Identifier: MIT
# Does ionice -v -a stay linear in the threads of a process?  For a process
# of N threads (our own helper, named for this run), the median elapsed
# time of `ionice -v -c3 -a -p PID` (a selection: each thread checked
# before it is set) against `ionice -c3 -a -p PID` (util-linux's path: one
# ioprio_set per thread, no checks), runs interleaved.  Prints, per N, both
# medians in ms and their ratio: a ratio that stays flat as N grows is
# linear; one that grows with N is not (before issue 21 it did, as the
# process's whole stat, a sum over its threads, was read once a thread).
#   ionice_threads.sh IONICE THREADS_HELPER [REPETITIONS [SIZES]]
#   SIZES: comma-separated thread counts (the helper allows up to 20000)
set -u
IONICE=$1 THREADS=$2 REPS=${3:-9} SIZES=${4:-1000,2000,4000}
name="ib$$" # unused with -p; names the helper for ps
child=
done_() { [ -n "$child" ] && kill -KILL "$child" 2>/dev/null; wait 2>/dev/null; }
trap done_ EXIT
trap 'exit 143' TERM INT HUP

# ms CMD...: the elapsed milliseconds of CMD (its output dropped)
ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { tr ' ' '\n' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%8s %12s %12s %8s\n' threads "plain ms" "-v ms" ratio
for n in ${SIZES//,/ }; do
  setsid "$THREADS" "$n" "$name" </dev/null >/dev/null 2>&1 &
  child=$!
  for k in $(seq 500); do
    [ "$(ls "/proc/$child/task" 2>/dev/null | wc -l)" -ge "$n" ] && break
    sleep 0.02
  done
  plain=() sel=()
  for r in $(seq "$REPS"); do
    plain+=("$(ms "$IONICE" -c3 -a -p "$child")")
    sel+=("$(ms "$IONICE" -v -c3 -a -p "$child")")
  done
  p=$(echo "${plain[*]}" | median) s=$(echo "${sel[*]}" | median)
  printf '%8s %12s %12s %8s\n' "$n" "$p" "$s" "$(awk -v a="$s" -v b="$p" 'BEGIN {printf "%.1f", b ? a / b : 0}')"
  kill -KILL "$child"; wait "$child" 2>/dev/null
  child=
done
