#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end tests of what iopstat's output must never do: replace what is
# not a regular file, leave a temporary file behind, write onto a
# descriptor it did not mean, block on a --proc tree, or report a write
# error wrongly.  Every child is this script's own, ended by pid; the files
# and nodes it makes are in its own temporary directory.
#   usage: test_iopstat_safety.sh IOPSTAT THREADS_HELPER IOPRIO_GET
IOPSTAT=$1 THREADS=$2 IG=$3
. "$(dirname "$0")/../lib.sh"

spawn "$THREADS" 3 "s$run_id thr"; p=$child
for k in $(seq 100); do [ "$(ls "/proc/$p/task" | wc -l)" -ge 4 ] && break; sleep 0.02; done
tids=$(ls "/proc/$p/task" | sort -n)
tid=$(grep -vx "$p" <<<"$tids" | head -1)
dir=$tmp/out
mkdir -p "$dir"

# stderr less the note on unreadable tasks (as root too, some threads' io
# is not readable): what must be empty when nothing went wrong
errs() { without_exits_note "$err" | grep -v ' not shown: I/O counters not readable'; }

# only_file DIR NAME: DIR holds NAME alone (no temporary file beside it)
only_file() { [ "$(ls -A "$1")" = "$2" ]; }

##### --write replaces a regular file, or makes one; nothing else
run "$IOPSTAT" -p "$p" --format prometheus --write "$dir/new.prom"
check "--write makes a file" [ "$rc" = 0 -a -f "$dir/new.prom" ]
run "$IOPSTAT" -p "$p" --format prometheus --write "$dir/new.prom"
check "--write replaces a regular file" [ "$rc" = 0 ] && check "no temporary file" only_file "$dir" new.prom
rm -f "$dir/new.prom"

mkfifo "$dir/fifo"
echo keep >"$tmp/target"
ln -s "$tmp/target" "$dir/link"
mkdir "$dir/subdir"
nodes=(fifo link subdir)
if is_root; then
  mknod "$dir/null" c 1 3 # our own /dev/null node: the system's is never at risk
  nodes+=(null)
fi
for n in "${nodes[@]}"; do
  before=$(stat -c '%F %i' "$dir/$n")
  run timeout 20 "$IOPSTAT" -p "$p" --format prometheus --write "$dir/$n"
  check "--write $n: refused" [ "$rc" = 1 -a -z "$out" ]
  check "--write $n: said why" has "$err" "will not replace $dir/$n"
  check "--write $n: left as it was" [ "$(stat -c '%F %i' "$dir/$n")" = "$before" ]
done
check "the symlink's target untouched" [ "$(cat "$tmp/target")" = keep ]
check "no temporary file after refusals" [ "$(ls -A "$dir" | sort | tr '\n' ' ')" = "$(printf '%s\n' "${nodes[@]}" | sort | tr '\n' ' ')" ]
is_root || skip "--write over a device node: making one needs root"
rm -rf "$dir"; mkdir -p "$dir"

