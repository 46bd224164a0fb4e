#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every example of the README and the man pages, run (tests/docs/extract.py
# finds them): shell lines with the built tools first in PATH, C programs
# compiled against the built library, PromQL checked by promtool, unit
# snippets by systemd-analyze.  Each must succeed.
#
# Examples name things of the machine (rsync, a user, /dev/sda, Debian's
# textfile directory); each is rewritten to act on what this test made and
# nothing else: children in sessions of their own named as the examples'
# processes with this run's id, a fake user (nss_wrapper) whose uid no
# account or process has, directories of the test's own.  An example a rule
# does not make safe is a failure, not run: a new example needs its rule.
#   usage: test_examples.sh SOURCE_DIR BUILD_DIR LIBIOPRIO_A INCLUDE_DIR...
src=$1 bins=$2 lib=$3
shift 3
includes=("$@")
. "$src/tests/lib.sh"

# the tools under test, by their own names, first in PATH
mkdir -p "$tmp/path" "$tmp/textfile" "$tmp/state" "$tmp/log" "$tmp/names"
for t in ionice ioprio-get iopstat; do ln -s "$bins/$t/$t" "$tmp/path/$t"; done
export PATH="$tmp/path:$PATH"

# the processes the examples name, with this run's id: comm is the file's name
B=b$run_id R=r$run_id J=j$run_id.sh
for n in "$B" "$R"; do ln -s "$(command -v sleep)" "$tmp/names/$n"; done
printf '#!/bin/sh\nsleep 600\n' >"$tmp/names/$J"   # a backup job, running (the shell stays)
printf '#!/bin/sh\nexit 0\n' >"$tmp/names/backup.sh"    # one to start
chmod +x "$tmp/names/$J" "$tmp/names/backup.sh"
spawn "$tmp/names/$R" 600; r1=$child
spawn "$tmp/names/$R" 601; r2=$child
spawn "$tmp/names/$B" 600; b1=$child
spawn "$tmp/names/$J"; j1=$child
for i in $(seq 250); do j1s=$(ps -o pid= --ppid "$j1" | tr -d ' '); [ -n "$j1s" ] && break; sleep 0.02; done
[ -n "$j1s" ] || { echo "the job's shell did not start its sleep" >&2; exit 1; }
children+=("$j1s") # the job's own child: ended with the rest
spawn sleep 600; p1=$child
spawn sleep 600; decoy=$child # named by no example: nothing may change it

# a user for -u: a fake name (nss_wrapper) for a uid no account or process
# has, whose only processes are two children of ours
user_env=()
if [ "${IOP_TEST_LIBC:-}" = musl ]; then
  : # musl reads /etc/passwd itself, without NSS: nss_wrapper cannot stand in
