# SPDX-License-Identifier: MIT
# A loop device of our own over a file on a real disk, for watching I/O
# schedulers honour priorities (sourced by tests/e2e/test_bfq.sh and
# bench/bfq.sh).  The loop device runs with direct I/O on its backing file,
# so the priority of each read is passed down and the page cache serves
# nothing; the readers read it with O_DIRECT.  Only the loop device made
# here is ever touched: its scheduler set, and at exit set back to what the
# device had (a free loop device keeps its scheduler for the next user)
# before it is detached.
#   Needs: $tmp (a fresh directory), READER (tests/helpers/direct_reader),
#   IONICE (our ionice).  Sets LOOP (/dev/loopN) and LOOP_SYS (its sysfs dir).
LOOP= LOOP_SYS= LOOP_IMG= LOOP_SCHED0=
REGION_MIB=${REGION_MIB:-64} BLOCK_KIB=${BLOCK_KIB:-16}

# Why no loop device can be made here, or nothing (and status 0) if it can.
loop_missing() {
  [ "$(id -u)" -eq 0 ] || { echo "not root: making a loop device needs root"; return; }
  command -v losetup >/dev/null || { echo "losetup not installed (apt-get install mount)"; return; }
  local fs
  fs=$(findmnt -n -o FSTYPE -T "$tmp" 2>/dev/null)
  case $fs in
  '' | tmpfs | ramfs | overlay) echo "$tmp is on ${fs:-an unknown filesystem}, not on a disk (set TEST_TMP_BASE)" ;;
  esac
}

# Detaches our loop device (checked to be still ours) and removes its file.
loop_detach() {
  if [ -n "$LOOP" ]; then
    if [ "$(losetup -n -O BACK-FILE "$LOOP" 2>/dev/null)" = "$LOOP_IMG" ]; then
      [ -z "$LOOP_SCHED0" ] || echo "$LOOP_SCHED0" >"$LOOP_SYS/queue/scheduler" 2>/dev/null ||
        echo "cannot set $LOOP back to $LOOP_SCHED0" >&2
      losetup -d "$LOOP" || echo "cannot detach $LOOP" >&2
    fi
    LOOP=
  fi
  [ -z "$LOOP_IMG" ] || rm -f "$LOOP_IMG"
}

# Makes the file (written: holes would be read without any disk I/O) and
# the loop device.  1 with the reason on stdout when it cannot.
loop_make() {
  LOOP_IMG=$tmp/disk.img
  dd if=/dev/zero of="$LOOP_IMG" bs=1M count=$((2 * REGION_MIB)) oflag=direct conv=fsync \
    status=none 2>"$tmp/loop.err" || { echo "cannot write $LOOP_IMG: $(cat "$tmp/loop.err")"; return 1; }
  LOOP=$(losetup --find --show --direct-io=on "$LOOP_IMG" 2>"$tmp/loop.err") ||
    { LOOP=; echo "no loop device can be made: $(cat "$tmp/loop.err")"; return 1; }
  LOOP_SYS=/sys/block/${LOOP#/dev/}
  LOOP_SCHED0=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$LOOP_SYS/queue/scheduler" 2>/dev/null)
  if [ "$(cat "$LOOP_SYS/loop/dio" 2>/dev/null)" != 1 ]; then
    echo "$LOOP runs without direct I/O on its backing file (filesystem of $tmp?)"
    return 1
  fi
}

# The schedulers our loop device offers.
loop_schedulers() { tr -d '[]' <"$LOOP_SYS/queue/scheduler"; }

# Sets our loop device's scheduler; 1 if it did not take.
loop_set_scheduler() {
  echo "$1" >"$LOOP_SYS/queue/scheduler" 2>/dev/null
  grep -q "\[$1\]" "$LOOP_SYS/queue/scheduler"
}

# The scheduler of the disk under the backing file: a loop device with
# direct I/O passes priorities down, so that one may honour classes too.
lower_scheduler() {
  local dev
  dev=$(findmnt -n -o SOURCE -T "$tmp" 2>/dev/null)
  dev=$(lsblk -n -s -o NAME -r "$dev" 2>/dev/null | tail -1)
  [ -n "$dev" ] && sed -n 's/.*\[\(.*\)\].*/\1/p' "/sys/block/$dev/queue/scheduler" 2>/dev/null
}

# race "IONICE ARGS A" "IONICE ARGS B": two readers of their own regions,
# started together; sets RACE_A and RACE_B to their elapsed ns and
# RACE_PA, RACE_PB to the priorities they ran with.  1 if a reader failed.
race() {
  local go=$tmp/go a b
  rm -f "$go"
  mkfifo "$go"
  # the parent holds the only write end: both readers see end of file (and
  # start) when it closes it, however late either of them got going
  exec 7<>"$go" 8<"$go"
  # shellcheck disable=SC2086 # the ionice options are words
  "$IONICE" $1 "$READER" "$LOOP" 0 "$REGION_MIB" "$BLOCK_KIB" <&8 7>&- 8>&- >"$tmp/a" 2>&1 &
  a=$!
  # shellcheck disable=SC2086
  "$IONICE" $2 "$READER" "$LOOP" "$REGION_MIB" "$REGION_MIB" "$BLOCK_KIB" <&8 7>&- 8>&- >"$tmp/b" 2>&1 &
  b=$!
  children+=("$a" "$b")
  exec 8<&- 7>&-
  local ra=0 rb=0
  wait "$a" || ra=$?
  wait "$b" || rb=$?
  rm -f "$go"
  if [ "$ra" -ne 0 ] || [ "$rb" -ne 0 ]; then
    echo "reader failed: A ($1): $(cat "$tmp/a") B ($2): $(cat "$tmp/b")" >&2
    return 1
  fi
  RACE_A=$(sed -n 's/.* ns=//p' "$tmp/a") RACE_B=$(sed -n 's/.* ns=//p' "$tmp/b")
  RACE_PA=$(sed -n 's/prio=\([0-9]*\) .*/\1/p' "$tmp/a") RACE_PB=$(sed -n 's/prio=\([0-9]*\) .*/\1/p' "$tmp/b")
}

# ratio X Y: X/Y to two decimals
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
