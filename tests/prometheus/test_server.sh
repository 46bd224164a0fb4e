#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The fleet recipe end to end, on the real consumers: Debian's
# prometheus-node-exporter and prometheus, started by this test on
# 127.0.0.1 (free ports, data in the test's own directory, scrapes and rule
# evaluations every second) and stopped by pid whatever happens.  Three
# iopstat writers (by unit, by command name, per process) write into the
# textfile directory while writer children this test started do exact
# O_DIRECT I/O: two of a "heavy" name, one of a "light" one.  Then, through
# the server's HTTP API (tests/prometheus/promapi.py): every PromQL
# expression of README.md, iopstat(1), the shipped rules and the dashboard
# is accepted and returns data; the top-writer queries rank the heavy group
# first, at a rate that agrees with the kernel's exact bytes over the 5
# minute window; every expression of the dashboard is one the server ran.
# The server scrapes the exporter twice, as two hosts of one fleet.
#   usage: test_server.sh SOURCE_DIR IOPSTAT WRITER_HELPER
src=$1 IOPSTAT=$2 WRITER=$3
TEST_TMP_BASE=${TMPDIR:-/var/tmp}
. "$src/tests/lib.sh"
need_block_device
NE=$(command -v prometheus-node-exporter || command -v node_exporter)
PROM=$(command -v prometheus)
if [ -z "$NE" ] || [ -z "$PROM" ]; then
  echo "SKIP: prometheus and prometheus-node-exporter not installed (scripts/install-deps.sh)"
  [ -z "${CI:-}" ] || exit 1
  exit 77
fi
if [ ! -r /proc/pressure/io ]; then
  echo "SKIP: no /proc/pressure/io (PSI off: psi=0): the dashboard's pressure panel has no data here"
  exit 77
fi
api() { python3 "$src/tests/prometheus/promapi.py" "$@"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# listening PORT: whether something accepts connections on 127.0.0.1:PORT
listening() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)' "$1" 2>/dev/null; }
not_listening() { ! listening "$1"; }
# wait_for SECONDS CMD...: polls CMD every 0.2 s until it succeeds (a loaded
# machine is slow, never wrong: the bound is generous, the poll short)
wait_for() {
  local secs=$1 i
  shift
  for ((i = 0; i < secs * 5; i++)); do "$@" && return 0; sleep 0.2; done
  return 1
}
# stop PID: SIGTERM, and SIGKILL if it has not ended 20 s later; reaped,
# and no longer one of the children the exit trap ends (its pid may be reused)
stop() {
  local c keep=()
  kill -TERM "$1" 2>/dev/null
  wait_for 20 bash -c '! kill -0 "$1" 2>/dev/null || grep -q "^State:.*Z" "/proc/$1/status" 2>/dev/null' _ "$1" ||
    kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  for c in "${children[@]}"; do [ "$c" = "$1" ] || keep+=("$c"); done
  children=("${keep[@]}")
}

# the writers: names unique to this run (comm holds 15 bytes)
H=h$run_id L=l$run_id
start_writer "$H"; h1=$W h1_fd=$W_FD
start_writer "$H"; h2=$W h2_fd=$W_FD
start_writer "$L"; l1=$W l1_fd=$W_FD
sum_io() { local s=0 p; for p in "$@"; do s=$((s + $(kernel_io "$p" write_bytes))); done; echo $s; }

# iopstat as the README's fleet section has it, every 0.5 s, a --label each.
# The unit collector sees the light writer alone (all three share this
# test's unit, which would otherwise top every ranking).
textfiles=$tmp/textfiles
mkdir -p "$textfiles"
reporters=()
report() {
  local name=$1
  shift
  "$IOPSTAT" "$@" --format prometheus --label "collector=$name" -q \
    --write "$textfiles/iopstat-$name.prom" 0.5 2>"$tmp/$name.err" &
  children+=($!)
  reporters+=("$!:$name")
}
report units -g unit -C "^$L\$"
report comm -g comm -C "^($H|$L)\$"
report procs -C "^($H|$L)\$"
for f in units comm procs; do
  wait_for 60 test -s "$textfiles/iopstat-$f.prom" || { bad "iopstat wrote no $f textfile: $(cat "$tmp/$f.err")"; finish prometheus-server; exit; }
