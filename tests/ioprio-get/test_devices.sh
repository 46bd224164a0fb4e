#!/bin/bash
# SPDX-License-Identifier: MIT
# ioprio-get --devices: on fixture sysfs trees (exact expected output), on
# names that need escaping, and on the real /sys against
# `cat /sys/block/*/queue/scheduler`.
#   test_devices.sh IOPRIO_GET FIXTURES_DIR
TOOL=$1 FIX=$2 HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"

# sanitizer and valgrind reports have exit codes of their own (>= 99):
# a failing status we expect must still be a plain 1
status_is() { [ "$rc" -eq "$1" ]; }
# JSON on stdin as d: jsq EXPR is true when the Python expression is;
# jsp EXPR prints it (a list: one item a line)
jsq() { python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit(0 if eval(sys.argv[1]) else 1)' "$1"; }
jsp() {
  python3 -c 'import json, sys; d = json.load(sys.stdin); v = eval(sys.argv[1])
sys.stdout.write("\n".join(v) if isinstance(v, list) else v)' "$1"
}

# --- fixtures: exact output -------------------------------------------------
run "$TOOL" --devices --sys "$FIX/sys-mixed"
check "fixture table (odd has unreadable contents: rc 1)" status_is 1
check "fixture table" [ "$out" = "$(cat "$HERE/../expected/devices-mixed.txt")" ]
check "the unreadable file is named" has "$err" "odd: cannot read its scheduler"
run "$TOOL" --devices -J --sys "$FIX/sys-mixed"
check "exit status 1" status_is 1
check "fixture JSON" [ "$out" = "$(cat "$HERE/../expected/devices-mixed.json")" ]
check "fixture JSON parses" jsq 'len(d["devices"]) == 7' <<<"$out"
run "$TOOL" --devices --sys "$FIX/sys-deaf"
check "no unreadable file: rc 0" status_is 0
check "no device without scheduler file is an error" [ -z "$err" ]
check "zram0 without a scheduler file is listed as unknown" \
  grep -qE '^zram0 +- +- +- +-$' <<<"$out"
run "$TOOL" --devices -r -n --sys "$FIX/sys-deadline"
check "exit status 0" status_is 0
check "raw, no header" [ "$out" = "sda mq-deadline yes no mq-deadline,kyber,none" ]
run "$TOOL" --devices --sys "$FIX/sys-empty"
check "no devices: nothing, rc 0" [ "$rc" -eq 0 -a -z "$out" ]
run "$TOOL" --devices -J --sys "$FIX/sys-empty"
check "exit status 0" status_is 0
check "no devices: empty JSON array" jsq 'd == {"devices": []}' <<<"$out"

# --- names that need escaping ------------------------------------------------
odd=$'a b\tc\nd"e\\f'
mkdir -p "$tmp/sys/block/$odd/queue" "$tmp/sys/block/plain/queue"
echo '[bfq] none' >"$tmp/sys/block/$odd/queue/scheduler"
echo 'bfq [none]' >"$tmp/sys/block/plain/queue/scheduler"
run "$TOOL" --devices -J --sys "$tmp/sys"
check "exit status 0" status_is 0
check "JSON: the name comes back exactly" \
  [ "$(jsp 'd["devices"][0]["device"]' <<<"$out")" = "$odd" ]
check "JSON: the odd device's scheduler" \
  jsq 'd["devices"][0] | {"device": 0} == {"device": 0, "scheduler": "bfq", "classes": True, "levels": True, "available": ["bfq", "none"]}' <<<"$out"
run "$TOOL" --devices --sys "$tmp/sys"
check "exit status 0" status_is 0
check "table: one line per device, control characters escaped" [ "$(wc -l <<<"$out")" -eq 3 ]
check "table: escaped name" has "$out" 'a b\x09c\x0ad"e\\f bfq'
run "$TOOL" --devices -r --sys "$tmp/sys"
check "exit status 0" status_is 0
check "raw: blanks escaped too" has "$out" 'a\x20b\x09c\x0ad"e\\f bfq yes yes bfq,none'

# --- usage errors ----------------------------------------------------------------
for args in "--sys /sys" "--devices -p 1" "--devices -A" "--devices --value" \
  "--devices -o PID" "--devices -a" "--devices -J -r" "--devices --sys"; do
  run "$TOOL" $args
  check "ioprio-get $args: usage error" status_is 1
  check "ioprio-get $args: says why" [ -n "$err" -a -z "$out" ]
done
run "$TOOL" --devices --sys "$tmp/nonexistent"
check "missing sysfs root: rc 1" status_is 1
check "missing sysfs root: named" has "$err" "$tmp/nonexistent"
run "$TOOL" --devices --sys "$FIX/sys-mixed/block/sda"
check "no block/ below the root: rc 1" status_is 1
check "no block/ below the root: named" has "$err" "sda/block"
run "$TOOL" --help
check "exit status 0" status_is 0
check "--help lists --devices and --sys" eval 'has "$out" "--devices" && has "$out" "--sys <dir>"'

# --- bash completion ---------------------------------------------------------------
complete() { :; }
. "$HERE/../../completions/ioprio-get"
words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _ioprio_get; out="${COMPREPLY[*]}"; rc=0; }
words ioprio-get --dev; check "completes --devices" [ "$out" = "--devices" ]
words ioprio-get --devices --sy; check "completes --sys" [ "$out" = "--sys" ]
words ioprio-get --devices --sys "$FIX/sys-mi"; check "--sys completes directories" [ "$out" = "$FIX/sys-mixed" ]

# --- the real /sys ---------------------------------------------------------------
if [ ! -d /sys/block ]; then
  skip "no /sys/block here"
else
  # every device and its scheduler as cat shows them, sorted
  cat_view() {
    local d n s line
    for d in /sys/block/*; do
      n=${d##*/}
      if [ -r "$d/queue/scheduler" ]; then
        line=$(cat "$d/queue/scheduler")
        s=$(grep -o '\[[^]]*\]' <<<"$line" | tr -d '[]')
        [ -n "$s" ] || s=$(echo $line) # a lone "none"
      else
        s=-
      fi
      echo "$n $s"
    done | sort
  }
  # Other tests running beside this one make loop devices and change their
  # schedulers (e2e-bfq, the iostat comparison): a round (cat, the table,
  # JSON, cat) is taken again, up to 10 times, while /sys changed during
  # it; a real disagreement stays whatever the timing.
  for attempt in $(seq 10); do
    before=$(cat_view)
    run "$TOOL" --devices -r -n
    table_rc=$rc got=$(awk '{print $1, $2}' <<<"$out" | sort)
    run "$TOOL" --devices -J
    json_rc=$rc json=$out
    [ "$(cat_view)" = "$before" ] && break
    sleep 0.2
  done
  rc=$table_rc
  check "real /sys: rc 0" status_is 0
  check "real /sys: every device and its scheduler, as cat shows them" [ "$got" = "$before" ]
  rc=$json_rc out=$json
  check "exit status 0" status_is 0
  check "real /sys: JSON agrees with the table" [ "$(jsp '["%s %s" % (x["device"], x["scheduler"] or "-") for x in d["devices"]]' <<<"$out" | sort)" = "$got" ]
  check "real /sys: bfq means levels, mq-deadline classes only" \
    jsq 'all({"bfq": (True, True), "mq-deadline": (True, False), "none": (False, False),
      "kyber": (False, False)}.get(x["scheduler"], (x["classes"], x["levels"])) == (x["classes"], x["levels"])
      for x in d["devices"])' <<<"$out"
fi

finish test_devices
