#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end tests of ionice: the real binary on the real kernel, acting only
# on processes this script started (each in a session of its own, ended by
# pid), or on children switched to a uid no account and no process uses.
# util-linux ionice, where installed, is the oracle for compatible output.
#   usage: test_ionice.sh IONICE THREADS_HELPER RAWPRIO_HELPER
IONICE=$1 THREADS=$2 RAWPRIO=$3
. "$(dirname "$0")/../lib.sh"

# expect DESCRIPTION RC STDOUT [STDERR-SUBSTRING] -- after run
expect() {
  local what=$1 want_rc=$2 want_out=$3 want_err=${4-}
  if [ "$rc" != "$want_rc" ]; then bad "$what: exit $rc, want $want_rc (stderr: $err)"; return; fi
  if [ "$out" != "$want_out" ]; then bad "$what: stdout [$out], want [$want_out]"; return; fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then
    bad "$what: stderr [$err] lacks [$want_err]"; return
  fi
  if [ -z "$want_err" ] && [ -n "$err" ] && [ "$want_rc" = 0 ]; then
    bad "$what: unexpected stderr [$err]"; return
  fi
  ok
}



UTIL=
if [ -x /usr/bin/ionice ] && /usr/bin/ionice -V 2>/dev/null | grep -q util-linux; then
  UTIL=/usr/bin/ionice
fi

##### set and read back every class and level
spawn sleep 600; p=$child
run "$IONICE" -p "$p"; expect "new process" 0 "none: prio 0"
for level in 0 1 2 3 4 5 6 7; do
  run "$IONICE" -c2 -n "$level" -p "$p"; expect "set be/$level" 0 ""
  run "$IONICE" -p "$p"; expect "read be/$level" 0 "best-effort: prio $level"
done
if is_root; then
  for level in 0 1 2 3 4 5 6 7; do
    run "$IONICE" -c realtime -n "$level" -p "$p"; expect "set rt/$level" 0 ""
    run "$IONICE" -p "$p"; expect "read rt/$level" 0 "realtime: prio $level"
  done
else
  skip "realtime class: needs CAP_SYS_ADMIN or CAP_SYS_NICE (not root)"
fi
run "$IONICE" -c3 -p "$p"; expect "set idle" 0 ""
run "$IONICE" -p "$p"; expect "read idle" 0 "idle"
run "$RAWPRIO" "$p"; expect "idle is sent as level 7, as util-linux does" 0 "$((3 << 13 | 7))"
run "$IONICE" -c none -p "$p"; expect "set none" 0 ""
run "$IONICE" -p "$p"; expect "read none" 0 "none: prio 0"

##### defaults, names, warnings
run "$IONICE" -n 6 -p "$p"; expect "-n alone is best-effort" 0 ""
run "$IONICE" -p "$p"; expect "-n alone read" 0 "best-effort: prio 6"
run "$IONICE" -c be -p "$p"; expect "-c alone is level 4" 0 ""
run "$IONICE" -p "$p"; expect "-c alone read" 0 "best-effort: prio 4"
for name in 3 idle IDLE Idle; do
  run "$IONICE" -c2 -n0 -p "$p"
  run "$IONICE" -c "$name" -p "$p"; run "$IONICE" -p "$p"; expect "class name '$name'" 0 "idle"
done
for name in 2 be BE best-effort Best-Effort; do
  run "$IONICE" -c3 -p "$p"
  run "$IONICE" -c "$name" -n 1 -p "$p"; run "$IONICE" -p "$p"; expect "class name '$name'" 0 "best-effort: prio 1"
done
run "$IONICE" -c idle -n 3 -p "$p"; expect "idle ignores -n" 0 "" "ignoring given class data for idle class"
run "$IONICE" -p "$p"; expect "idle after -n" 0 "idle"
run "$IONICE" -c none -n 5 -p "$p"; expect "none ignores -n" 0 "" "ignoring given class data for none class"
run "$IONICE" -p "$p"; expect "none after -n" 0 "none: prio 0"
run "$IONICE" -t -c idle -n 3 -p "$p"; expect "-t silences the warning" 0 ""

##### hints (Linux 6.5+)
run "$IONICE" -c2 -n3 --hint cdl2 -p "$p"
if [ "$rc" = 0 ]; then
  run "$IONICE" -p "$p"; expect "hint shown" 0 "best-effort: prio 3 hint dev-duration-limit-2"
  run "$IONICE" -c2 -n3 --hint 9 -p "$p"; run "$IONICE" -p "$p"; expect "unnamed hint" 0 "best-effort: prio 3 hint 9"
  run "$IONICE" -c2 -n3 --hint none -p "$p"; run "$IONICE" -p "$p"; expect "no hint, old output" 0 "best-effort: prio 3"
else
  expect "hint refused by the kernel" 1 "" "hints need Linux 6.5 or later"
