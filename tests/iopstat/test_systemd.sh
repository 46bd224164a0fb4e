#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The systemd service + timer pair: systemd-analyze verify accepts them
# (with ExecStart pointed at the built iopstat), and the service's command
# line, run as written but into a directory of the test's own, writes a
# file promtool accepts.
#   usage: test_systemd.sh IOPSTAT UNIT_DIR (the build's generated units)
IOPSTAT=$1 units=$2
. "$(dirname "$0")/../lib.sh"
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze not installed: the units are checked where it is"
  exit 77
fi
sed "s#^ExecStart=[^ ]*#ExecStart=$IOPSTAT#" "$units/iopstat-textfile.service" >"$tmp/iopstat-textfile.service"
cp "$units/iopstat-textfile.timer" "$tmp/"
run systemd-analyze verify --man=no "$tmp/iopstat-textfile.service" "$tmp/iopstat-textfile.timer"
check "systemd-analyze verify: no complaint" [ "$rc" = 0 -a -z "$out$err" ]
check "the timer starts the service" grep -qx 'OnUnitActiveSec=1min' "$tmp/iopstat-textfile.timer"

# the service's own command line, into a directory of ours
cmd=$(sed -n 's/^ExecStart=//p' "$tmp/iopstat-textfile.service")
mkdir -p "$tmp/textfile"
mkdir -p "$tmp/state"
cmd=${cmd//\/var\/lib\/prometheus\/node-exporter/$tmp/textfile}
cmd=${cmd//\/var\/lib\/iopstat/$tmp/state} # its StateDirectory=
check "the service keeps its state in its StateDirectory" grep -qx 'StateDirectory=iopstat' "$tmp/iopstat-textfile.service"
# shellcheck disable=SC2086 # the unit's words, as systemd splits them
run $cmd
check "the service's command runs" [ "$rc" = 0 -a -f "$tmp/textfile/iopstat.prom" ]
check "its state is kept" [ -f "$tmp/state/textfile.state" ]
check "its file carries the collector label" grep -q '^iopstat_processes{collector="iopstat"} ' "$tmp/textfile/iopstat.prom"
check "its series are by unit" grep -q '^iopstat_group_write_bytes_total{unit="[^"]*",collector="iopstat"} ' "$tmp/textfile/iopstat.prom"
# shellcheck disable=SC2086
run $cmd
check "a second run takes the state, quietly" [ "$rc" = 0 -a -z "$err" ]
if command -v promtool >/dev/null; then
  run promtool check metrics <"$tmp/textfile/iopstat.prom"
  check "promtool accepts the service's file" [ "$rc" = 0 -a -z "$out$err" ]
fi
finish systemd
