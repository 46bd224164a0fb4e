#!/bin/bash
# SPDX-License-Identifier: MIT
# Do I/O priorities take effect?  On a loop device of our own (direct I/O
# over a file on a real disk) two O_DIRECT readers start together, each
# given its class by our ionice, under bfq, mq-deadline and none in turn
# (interleaved, so drift hits all three alike).  Prints medians of:
#   idle/be0   elapsed of the idle reader over the be/0 reader
#   be7/be0    the same for best-effort level 7 against level 0
#   equal      slower over faster of two be/4 readers (1.00: together)
# A loop device with direct I/O passes priorities down to the disk under
# its file: if that disk's scheduler honours classes, "none" on the loop
# device shows the idle effect too; the line above the table names it.
#   bfq.sh IONICE DIRECT_READER [REPETITIONS [REGION_MIB [BLOCK_KIB]]]
set -u
IONICE=$1 READER=$2 REPS=${3:-7}
REGION_MIB=${4:-64} BLOCK_KIB=${5:-16}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TEST_TMP_BASE:-/var/tmp}/ioprio-bench.XXXXXX")
children=()
. "$here/../tests/e2e/loopdev.sh"
done_() {
  { for p in "${children[@]}"; do kill -KILL "$p"; done; wait; } 2>/dev/null
  loop_detach
  rm -rf "$tmp"
}
trap done_ EXIT
trap 'exit 143' TERM INT HUP

# no loop device: 77 (a skip for the bench-bfq-smoke test), 1 under CI=true
cannot() { echo "bench-bfq: $1" >&2; [ "${CI:-}" = true ] && exit 1; exit 77; }
why=$(loop_missing)
[ -z "$why" ] || cannot "$why"
loop_make >"$tmp/why" || cannot "$(cat "$tmp/why")"
scheds=()
for s in bfq mq-deadline none; do
  loop_schedulers | grep -qw -- "$s" && scheds+=("$s")
done
echo "$LOOP over $LOOP_IMG; below it: $(lower_scheduler || echo unknown)"
echo "each reader: $REGION_MIB MiB in $BLOCK_KIB KiB O_DIRECT reads; medians of $REPS"

declare -A idle be7 eq
for ((i = 0; i < REPS; i++)); do
  for s in "${scheds[@]}"; do
    loop_set_scheduler "$s" || { echo "bench-bfq: cannot set $s on $LOOP" >&2; exit 1; }
    race "-c3" "-c2 -n0" || exit 1
    idle[$s]+=" $(ratio "$RACE_A" "$RACE_B")"
    race "-c2 -n7" "-c2 -n0" || exit 1
    be7[$s]+=" $(ratio "$RACE_A" "$RACE_B")"
    race "-c2 -n4" "-c2 -n4" || exit 1
    if [ "$RACE_A" -gt "$RACE_B" ]; then eq[$s]+=" $(ratio "$RACE_A" "$RACE_B")"
    else eq[$s]+=" $(ratio "$RACE_B" "$RACE_A")"; fi
  done
done

printf '%-10s' ""
for s in "${scheds[@]}"; do printf '%12s' "$s"; done
echo
for row in idle/be0 be7/be0 equal; do
  printf '%-10s' "$row"
  for s in "${scheds[@]}"; do
    case $row in
    idle/be0) v=${idle[$s]} ;;
    be7/be0) v=${be7[$s]} ;;
    equal) v=${eq[$s]} ;;
    esac
    # shellcheck disable=SC2086 # the ratios are words
    printf '%12.2f' "$(median $v)"
  done
  echo
done