fi

##### several ids: every one tried, each failure named, status says so
spawn sleep 600; q=$child
gone=$(sh -c 'echo $$')   # a pid that has just ended
run "$IONICE" -c3 -p "$p" "$gone" "$q"; expect "set several, one gone" 1 "" "ioprio_set failed for PID $gone: No such process"
run "$IONICE" -p "$p" "$gone" "$q"; expect "query several, one gone" 1 "idle
idle" "ioprio_get failed for PID $gone: No such process"
run "$IONICE" -c2 -n2 -p "$p" -p "$q"; expect "-p repeated" 0 ""
run "$IONICE" -p "$q"; expect "-p repeated read" 0 "best-effort: prio 2"

##### bad input: one clear line, exit 1, nothing changed
run "$IONICE" -c2 -n5 -p "$p"
bad_cases=(
  "-c 10 -p $p|unknown scheduling class: '10'"
  "-c 4 -p $p|unknown scheduling class: '4'"
  "-c -1 -p $p|unknown scheduling class: '-1'"
  "-c foo -p $p|unknown scheduling class: 'foo'"
  "-n 8 -p $p|invalid class data argument: '8' (must be 0..7)"
  "-n 8192 -p $p|invalid class data argument: '8192'"
  "-n -1 -p $p|invalid class data argument: '-1'"
  "-n 1x -p $p|invalid class data argument: '1x'"
  "--hint 1024 -p $p|invalid hint argument: '1024'"
  "--hint cdl8 -p $p|invalid hint argument: 'cdl8'"
  "-c3 -p $p -p abc|invalid PID argument: 'abc'"
  "-c3 -p $p x|invalid PID argument: 'x'"
  "-c3 -p -1|invalid PID argument: '-1'"
  "-c3 -p 99999999999|invalid PID argument: '99999999999'"
  "-c3 -p +5|invalid PID argument: '+5'"
  "-c3 -P $p -p $p|can handle only one of pid, pgid or uid at once"
  "-c3 -u no-such-user-ioprio|invalid UID argument: 'no-such-user-ioprio': no such user"
  "-c3 -u 4294967295|invalid UID argument: '4294967295'"
  "-c3 -a -P $p|--all-tasks works only with --pid"
  "-c3|bad usage"
  "--no-such-option|unrecognized option"
)
for case in "${bad_cases[@]}"; do
  args=${case%%|*} msg=${case#*|}
  # shellcheck disable=SC2086
  run "$IONICE" $args; expect "bad input [$args]" 1 "" "$msg"
  [[ "$err" == *"Try '"*"--help' for more information."* || "$msg" != *"bad usage"* ]] || bad "no --help pointer [$args]"
  run "$IONICE" -p "$p"; expect "unchanged after [$args]" 0 "best-effort: prio 5"
done

##### process group: a child and its own child
spawn sh -c 'sleep 600 & exec sleep 601'; g=$child
for i in $(seq 50); do [ "$(pgrp_members "$g" | wc -l)" -ge 2 ] && break; sleep 0.02; done
members=$(pgrp_members "$g")
children+=($members)
run "$IONICE" -c3 -P "$g"; expect "-P set" 0 ""
# shellcheck disable=SC2086
run "$IONICE" -p $members; expect "-P reached both" 0 "idle
idle"
run "$IONICE" -P "$g"; expect "-P query" 0 "idle"
run "$IONICE" -c2 -n1 -p "$(echo "$members" | tail -1)"
run "$IONICE" -P "$g"; expect "-P query: highest of the group" 0 "best-effort: prio 1"

##### -P 0 is the caller's own group (util-linux shows the process itself):
##### run in a session of its own, so that group holds only what we started
run setsid sh -c "\"$IONICE\" -c3 -P 0 && sleep 0.01 & wait; \"$IONICE\" -P 0"
expect "-P 0 acts on the own group" 0 "idle"

##### -a: every thread of a multi-threaded process
spawn "$THREADS" 4; m=$child
for i in $(seq 50); do [ "$(ls "/proc/$m/task" | wc -l)" -ge 4 ] && break; sleep 0.02; done
tids=$(ls "/proc/$m/task" | sort -n)
run "$IONICE" -c2 -n7 -p "$m"; expect "-p sets one thread" 0 ""
run "$IONICE" -a -p "$m"
want=$(for t in $tids; do if [ "$t" = "$m" ]; then echo "$t: best-effort: prio 7"; else echo "$t: none: prio 0"; fi; done)
expect "-a query after -p" 0 "$want"
run "$IONICE" -c3 -a -p "$m"; expect "-a set" 0 ""
run "$IONICE" -a -p "$m"; expect "-a query after -a" 0 "$(for t in $tids; do echo "$t: idle"; done)"
run "$IONICE" -a -p "$gone"; expect "-a on a gone process" 1 "" "ioprio_get failed for PID $gone: No such process"
# -v and --dry-run act on what -p names, a thread too, as without them
worker=$(echo "$tids" | grep -vx "$m" | head -1)
main_before=$("$RAWPRIO" "$m")
run "$IONICE" -v -c2 -n2 -p "$worker"
check "-v -p TID: a line for the thread" [ "$rc" = 0 ] && check "-v -p TID: its line" grep -qE "^$worker .*: idle -> be/2\$" <<<"$out"
check "-v -p TID: the thread set" [ "$("$RAWPRIO" "$worker")" = $(( (2 << 13) | 2 )) ]
check "-v -p TID: the main thread left alone" [ "$("$RAWPRIO" "$m")" = "$main_before" ]
run "$IONICE" --dry-run -c3 -p "$worker"
check "--dry-run -p TID: what would change" [ "$rc" = 0 ] && check "--dry-run -p TID: nothing changed" [ "$("$RAWPRIO" "$worker")" = $(( (2 << 13) | 2 )) ]

run "$IONICE" -a -p 0
check "-a -p 0: ionice's own threads, as -p 0 acts on itself" [ "$rc" = 0 ] &&
  check "-a -p 0 output" grep -qxE '[0-9]+: none: prio 0' <<<"$out"

##### running a command
run "$IONICE" -c3 "$IONICE"; expect "command gets the class" 0 "idle"
run "$IONICE" -c2 -n6 "$IONICE"; expect "command gets the level" 0 "best-effort: prio 6"
run "$IONICE" -n1 sh -c 'exit 7'; expect "exit status passed through" 7 ""
run "$IONICE" -c3 sh -c 'echo "$@"' x -c -f -n; expect "options after the command are its own" 0 "-c -f -n"
# execvp says EACCES, not ENOENT, once a PATH directory was not searchable
# (/root/... for a user who is not root): look only where we may
searchable=$(IFS=:; for d in $PATH; do [ -x "$d" ] && printf '%s:' "$d"; done)
PATH=${searchable%:} run "$IONICE" -c3 no-such-command-ioprio; expect "not found: 127" 127 "" "failed to execute no-such-command-ioprio: No such file or directory"
run "$IONICE" -c3 /etc/passwd; expect "cannot run: 126" 126 "" "failed to execute /etc/passwd"
run "$IONICE"; expect "no arguments: own priority" 0 "none: prio 0"

##### privileges: realtime and other users' processes
if is_root; then
  U=$(unused_uid)
  AS_U=(setpriv --reuid="$U" --regid="$U" --clear-groups)
  run "${AS_U[@]}" "$IONICE" -c1 true; expect "realtime unprivileged" 1 "" "the realtime class needs CAP_SYS_ADMIN or CAP_SYS_NICE"
  run "${AS_U[@]}" "$IONICE" -t -c1 sh -c 'exit 3'; expect "-t runs the command anyway" 3 ""
  run "${AS_U[@]}" "$IONICE" -c3 -p "$p"; expect "another user's process" 1 "" "acting on another user's processes needs CAP_SYS_NICE"
  run "$IONICE" -p "$p"; expect "not changed by the other user" 0 "best-effort: prio 5"

  ##### -u: children switched to an unused uid, by number and by (fake) name
  spawn "${AS_U[@]}" sleep 600; u1=$child
  spawn "${AS_U[@]}" sleep 601; u2=$child
  run "$IONICE" -c2 -n6 -u "$U"; expect "-u set" 0 ""
  run "$IONICE" -p "$u1" "$u2"; expect "-u reached both" 0 "best-effort: prio 6
best-effort: prio 6"
  run "$IONICE" -u "$U"; expect "-u query" 0 "best-effort: prio 6"
  run "$IONICE" -p "$p"; expect "-u left others alone" 0 "best-effort: prio 5"
  nssw=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -1)
  if [ "${IOP_TEST_LIBC:-}" = musl ]; then
    skip "-u by name: musl reads /etc/passwd itself, without NSS, so nss_wrapper cannot stand in"
  elif [ -n "$nssw" ]; then
    echo "ioprio-test:x:$U:$U:ioprio-utils test:/:/bin/false" >"$tmp/passwd"
    echo "ioprio-test:x:$U:" >"$tmp/group"
    # (verify_asan_link_order: the sanitizer build preloads nss_wrapper too)
    run env LD_PRELOAD="$nssw" ASAN_OPTIONS=verify_asan_link_order=0 NSS_WRAPPER_PASSWD="$tmp/passwd" NSS_WRAPPER_GROUP="$tmp/group" \
      "$IONICE" -c idle -u ioprio-test
    expect "-u by user name" 0 ""
    run "$IONICE" -p "$u1" "$u2"; expect "-u by name reached both" 0 "idle