##### no temporary file is left, whatever signal ends the run.  strace
##### holds each fsync() of the file beside --write for half a second, and
##### the signal comes while that file exists.
# LeakSanitizer cannot run under ptrace (it fails, exit 86): off for the
# runs under strace, the other sanitizers stay on
NO_LSAN="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# killed_during_write SIG ARGS...: iopstat ARGS... ended by SIG mid-write
killed_during_write() {
  local sig=$1 sp c k; shift
  ulimit -c 0 # SIGQUIT dumps core by default: never into the test's directory
  # a command run in the background of a script ignores INT and QUIT:
  # env gives iopstat their default actions back
  strace -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=500000 \
    env --default-signal=INT,QUIT ASAN_OPTIONS="$NO_LSAN" \
    "$IOPSTAT" -p "$p" --format prometheus --write "$dir/x.prom" "$@" 2>>"$tmp/sig.err" &
  sp=$!
  for k in $(seq 1000); do
    ls "$dir" | grep -q '^x\.prom\.' && break
    sleep 0.01
  done
  c=$(cat "/proc/$sp/task/$sp/children" 2>/dev/null)
  [ -n "$c" ] && kill -"$sig" $c
  wait "$sp" 2>/dev/null
}
if command -v strace >/dev/null; then
  # every signal whose default action ends the process (issue 21: QUIT,
  # USR1 and ALRM left the file behind)
  for sig in TERM INT HUP PIPE QUIT USR1 USR2 ALRM VTALRM PROF XCPU IO PWR RTMIN; do
    killed_during_write "$sig"
    check "SIG$sig during a one-shot write: no temporary file" only_file "$dir" x.prom
    rm -f "$dir"/x.prom* # one failure is not all the next ones too
    killed_during_write "$sig" 0.05 3
    check "SIG$sig during an interval write: no temporary file" only_file "$dir" x.prom
    rm -f "$dir"/x.prom*
  done
  no_memory_errors "runs ended by signals" 0 "$(cat "$tmp/sig.err")"

  # a symlink swapped in at the last moment, while iopstat is inside the
  # rename system call (strace holds it there): still only a regular file
  # is ever replaced.  The syscall numbers are x86_64's.
  if [ "$(uname -m)" = x86_64 ]; then
    echo keep >"$tmp/target2"
    echo old >"$dir/x.prom"
    strace -o /dev/null -e trace=rename,renameat,renameat2 \
      -e inject=rename,renameat,renameat2:delay_enter=500000 env ASAN_OPTIONS="$NO_LSAN" \
      "$IOPSTAT" -p "$p" --format prometheus --write "$dir/x.prom" 2>"$tmp/swap.err" &
    sp=$!
    for k in $(seq 1000); do
      c=$(cat "/proc/$sp/task/$sp/children" 2>/dev/null)
      [ -n "$c" ] && grep -qE '^(82|264|316) ' "/proc/${c% }/syscall" 2>/dev/null && break
      sleep 0.01
    done
    ln -sfn "$tmp/target2" "$dir/x.prom"
    wait "$sp"; rc=$?
    check "symlink swapped in during the rename: refused" [ "$rc" = 1 ] &&
      check "symlink swapped in during the rename: said" grep -q "will not replace $dir/x.prom" "$tmp/swap.err"
    check "symlink swapped in during the rename: still the symlink" [ -L "$dir/x.prom" ]
    check "symlink swapped in during the rename: its target untouched" [ "$(cat "$tmp/target2")" = keep ]
    check "symlink swapped in during the rename: no temporary file" only_file "$dir" x.prom
    rm -f "$dir/x.prom"
  else
    skip "symlink swapped in during the rename: the test knows x86_64's syscall numbers only"
  fi
else
  skip "no temporary file after signals: strace not installed (scripts/install-deps.sh)"
  [ -z "${CI:-}" ] || bad "strace missing in CI"
fi
rm -rf "$dir"; mkdir -p "$dir"

##### a signal the caller blocked stays blocked: holding the ending signals
##### while a file is written gives back the mask iopstat started with, not
##### an empty one (after the first report, SIGUSR1 ended the run)
env --block-signal=USR1 "$IOPSTAT" -p "$p" --format prometheus --write "$dir/b.prom" \
  0.05 400 2>"$tmp/block.err" &
bp=$!
children+=("$bp")
for k in $(seq 1000); do [ -s "$dir/b.prom" ] && break; sleep 0.01; done
sleep 0.3 # a few more reports written meanwhile
kill -USR1 "$bp"
sleep 0.3
kill -TERM "$bp"
wait "$bp"; rc=$?
err=$(cat "$tmp/block.err")
no_memory_errors "a run with SIGUSR1 blocked" "$rc" "$err"
check "a signal the caller blocked: still blocked after the writes (ended by TERM, exit 0)" \
  [ "$rc" = 0 ]
