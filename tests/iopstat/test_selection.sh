#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One selection for the three tools: iopstat, ioprio-get and ionice
# --dry-run select exactly the same processes for the same -p, -P, -u, -C,
# --full and tree options (iopstat's --tree, the others' -T), and each set
# is the one this test built it to be.  The children are this run's: a
# small job in a session of its own (a script, a child in its group, a
# script that made a session of its own with a child, a child switched to
# the run's unused uid), and decoys beside it with the same names, each
# named with this run's id.  --dry-run changes nothing.
#   usage: test_selection.sh IOPSTAT IOPRIO_GET IONICE
IOPSTAT=$1 IG=$2 IONICE=$3
. "$(dirname "$0")/../lib.sh"

id=$run_id
names=$tmp/names
mkdir -p "$names"
# comm is the name of the file executed: symlinks to sleep, and scripts
for n in slb slx; do ln -s "$(command -v sleep)" "$names/$n$id"; done
U= asuser= # as a user: no other uid to switch children to
if is_root; then
  U=$(unused_uid)
  ln -s "$(command -v sleep)" "$names/sld$id"
  asuser="setpriv --reuid=$U --regid=$U --clear-groups"
fi
# the job: sla (its session's leader) -> slb 600, sld 600 (as $U), and
# slc (setsid: a session and group of its own) -> slb 601
cat >"$names/slc$id" <<EOF
#!/bin/bash
"$names/slb$id" 601 &
echo "B2=\$!" >"$tmp/c.pids"
wait
EOF
cat >"$names/sla$id" <<EOF
#!/bin/bash
"$names/slb$id" 600 &
echo "B1=\$!" >"$tmp/a.pids.new"
setsid "$names/slc$id" &
echo "C=\$!" >>"$tmp/a.pids.new"
if [ -n "$U" ]; then
  $asuser "$names/sld$id" 600 &
  echo "D=\$!" >>"$tmp/a.pids.new"
fi
mv "$tmp/a.pids.new" "$tmp/a.pids"
wait
EOF
chmod +x "$names/sla$id" "$names/slc$id"
spawn "$names/sla$id"; A=$child
for i in $(seq 250); do [ -s "$tmp/a.pids" ] && [ -s "$tmp/c.pids" ] && break; sleep 0.02; done
. "$tmp/a.pids"
. "$tmp/c.pids"
D=${D:-}
children+=("$B1" "$C" "$B2" ${D:+"$D"})
# beside it: the same name outside the job; a process of the same user
spawn "$names/slb$id" 602; X=$child
Y=
if [ -n "$U" ]; then
  spawn $asuser "$names/sld$id" 601; Y=$child
fi
comm_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
for i in $(seq 250); do
  comm_is "$B1" "slb$id" && comm_is "$C" "slc$id" && comm_is "$B2" "slb$id" &&
    { [ -z "$D" ] || comm_is "$D" "sld$id"; } && break
  sleep 0.02
done
check "the job as built: groups" [ "$(ps -o pgid= -p "$B1" | tr -d ' ')" = "$A" -a \
  "$(ps -o pgid= -p "$B2" | tr -d ' ')" = "$C" -a "$(ps -o ppid= -p "$C" | tr -d ' ')" = "$A" ]

sorted() { tr ' ,' '\n\n' <<<"$*" | grep . | sort -n | tr '\n' ' '; }

# same WANT IOPSTAT_OPTIONS -- OTHER_OPTIONS [-- union]: the three tools
# select WANT (pids); ioprio-get's plain -p, -P and -u add up instead of
# combining (without -C or -T): "union" leaves it out of that combination
same() {
  local want what iopstat_opts=() other=() plain= got
  want=$(sorted "$1"); shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do iopstat_opts+=("$1"); shift; done
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do other+=("$1"); shift; done
  [ "${2:-}" = union ] && plain=1
  what="${iopstat_opts[*]}"
  run "$IOPSTAT" --format csv -n -o pid "${iopstat_opts[@]}"
  got=$(sorted $out)
  check "iopstat $what: [$got] is [$want]" [ "$rc" = 0 -a "$got" = "$want" ]
  run "$IONICE" --dry-run -c3 "${other[@]}"
  got=$(sorted "$(awk '{print $1}' <<<"$out")")
  check "ionice --dry-run ${other[*]}: [$got] is [$want]" \
    [ "$rc" = "$([ -n "$want" ] && echo 0 || echo 1)" -a "$got" = "$want" ]
  [ -n "$plain" ] && return
  run "$IG" -n -r -o pid "${other[@]}"
  got=$(sorted $out)
  check "ioprio-get ${other[*]}: [$got] is [$want]" \
    [ "$rc" = "$([ -n "$want" ] && echo 0 || echo 1)" -a "$got" = "$want" ]
}