idle"
  else
    skip "-u by name: nss_wrapper not installed (scripts/install-deps.sh)"
  fi
else
  skip "realtime refusal, other users and -u: need root to switch children to an unused uid"
fi

##### output: write errors reported, a closed pipe is quiet
run sh -c "\"$IONICE\" >/dev/full"; expect "write error" 1 "" "write error"
run sh -c "\"$IONICE\" -p $p $p $p | head -c0"; expect "closed pipe" 0 ""
run "$IONICE" --help; [ "$rc" = 0 ] && [[ "$out" == *"-c, --class"* ]] && ok || bad "--help"
run "$IONICE" --ver; expect "--ver is --version, as in util-linux (not --verbose)" 0 "$(sed -n 's/^project(ioprio-utils VERSION \([0-9.]*\).*/ionice from ioprio-utils \1/p' "$(dirname "$0")/../../CMakeLists.txt")"
run "$IONICE" -V; expect "--version" 0 "ionice from ioprio-utils $(sed -n 's/^project(ioprio-utils VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../../CMakeLists.txt")"

##### bash completion
load_completion ionice
complete_words ionice -c ""; [ "$out" = "0 1 2 3 be best-effort idle none realtime rt " ] && ok || bad "complete classes: [$out]"
complete_words ionice -c3 -n ""; [ "$out" = "0 1 2 3 4 5 6 7 " ] && ok || bad "complete levels: [$out]"
complete_words ionice --hint c; [ "$out" = "cdl1 cdl2 cdl3 cdl4 cdl5 cdl6 cdl7 " ] && ok || bad "complete hints: [$out]"
complete_words ionice -c3 -p "$p"; [[ " $out" == *" $p "* ]] && ok || bad "complete pids: [$out]"
complete_words ionice --al; [ "$out" = "--all-tasks " ] && ok || bad "complete options: [$out]"
U0=$(id -un); complete_words ionice -u "${U0:0:2}"; [[ " $out" == *" $U0 "* ]] && ok || bad "complete users: [$out]"
complete_words ionice --dr; check "complete --dry-run" [ "$out" = "--dry-run " ]
complete_words ionice -c3 -C sle; check "complete -C: the names running" has " $out" " sleep "
complete_words ionice -c3 -C x ""; check "after -C: no command to run" [ -z "${out// /}" ]
completes_help_options "$IONICE"