done

# node_exporter: textfiles, disks and pressure; ours when its answer names
# our textfile directory (another test may have taken the port meanwhile)
scrape() {
  python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read().decode())' "$ne_port"
}
ne_ours() { scrape 2>/dev/null | grep -qF "node_textfile_mtime_seconds{file=\"$textfiles/iopstat-comm.prom\"}"; }
for try in 1 2 3 4 5; do
  ne_port=$(free_port)
  "$NE" --web.listen-address="127.0.0.1:$ne_port" --collector.disable-defaults \
    --collector.textfile --collector.textfile.directory="$textfiles" \
    --collector.diskstats --collector.pressure >"$tmp/ne.log" 2>&1 &
  exporter=$!
  children+=("$exporter")
  wait_for 30 ne_ours && break
  stop "$exporter"
  exporter=
done
[ -n "$exporter" ] || { echo "node_exporter did not start: $(tail -3 "$tmp/ne.log")" >&2; exit 1; }
metrics=$(scrape)
# node_exporter 1.5's own names, as this test and the rules use them
for m in node_disk_io_time_seconds_total node_pressure_io_waiting_seconds_total \
    node_pressure_io_stalled_seconds_total node_textfile_scrape_error \
    iopstat_group_write_bytes_total iopstat_write_bytes_total iopstat_process_info \
    iopstat_scan_timestamp_seconds; do
  check "node_exporter exports $m" grep -q "^$m[{ ]" <<<"$metrics"
done
check "node_exporter reads every textfile" grep -qx 'node_textfile_scrape_error 0' <<<"$metrics"

# the server: the shipped rules, as an SRE loads them, straight from the tree
mkdir -p "$tmp/prom/data"
for try in 1 2 3 4 5; do
  port=$(free_port)
  cat >"$tmp/prom/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $src/iopstat/prometheus/iopstat-rules.yml
  - $src/iopstat/prometheus/iopstat-alerts.yml
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$ne_port']
  # a second host of the fleet, its twin: the same processes, pids and
  # start times (as two hosts booted from one image have for their first
  # processes), so every query must keep hosts apart
  - job_name: twin
    static_configs:
      - targets: ['127.0.0.1:$ne_port']
    relabel_configs:
      - target_label: job
        replacement: node
      - target_label: instance
        replacement: twin-$run_id:9100
EOF
  "$PROM" --config.file="$tmp/prom/prometheus.yml" --storage.tsdb.path="$tmp/prom/data" \
    --web.listen-address="127.0.0.1:$port" >"$tmp/prom.log" 2>&1 &
  server=$!
  children+=("$server")
  url=http://127.0.0.1:$port
  wait_for 60 api ready "$url" "$tmp/prom/data" && break
  stop "$server"
  server=
done
[ -n "$server" ] || { echo "prometheus did not start: $(tail -3 "$tmp/prom.log")" >&2; exit 1; }

# a few scrapes of both groups before the bytes the test counts
instance=127.0.0.1:$ne_port
sel_h="iopstat_group_write_bytes_total{instance=\"$instance\",comm=\"$H\"}"
sel_l="iopstat_group_write_bytes_total{instance=\"$instance\",comm=\"$L\"}"
has_samples() { local n; read -r n _ < <(api samples "$url" "$1"); [ "${n:-0}" -ge "$2" ]; }
check "the server scrapes the groups" wait_for 120 has_samples "$sel_h" 3
check "the server scrapes the groups (2)" wait_for 120 has_samples "$sel_l" 3

# the exact bytes: 4 MiB more from each heavy writer, 1 MiB from the light
# one, the kernel's counts before and after the oracle
before_h=$(sum_io $h1 $h2) before_l=$(sum_io $l1)
for k in 1 2 3 4; do
  kill -USR1 "$h1"; read -r -t 30 ack1 <&$h1_fd
  kill -USR1 "$h2"; read -r -t 30 ack2 <&$h2_fd
  check "heavy writers wrote MiB $k" [ "$ack1" = again -a "$ack2" = again ]
