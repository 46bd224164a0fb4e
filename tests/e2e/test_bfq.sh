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

class_of() { echo $(($1 >> 13)); }

# idle against best-effort 0, three times; the median ratio
ratios=()
for i in 1 2 3; do
  race "-c3" "-c2 -n0" || { bad "readers failed"; break; }
  check "the idle reader ran in class idle" [ "$(class_of "$RACE_PA")" -eq 3 ]
  check "the be/0 reader ran as be/0" [ "$RACE_PB" -eq $((2 << 13)) ]
  ratios+=("$(ratio "$RACE_A" "$RACE_B")")
done
m=$(median "${ratios[@]}")
echo "# bfq idle/be0 elapsed: ${ratios[*]} (median $m)"
check "bfq: the idle reader takes clearly longer (median idle/be0 $m > 1.5)" \
  awk -v m="$m" 'BEGIN { exit !(m > 1.5) }'

# levels within best-effort: only bfq honours them (the class effect above
# can come from the disk's own scheduler below the loop device, as the
# benchmark shows; the level effect is bfq's alone)
lv=()
for i in 1 2 3; do
  race "-c2 -n7" "-c2 -n0" || { bad "readers failed"; break; }
  check "the be/7 reader ran as be/7" [ "$RACE_PA" -eq $((2 << 13 | 7)) ]
  lv+=("$(ratio "$RACE_A" "$RACE_B")")
done
m=$(median "${lv[@]}")
echo "# bfq be7/be0 elapsed: ${lv[*]} (median $m)"
check "bfq: level 7 takes longer than level 0 (median be7/be0 $m > 1.3)" \
  awk -v m="$m" 'BEGIN { exit !(m > 1.3) }'

# equal priority: they finish together
eq=()
for i in 1 2 3; do
  race "-c2 -n4" "-c2 -n4" || { bad "readers failed"; break; }
  check "both readers ran as be/4" [ "$RACE_PA" -eq $((2 << 13 | 4)) -a "$RACE_PB" -eq $((2 << 13 | 4)) ]
  if [ "$RACE_A" -gt "$RACE_B" ]; then eq+=("$(ratio "$RACE_A" "$RACE_B")"); else eq+=("$(ratio "$RACE_B" "$RACE_A")"); fi
done
m=$(median "${eq[@]}")
echo "# bfq be4 vs be4, slower/faster: ${eq[*]} (median $m)"
check "bfq: equal priorities finish together (median slower/faster $m < 1.4)" \
  awk -v m="$m" 'BEGIN { exit !(m < 1.4) }'

finish test_bfq