##### byte-for-byte with util-linux where scripts depend on it: the same
##### stdout and exit status, and the same raw value set on the kernel side.
##### Each tool acts on a child of its own; PID stands for that child.
if [ -n "$UTIL" ]; then
  spawn sleep 600; c_util=$child
  spawn sleep 600; c_ours=$child
  ops=("" "-p PID" "-c3 -p PID" "-p PID" "-c2 -n5 -p PID" "-p PID PID" "-n 0 -p PID" "-p PID"
       "-c0 -p PID" "-p PID" "-c idle -n 3 -p PID" "-c idle -p PID" "-c2 -p PID" "-n7 -p PID"
       "-c3 -t -n 2 -p PID" "-c2 -p 0" "-p abc" "-p PID -P PID" "-c3" "-x" "--bogus" "-c"
       "--class" "--pid" "--cla=3 -p PID" "--p 1" "--c 1" "--classd" "--u"
       "-c idle -n 3 true" "-n 3 sh -c exit\\ 5" "no-such-command-ioprio" "/etc/passwd")
  is_root && ops+=("-c1 -n3 -p PID" "-p PID" "-c1 -p PID" "-p PID" "-c 1 -n 0 -p PID")
  for op in "${ops[@]}"; do
    a=$(cd "$tmp" && eval "ionice ${op//PID/$c_util}" 2>&1; echo "rc=$?")
    b=$(cd "$tmp" && PATH="$(dirname "$IONICE"):$PATH" eval "ionice ${op//PID/$c_ours}" 2>&1; echo "rc=$?")
    no_memory_errors "ionice $op" "$(sed -n '$s/^rc=//p' <<<"$b")" "$b"
    # ours names the id in failure lines; compare those up to the id
    a=$(echo "$a" | sed 's/^\(ionice: ioprio_[gs]et failed\).*/\1/')
    b=$(echo "$b" | sed 's/^\(ionice: ioprio_[gs]et failed\).*/\1/')
    if [ "$a" = "$b" ]; then ok; else bad "differs from util-linux [ionice $op]: [$a] vs [$b]"; fi
    ra=$("$RAWPRIO" "$c_util") rb=$("$RAWPRIO" "$c_ours")
    if [ "$ra" = "$rb" ]; then ok; else bad "raw value differs from util-linux after [ionice $op]: $ra vs $rb"; fi
  done
else
  skip "util-linux ionice not installed: no byte-for-byte comparison"
fi

finish ionice