done
kill -USR1 "$l1"; read -r -t 30 ack <&$l1_fd
check "light writer wrote its MiB" [ "$ack" = again ]
after_h=$(sum_io $h1 $h2) after_l=$(sum_io $l1)
check "heavy writers: 8 MiB more at least" [ $((after_h - before_h)) -ge $((8 * MiB)) ]

# until the server holds the last bytes, and 30 s of samples of the heavy
# group in all (so rate()'s extrapolation, bounded by 2.2 scrape intervals
# over that span, is a few per cent at most)
settled() {
  local n span last
  read -r n span last < <(api samples "$url" "$sel_h")
  [ "$last" = "$after_h" ] && python3 -c 'import sys; sys.exit(float(sys.argv[1]) < 30)' "$span" &&
    read -r n span last < <(api samples "$url" "$sel_l") && [ "$last" = "$after_l" ]
}
check "the server has the exact bytes, over 30 s of samples" wait_for 180 settled
since=$(date +%s.%N)
check "the recording rules evaluated since" wait_for 60 api evaluated "$url" comm:iopstat_write_bytes:top5_rate5m "$since"

# every expression, the ranking and the rate
run api check "$url" "$src" "$src/iopstat/prometheus/iopstat-dashboard.json" "$tmp/ran.json" \
  "$H" "$L" "$before_h" "$after_h" "$instance"
check "every expression accepted, with data; the heavy group first at its exact rate" [ "$rc" = 0 ]
echo "$out"
check "expressions run: README, iopstat(1), rules, dashboard" python3 -c '
import json, sys
ran = json.load(open(sys.argv[1]))["ran"]
src = {r["source"].split(" ")[0] for r in ran}
assert {"README.md", "iopstat.1", "rule", "dashboard"} <= src, src
assert sum(r["source"] == "iopstat.1" for r in ran) >= 3, ran
assert any(r["source"].endswith(" (template)") for r in ran), "no alert template query"
' "$tmp/ran.json"
run api dashboard "$src/iopstat/prometheus/iopstat-dashboard.json" "$tmp/ran.json"
check "every dashboard expression is one the server ran, on the shipped series" [ "$rc" = 0 ]
[ "$rc" = 0 ] || echo "$out"
# (IopstatDiskBusy is about this machine's own disks, which other jobs may
# keep busy: it may be pending or firing here, and is not the test's)
check "no alert fired on the test's series" python3 -c '
import json, sys, urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/alerts", timeout=10))
assert d["status"] == "success", d
ours = [a for a in d["data"]["alerts"] if "device" not in a["labels"]]
for a in d["data"]["alerts"]:
    if a not in ours:
        print("note: %s %s on this machine (%s)" % (a["labels"]["alertname"], a["state"], a["labels"]["device"]))
assert ours == [], ours
' "$url"

# stopped by pid: the server, the exporter, the reporters (each still
# running, and ending with status 0 on SIGTERM)
stop "$server"
stop "$exporter"
for r in "${reporters[@]}"; do
  p=${r%%:*} name=${r#*:}
  check "iopstat ($name) ran until stopped" kill -0 "$p"
  kill -TERM "$p"; wait "$p"; rc=$?
  for c in "${!children[@]}"; do [ "${children[$c]}" = "$p" ] && unset "children[$c]"; done
  no_memory_errors "iopstat reporter $name" "$rc" "$(cat "$tmp/$name.err")"
  check "iopstat ($name) exit 0 on SIGTERM" [ "$rc" = 0 ]
done
# free again, or taken by another test meanwhile (two copies at once draw
# from the same ephemeral ports): what answers there is not ours
check "the server has ended" bash -c '! kill -0 "$1" 2>/dev/null' _ "$server"
check "no server of ours answers on its port" eval 'not_listening "$port" || ! api ready "$url" "$tmp/prom/data"'
check "the exporter has ended" bash -c '! kill -0 "$1" 2>/dev/null' _ "$exporter"
check "no exporter of ours answers on its port" eval 'not_listening "$ne_port" || ! ne_ours'
check "the server's data was in the test's directory" test -d "$tmp/prom/data/wal"
finish prometheus-server