re_b="^slb$id\$" re_c="^slc$id\$"
# one kind at a time
same "$A" -p "$A" -- -p "$A"
same "$A $B1 $X" -p "$A,$B1" -p "$X" -- -p "$A,$B1" -p "$X"
same "$A $B1 ${D:-}" -P "$A" -- -P "$A"
same "$A $B1 ${D:-} $C $B2" -P "$A,$C" -- -P "$A,$C"
same "$B1 $B2 $X" -C "$re_b" -- -C "$re_b"
same "$B1 $B2" -C "slb$id 60[01]\$" --full -- -C "slb$id 60[01]\$" --full
same "$C" -C "bash .*/slc$id\$" --full -- -C "bash .*/slc$id\$" --full
same "" -C "^slb$id 60[01]\$" -- -C "^slb$id 60[01]\$"    # --full's text is not the name
# every kind met
same "$B1" -P "$A" -C "$re_b" -- -P "$A" -C "$re_b"
same "$B2" -C "$re_b" -p "$B2,$A" -- -C "$re_b" -p "$B2,$A"
same "$A $B1" -p "$A,$B1,$B2" -P "$A" -- -p "$A,$B1,$B2" -P "$A" -- union
same "" -p "$A" -P "$C" -- -p "$A" -P "$C" -- union
# the tree below
same "$A $B1 $C $B2 ${D:-}" --tree -p "$A" -- -T -p "$A"
same "$C $B2" --tree -C "$re_c" -- -T -C "$re_c"
same "$C $B2" --tree -P "$C" -- -T -P "$C"
same "$C $B2" --tree -C "bash .*/slc$id\$" --full -- -T -C "bash .*/slc$id\$" --full
same "$B1 $B2 $X" --tree -C "$re_b" -- -T -C "$re_b"
same "" --tree -p "$A" -C "$re_b" -- -T -p "$A" -C "$re_b" # roots: every kind met
same "$C $B2" --tree -p "$C,$X" -P "$C" -- -T -p "$C,$X" -P "$C"
if [ -n "$U" ]; then
  same "$D $Y" -u "$U" -- -u "$U"
  same "$D" -u "$U" -P "$A" -- -u "$U" -P "$A" -- union
  same "$D" --tree -u "$U" -p "$D,$B1" -- -T -u "$U" -p "$D,$B1"
  same "$D $Y" --tree -u "$U" -C "^sld$id\$" -- -T -u "$U" -C "^sld$id\$"
  same "" -u "$U" -C "$re_b" -- -u "$U" -C "$re_b"
else
  skip "-u: a child switched to an unused uid needs root"
fi

# iopstat's own: -t shows every thread of what --tree selected; an
# interval run selects again at each scan; -d and the usage errors
run "$IOPSTAT" --format csv -n -o pid,tid -t --tree -p "$C"
check "-t --tree: a row per thread of each" [ "$rc" = 0 -a "$(sorted $(cut -d, -f2 <<<"$out"))" = "$(sorted "$C $B2")" ]
run "$IOPSTAT" --format csv -n -o pid --tree -C "$re_c" 0.05 2
check "an interval run: the same processes, twice" [ "$rc" = 0 -a "$(sorted $out)" = "$(sorted "$C $C $B2 $B2")" ]
run "$IOPSTAT" --tree
check "--tree alone" [ "$rc" = 1 ]
check "--tree alone: said" has "$err" "needs processes to start from"
run "$IOPSTAT" --full -p "$A"
check "--full without -C" [ "$rc" = 1 ]
check "--full without -C: said" has "$err" "--full goes with --command"
run "$IOPSTAT" -d -P "$A"
check "-d with -P" [ "$rc" = 1 ]
run "$IOPSTAT" -P 0
check "-P 0 is refused" [ "$rc" = 1 ]

finish test_selection