elif is_root && nssw=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -1) && [ -n "$nssw" ]; then
  U=$(unused_uid)
  echo "docuser:x:$U:$U:ioprio-utils docs test:/:/bin/false" >"$tmp/passwd"
  echo "docuser:x:$U:" >"$tmp/group"
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups sleep 600
  spawn setpriv --reuid="$U" --regid="$U" --clear-groups sleep 601
  user_env=(LD_PRELOAD="$nssw" NSS_WRAPPER_PASSWD="$tmp/passwd" NSS_WRAPPER_GROUP="$tmp/group"
            ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
fi

# rewrite EXAMPLE: prints it as run here, or nothing when no rule makes it safe
rewrite() {
  local c=$1
  c=${c//$'\\\n'/ }                                    # continuation lines
  c=$(sed -E 's/^[*0-9/,-]+ +[*0-9/,-]+ +[*0-9/,-]+ +[*0-9/,-]+ +[*0-9/,-]+ +//' <<<"$c") # cron's fields
  c=${c//\/usr\/local\/bin\/ionice/ionice}
  c=${c//\/usr\/local\/bin\/backup.sh/$tmp\/names\/backup.sh}
  c=${c//'$(pidof rsync)'/$r1 $r2}
  c=${c//'^(borg|rsync)$'/^($B|$R)\$}
  c=${c//'^backup\.sh$'/^${J//./\\.}\$}
  c=${c//-p 1234/-p $p1}
  c=${c//-u builder/-u docuser}
  c=${c//-u postgres/-u docuser}
  c=${c//if=\/dev\/sda/if=\/dev\/zero count=4}
  c=${c//\/var\/lib\/prometheus\/node-exporter/$tmp\/textfile}
  c=${c//\/var\/lib\/iopstat/$tmp\/state}
  c=${c//\/var\/log/$tmp\/log}
  c=${c//\/host\/proc/\/proc}
  c=${c//-J 10 1/-J 0.5 1}
  # what sets a priority must name only what is ours: -p pids, -C names
  # and -u users; never pidof, -P or a uid by number
  [[ $c == *pidof* ]] && return
  if [[ $c =~ ^ionice[[:space:]] ]] &&
     [[ $c =~ [[:space:]](-c|--class|-n|--classdata|--hint)[[:space:]=] ]]; then
    [[ $c =~ [[:space:]]-C[[:space:]] && $c != *"$run_id"* ]] && return
    [[ $c =~ [[:space:]](-u|--uid)[[:space:]] && $c != *"-u docuser"* ]] && return
    [[ $c =~ [[:space:]](-P|--pgid)[[:space:]] ]] && return
    if [[ $c =~ [[:space:]]-p[[:space:]]+([0-9 ]+) ]]; then
      local id
      for id in ${BASH_REMATCH[1]}; do
        [[ " $r1 $r2 $b1 $j1 $p1 " == *" $id "* ]] || return
      done
    fi
  fi
  printf '%s' "$c"
}

# run_stopped SECONDS CMD...: run (out, err, rc), for a command that may go
# on until stopped: it runs in a session of its own with SIGINT as default
# (a background job would inherit it ignored), and after SECONDS its process
# group gets SIGINT, as from Ctrl-C (iopstat then ends with status 0; a
# pipeline's status is its first failure's).  Not timeout(1): it follows
# the signal with SIGCONT, which can cancel the SIGSTOP of LeakSanitizer's
# exit-time ptrace attach and leave a sanitized build spinning forever.
# What does not end 30 s after SIGINT is killed: a failure that names it.
run_stopped() {
  local secs=$1 p i
  shift
  setsid env --default-signal=INT "$@" </dev/null >"$tmp/out" 2>"$tmp/err" &
  p=$!
  for ((i = 0; i < secs * 20; i++)); do running "$p" || break; sleep 0.05; done
  if running "$p"; then
    kill -INT -- "-$p" 2>/dev/null
    for ((i = 0; i < 600; i++)); do running "$p" || break; sleep 0.05; done
    running "$p" && kill -KILL -- "-$p" 2>/dev/null
  fi
  wait "$p"; rc=$?
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
  no_memory_errors "$*" "$rc" "$err"
}
# running PID: whether our child PID has not ended (a zombie has)
# running PID: alive and not a zombie.  Read without a fork: a sed that
# cannot start or is killed must never pass for "ended", or the wait that
# follows would wait for an example nobody stops.
running() {
  local s
  { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
  s=${s##*) }
  [ "${s:0:1}" != Z ]
}

# slow WHAT: names an example that took more than 10 s since $started (a
# loaded machine, or one about to hang: the log shows which)
slow() {
  local took=$((SECONDS - started))
  [ "$took" -le 10 ] || echo "NOTE: $1 took ${took} s"
}

n_cmd=0 n_c=0 n_promql=0 n_ini=0
while IFS=$'\t' read -r -d '' source kind text; do
  case $kind in
  cmd)
    n_cmd=$((n_cmd + 1))
    case $text in
      systemd-run*)
        skip "$source: [$text]: needs a running systemd, which this machine may lack"; continue ;;
    esac
    safe=$(rewrite "$text")
    if [ -z "$safe" ]; then
      bad "$source: no rule makes this example act on the test's own processes alone: [$text]"
      continue
    fi
    env=()
    if [[ $safe == *"-u docuser"* ]]; then
      if [ ${#user_env[@]} = 0 ]; then
        skip "$source: [$text]: -u needs root and nss_wrapper (glibc) for a user of the test's own"
        continue
      fi
      env=("${user_env[@]}") # the fake user, only where an example names it
    fi
    if [[ $safe == *"| jq"* ]] && ! command -v jq >/dev/null; then
      skip "$source: [$text]: jq not installed (scripts/install-deps.sh)"
      [ -z "${CI:-}" ] || bad "jq missing in CI"
      continue
    fi
    started=$SECONDS
    run_stopped 4 env "${env[@]}" bash -o pipefail -c "$safe"
    slow "$source: [$text]"
    if [ "$rc" != 0 ] && [[ $safe == *--hint* ]] && has "$err" "hints need Linux 6.5"; then
      skip "$source: [$text]: the kernel has no I/O priority hints"
      continue
    fi
    check "$source: [$text] as [$safe]" [ "$rc" = 0 ]
    ;;
  c)
    n_c=$((n_c + 1))
    prog=$tmp/example$n_c.c
    if grep -q '^int main' <<<"$text"; then
      printf '%s\n' "$text" >"$prog"
    else # a fragment: in a main of its own, on its own process group
      { grep '^#include' <<<"$text"
        printf '#include <stdio.h>\n#include <unistd.h>\nint main(void)\n{\n\tpid_t pgid = getpgrp(), tid = 0;\n'
        grep -v '^#include' <<<"$text"
        printf '\treturn r < 0;\n}\n'; } >"$prog"
    fi
    inc=()
    for d in "${includes[@]}"; do inc+=(-I"$d"); done
    # shellcheck disable=SC2086 # EXAMPLE_CFLAGS: words (the build's sanitizers)
    run ${CC:-cc} -Wall -Wextra -Werror ${EXAMPLE_CFLAGS:-} "${inc[@]}" "$prog" "$lib" -o "$tmp/example$n_c"
    check "$source: C example $n_c compiles" [ "$rc" = 0 ]
    # in a session of its own: its process group holds only itself
    started=$SECONDS
    run timeout -k 5 60 setsid -w "$tmp/example$n_c"
    slow "$source: C example $n_c"
    check "$source: C example $n_c runs" [ "$rc" = 0 ]
    ;;
  promql)
    n_promql=$((n_promql + 1))
    if ! command -v promtool >/dev/null; then
      skip "$source: PromQL: promtool not installed (scripts/install-deps.sh)"
      [ -z "${CI:-}" ] || bad "promtool missing in CI"
      continue
    fi
    { printf 'groups:\n  - name: docs\n    rules:\n      - record: docs:example\n        expr: |\n'
      sed 's/^/          /' <<<"$text"; } >"$tmp/rules$n_promql.yml"
    started=$SECONDS
    run timeout -k 5 60 promtool check rules "$tmp/rules$n_promql.yml"
    slow "$source: PromQL $n_promql"
    check "$source: PromQL [$text]" [ "$rc" = 0 ]
    ;;
  ini)
    n_ini=$((n_ini + 1))
    if ! command -v systemd-analyze >/dev/null; then
      skip "$source: unit snippet: systemd-analyze not installed"
      continue
    fi
    { printf '[Unit]\nDescription=ioprio-utils docs example\n\n'
      printf '%s\n' "$text"
      printf 'ExecStart=/bin/true\n'; } >"$tmp/docs-example-$n_ini.service"
    started=$SECONDS
    run timeout -k 5 60 systemd-analyze verify --man=no "$tmp/docs-example-$n_ini.service"
    slow "$source: unit snippet $n_ini"
    check "$source: unit snippet [$text]" [ "$rc" = 0 -a -z "$err" ]
    ;;
  esac
done < <(python3 "$src/tests/docs/extract.py" "$src")

check "examples found (shell, C, PromQL, units)" [ "$n_cmd" -ge 30 -a "$n_c" -ge 2 -a "$n_promql" -ge 3 -a "$n_ini" -ge 1 ]
check "an example touched no process it does not name" [ "$(ionice -p "$decoy")" = "none: prio 0" ]
check "the examples' job was demoted" [ "$(ionice -p "$r1")" = idle -a "$(ionice -p "$b1")" = idle ]
finish examples