check "a signal the caller blocked: the file written" [ -s "$dir/b.prom" ]
rm -rf "$dir"; mkdir -p "$dir"

##### closed standard descriptors: nothing of ours lands on them
run sh -c "exec \"$IOPSTAT\" -p $p --format csv --write \"$dir/f.csv\" >&- <&-"
check "stdout closed, --write: exit 0" [ "$rc" = 0 -a -z "$err" ]
check "stdout closed, --write: the file is written" grep -q "^$p," "$dir/f.csv"
if [ -z "${IOP_TEST_VALGRIND:-}" ]; then
  run sh -c "exec \"$IOPSTAT\" -p $p --format csv --write \"$dir/g.csv\" 2>&- >&-"
  check "stdout and stderr closed: exit 0" [ "$rc" = 0 ] && check "stdout and stderr closed: written" grep -q "^$p," "$dir/g.csv"
else
  skip "stderr closed: valgrind itself cannot run so"
fi
run sh -c "exec \"$IOPSTAT\" -p $p >&-"
check "stdout closed, no --write: an error" [ "$rc" = 1 ] &&
  check "stdout closed: said once" [ "$err" = "iopstat: write error: Bad file descriptor" ]
run sh -c "exec \"$IG\" -p $p >&-"
check "ioprio-get, stdout closed: an error" [ "$rc" = 1 ] &&
  check "ioprio-get, stdout closed: said once" [ "$err" = "ioprio-get: write error: Bad file descriptor" ]

