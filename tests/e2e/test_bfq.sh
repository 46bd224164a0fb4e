#!/bin/bash
# SPDX-License-Identifier: MIT
# Proof on a real scheduler: on a loop device of our own (direct I/O over a
# file on a real disk) with BFQ, an idle reader competing with a
# best-effort level 0 reader takes clearly longer, and two readers of equal
# priority finish together.  Each reader gets its class from our ionice.
# Only generous ratios are asserted; speed itself is bench/bfq.sh's.
#   test_bfq.sh IONICE DIRECT_READER
# Skips (77) when not root or no loop device can be made; under CI=true
# that is a failure (CI runs as root on a machine that has loop and bfq).
IONICE=$1 READER=$2
TEST_TMP_BASE=${TEST_TMP_BASE:-/var/tmp}
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/loopdev.sh"
trap 'loop_detach; cleanup' EXIT
trap 'exit 143' TERM INT HUP
rc=0 out= err= # for check's messages: no command is run through run()

cannot() {
  echo "SKIP: $1"
  [ "${CI:-}" != true ] || { echo "FAIL: under CI=true this must work"; exit 1; }
  exit 77
}
why=$(loop_missing)
[ -z "$why" ] || cannot "$why"
# not in $(...): the loop device must be known to this shell's exit trap
loop_make >"$tmp/why" || cannot "$(cat "$tmp/why")"
loop_schedulers | grep -qw bfq || cannot "$LOOP offers no bfq ($(loop_schedulers)): modprobe bfq"
loop_set_scheduler bfq || cannot "cannot set bfq on $LOOP"
echo "# $LOOP over $LOOP_IMG, scheduler bfq, below it: $(lower_scheduler)"

# races A B WANT_A WANT_B [either]: five races of a reader given ionice
# options A against one given B, each checked to run with the value wanted;
# $m: the median elapsed ratio A/B (with "either": slower/faster), $seen: all
races() {
  local a=$1 b=$2 wa=$3 wb=$4 either=${5-} i r=()
  for i in 1 2 3 4 5; do
    race "$a" "$b" || { bad "readers failed"; return 1; }
    check "the reader given [$a] ran with value $wa" [ "$RACE_PA" -eq "$wa" ]
    check "the reader given [$b] ran with value $wb" [ "$RACE_PB" -eq "$wb" ]
    if [ -n "$either" ] && [ "$RACE_B" -gt "$RACE_A" ]; then
      r+=("$(ratio "$RACE_B" "$RACE_A")")
    else
      r+=("$(ratio "$RACE_A" "$RACE_B")")
    fi
  done
  m=$(median "${r[@]}") seen=${r[*]}
}
IDLE=$((3 << 13 | 7)) BE0=$((2 << 13)) BE4=$((2 << 13 | 4)) BE7=$((2 << 13 | 7)) # idle: level 7, as util-linux sends it

races "-c3" "-c2 -n0" $IDLE $BE0
echo "# bfq idle/be0 elapsed: $seen (median $m)"
check "bfq: the idle reader takes clearly longer (median idle/be0 $m > 1.3)" \
  awk -v m="$m" 'BEGIN { exit !(m > 1.3) }'

# levels within best-effort: only bfq honours them (the class effect above
# can come from the disk's own scheduler below the loop device, as the
# benchmark shows; the level effect is bfq's alone)
races "-c2 -n7" "-c2 -n0" $BE7 $BE0
echo "# bfq be7/be0 elapsed: $seen (median $m)"
check "bfq: level 7 takes longer than level 0 (median be7/be0 $m > 1.2)" \
  awk -v m="$m" 'BEGIN { exit !(m > 1.2) }'

# equal priority: they finish together
races "-c2 -n4" "-c2 -n4" $BE4 $BE4 either
echo "# bfq be4 vs be4, slower/faster: $seen (median $m)"
check "bfq: equal priorities finish together (median slower/faster $m < 1.4)" \
  awk -v m="$m" 'BEGIN { exit !(m < 1.4) }'

# the device goes back as it was found: its scheduler, then detached
sys=$LOOP_SYS img=$LOOP_IMG was=$LOOP_SCHED0
loop_detach
check "the loop device's scheduler set back to $was" grep -q "\[$was\]" "$sys/queue/scheduler"
check "the loop device detached and its file removed" \
  [ -z "$(losetup -n -j "$img" 2>/dev/null)" -a ! -e "$img" ]

finish test_bfq
