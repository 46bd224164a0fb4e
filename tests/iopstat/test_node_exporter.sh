#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iopstat's Prometheus files read by the real consumer: Debian's
# prometheus-node-exporter, started by this test on 127.0.0.1 (a free port)
# with a textfile directory of the test's own, and stopped by pid.  Two
# iopstat writers in one directory: without --label their run-level gauges
# collide (node_exporter logs "collected before" and drops one: the problem
# is real); with different --label values both are scraped, without error.
#   usage: test_node_exporter.sh IOPSTAT
IOPSTAT=$1
. "$(dirname "$0")/../lib.sh"
NE=$(command -v prometheus-node-exporter || command -v node_exporter)
if [ -z "$NE" ]; then
  echo "SKIP: prometheus-node-exporter not installed (scripts/install-deps.sh)"
  [ -z "${CI:-}" ] || exit 1
  exit 77
fi

textfiles=$tmp/textfiles
mkdir -p "$textfiles"
spawn sleep 600; a=$child
spawn sleep 600; b=$child

# start_exporter: node_exporter on a free loopback port; $port, $exporter
start_exporter() {
  local try k
  for try in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$NE" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
      --collector.textfile --collector.textfile.directory="$textfiles" >"$tmp/ne.log" 2>&1 &
    exporter=$!
    children+=("$exporter")
    for k in $(seq 100); do
      scrape >/dev/null 2>&1 && return 0
      kill -0 "$exporter" 2>/dev/null || break
      sleep 0.05
    done
    kill "$exporter" 2>/dev/null
    wait "$exporter" 2>/dev/null
  done
  echo "node_exporter did not start: $(tail -3 "$tmp/ne.log")" >&2
  exit 1
}
scrape() {
  python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read().decode())' "$port"
}
stop_exporter() { kill "$exporter" 2>/dev/null; wait "$exporter" 2>/dev/null; }

# the problem: two writers without labels collide on the run-level gauges
run "$IOPSTAT" -p "$a" --format prometheus --write "$textfiles/a.prom"
run "$IOPSTAT" -p "$b" --format prometheus --write "$textfiles/b.prom"
start_exporter
out=$(scrape)
stop_exporter
check "unlabelled writers collide (the check below can fail)" \
  grep -q "collected before" "$tmp/ne.log" <(echo "$out")

# the cure: a label per writer
rm -f "$textfiles"/*.prom
run "$IOPSTAT" -p "$a" --format prometheus --write "$textfiles/a.prom" --label writer=a
check "writer a: exit 0" [ "$rc" = 0 ]
run "$IOPSTAT" -p "$b" --format prometheus --write "$textfiles/b.prom" --label writer=b
check "writer b: exit 0" [ "$rc" = 0 ]
start_exporter
out=$(scrape)
stop_exporter
check "both writers' gauges scraped" \
  [ "$(grep -c '^iopstat_processes{writer="[ab]"} 1$' <<<"$out")" = 2 ]
check "both writers' counters scraped" grep -q "^iopstat_read_bytes_total{pid=\"$a\",start=\"[0-9]*\",writer=\"a\"} " <<<"$out"
check "both writers' counters scraped (2)" grep -q "^iopstat_read_bytes_total{pid=\"$b\",start=\"[0-9]*\",writer=\"b\"} " <<<"$out"
check "the info gauge scraped" grep -q "^iopstat_process_info{.*pid=\"$a\".*writer=\"a\"" <<<"$out"
check "no textfile scrape error" grep -qx 'node_textfile_scrape_error 0' <<<"$out"
check "no collision logged" bash -c "! grep -q 'collected before' '$tmp/ne.log'"

# the fleet: two grouped writers with their states, as from cron, beside the
# per-process ones: series by group key, stable from one run to the next
for run_no in 1 2; do
  run "$IOPSTAT" -g comm -p "$a,$b" --format prometheus --state "$tmp/comm.state" \
    --write "$textfiles/comm.prom" --label writer=comm -q
  check "grouped writer (comm), run $run_no: exit 0" [ "$rc" = 0 ]
  run "$IOPSTAT" -g unit -p "$a,$b" --format prometheus --state "$tmp/unit.state" \
    --write "$textfiles/unit.prom" --label writer=unit -q
  check "grouped writer (unit), run $run_no: exit 0" [ "$rc" = 0 ]
done
start_exporter
out=$(scrape)
stop_exporter
check "grouped series scraped, by key" grep -q '^iopstat_group_read_bytes_total{comm="sleep",writer="comm"} ' <<<"$out"
check "grouped members scraped" grep -qx 'iopstat_group_processes{comm="sleep",writer="comm"} 2' <<<"$out"
check "grouped by unit scraped" grep -q '^iopstat_group_write_bytes_total{unit="[^"]*",writer="unit"} ' <<<"$out"
check "four writers' gauges scraped" [ "$(grep -c '^iopstat_processes{writer="\(a\|b\|comm\|unit\)"} ' <<<"$out")" = 4 ]
check "no textfile scrape error, four files" grep -qx 'node_textfile_scrape_error 0' <<<"$out"
check "no collision logged, four files" bash -c "! grep -q 'collected before' '$tmp/ne.log'"


finish node-exporter