##### --proc never blocks on a FIFO or device in place of a file
fx=$tmp/fixture
mkdir -p "$fx/100" "$fx/200" "$fx/300"
cp "/proc/$p/io" "$fx/100/io"; sed "s/^$p /100 /" "/proc/$p/stat" >"$fx/100/stat"
mkfifo "$fx/200/io"; sed "s/^$p /200 /" "/proc/$p/stat" >"$fx/200/stat"
cp "/proc/$p/io" "$fx/300/io"; mkfifo "$fx/300/stat"
cp /proc/uptime "$fx/uptime"
run timeout 20 "$IOPSTAT" --proc "$fx" --format csv -n -o pid,command
check "--proc with FIFOs: does not block" [ "$rc" = 0 ] && check "--proc with FIFOs: the readable one" [ "${out%%,*}" = 100 -a "$(wc -l <<<"$out")" = 1 ]
# bytes only: no stat is read, so 300's FIFO is never opened and its io shows
run timeout 20 "$IOPSTAT" --proc "$fx" --format csv -n -o pid
check "--proc with FIFOs, bytes only: does not block" [ "$rc" = 0 ] && check "--proc with FIFOs, bytes only: io alone decides" [ "$out" = "100
300" ]
run timeout 20 "$IOPSTAT" --proc "$fx" -l --format csv -n -o pid,command
check "--proc with FIFOs, -l: does not block" [ "$rc" = 0 ]
mkfifo "$fx/100/cmdline"
run timeout 20 "$IOPSTAT" --proc "$fx" -l --format csv -n -o pid,command
check "--proc with a FIFO cmdline: does not block" [ "$rc" = 0 -a "${out%%,*}" = 100 ]

##### Ctrl-C while a write is blocked on a slow reader: summary, exit 0
mkfifo "$tmp/slow"
(while [ ! -e "$tmp/go" ]; do sleep 0.05; done; cat) <"$tmp/slow" >"$tmp/slow.out" &
reader=$!
# reports of one small process: hundreds fit in the pipe before it is full,
# so more than one is out when the write blocks and a summary is due (a
# report of every thread could fill the pipe alone on a busy machine)
spawn sleep 600; slow_target=$child
"$IOPSTAT" -t -p "$slow_target" 0.01 >"$tmp/slow" 2>"$tmp/slow.err" &
writer=$!
# until the pipe is full and the write blocked (the kernel says where it
# sleeps)
for k in $(seq 3000); do
  grep -q 'pipe_write' "/proc/$writer/wchan" 2>/dev/null && break
  sleep 0.01
done
check "the writer blocked on the slow reader" grep -q 'pipe_write' "/proc/$writer/wchan"
kill -INT "$writer"
touch "$tmp/go" # the reader reads on
wait "$writer"; rc=$?
wait "$reader"
err=$(cat "$tmp/slow.err") out=
no_memory_errors "iopstat blocked on a slow reader" "$rc" "$err"
check "SIGINT while blocked on a reader: exit 0" [ "$rc" = 0 -a -z "$(errs)" ]
check "SIGINT while blocked on a reader: the summary" grep -q '^Summary: ' "$tmp/slow.out"

##### a reader that goes away: quiet, status 0 with SIGPIPE ignored, ended
##### by SIGPIPE otherwise (as util-linux tools are)
run bash -c "trap '' PIPE; \"$IOPSTAT\" -t 0.01 | head -1 >/dev/null; echo \${PIPESTATUS[0]}"
check "reader gone, SIGPIPE ignored: exit 0" [ "$out" = 0 -a -z "$(errs)" ]
run bash -c "trap '' PIPE; \"$IOPSTAT\" -t | head -1 >/dev/null; echo \${PIPESTATUS[0]}"
check "reader gone, one-shot, SIGPIPE ignored: exit 0" [ "$out" = 0 -a -z "$(errs)" ]
run bash -c "\"$IOPSTAT\" -t 0.01 | head -1 >/dev/null; echo \${PIPESTATUS[0]}"
check "reader gone, SIGPIPE default: ended by SIGPIPE" [ "$out" = 141 -a -z "$(errs)" ]

##### write errors: said once, with the real errno
run sh -c "\"$IOPSTAT\" -t >/dev/full"
check "one-shot to /dev/full" [ "$rc" = 1 -a "$(errs)" = "iopstat: write error: No space left on device" ]
run sh -c "\"$IOPSTAT\" -p $p 0.05 3 >/dev/full"
check "interval to /dev/full" [ "$rc" = 1 -a "$(without_exits_note "$err")" = "iopstat: write error: No space left on device" ]
run sh -c "\"$IG\" -A -a >/dev/full"
# (tasks that end meanwhile are named too: only the write errors count here)
check "ioprio-get to /dev/full" [ "$rc" = 1 -a "$(grep 'write error' <<<"$err")" = "ioprio-get: write error: No space left on device" ]
run sh -c "\"$IG\" -p $p >/dev/full"
check "ioprio-get, short output, to /dev/full" [ "$rc" = 1 -a "$err" = "ioprio-get: write error: No space left on device" ]

##### -p: a missing pid is an error in interval mode too; a thread's id
##### stands for its process
gone=$(sh -c 'echo $$')
run "$IOPSTAT" -p "$gone" 0.05 2
check "-p gone, interval: exit 1" [ "$rc" = 1 ] && check "-p gone, interval: named" has "$err" "PID $gone: no such process"
run "$IOPSTAT" -p "$p,$gone" --format csv -n -o pid 0.05 1
check "-p one gone, interval: exit 1" [ "$rc" = 1 ] && check "-p one gone, interval: the other reported" [ "$out" = "$p" ]
run "$IOPSTAT" -p "$tid" --format csv -n -o pid,tid,command
check "-p TID: its process's row" [ "$rc" = 0 -a "$out" = "$p,$p,s$run_id thr" ]
run "$IOPSTAT" -p "$p,$tid" --format json -o pid
check "-p PID,TID: one row, counted once" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [r["pid"] for r in d["processes"]] == [int(sys.argv[2])], d
assert d["totals"]["processes"] == 1, d' "$out" "$p"
run "$IOPSTAT" -t -p "$tid" --format csv -n -o tid
check "-t -p TID: every thread of its process" [ "$out" = "$tids" ]

finish iopstat-safety
