#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ioprio-get's run modes and the combinations of options it accepts or
# refuses (issue 17): which message wins when several are wrong, --devices
# and --sys with every other option, --help, --version and --list-columns
# wherever they stand.  Exact stderr and exit status, so a change of the
# option parsing's structure cannot change what a user sees.  Processes:
# only this script's children; users: only an unused uid.
#   usage: test_modes.sh IOPRIO_GET FIXTURES_DIR
IG=$1 FIX=$2
. "$(dirname "$0")/../lib.sh"

try="Try '$(basename "$IG") --help' for more information."
me=$(basename "$IG")
ONE="$me: --raw, --json and --value go one at a time"
SYS="$me: --sys goes with --devices"
DEV="$me: --devices lists devices, not processes: only --sys, -r, -J and -n go with it"

# is ARGS RC STDERR [STDOUT]: the run's exact exit status, stderr and stdout
is() {
  local args=$1 want_rc=$2 want_err=$3 want_out=${4-}
  # shellcheck disable=SC2086
  run "$IG" $args
  check "[$args]: exit $want_rc" [ "$rc" = "$want_rc" ]
  check "[$args]: stderr" [ "$err" = "$want_err" ]
  check "[$args]: stdout" [ "$out" = "$want_out" ]
}

spawn sleep 600; c=$child
deadline="sda mq-deadline yes no mq-deadline,kyber,none"
table="DEVICE SCHEDULER   CLASSES LEVELS AVAILABLE
sda    mq-deadline yes     no     mq-deadline,kyber,none"

##### --devices with each option that selects or formats processes
for o in "-p $c" "$c" "-P $c" "-u 0" "-A" "-C x" "--full" "-T" "-a" "-o PID" "-o BAD" \
  "-q" "--value" "-C x --full -T"; do
  is "--devices $o" 1 "$DEV
$try"
  is "$o --devices" 1 "$DEV
$try"
done
##### what goes with it: --sys, -r, -J, -n, and --proc (which it ignores)
is "--devices --sys $FIX/sys-deadline" 0 "" "$table"
is "--devices -n --sys $FIX/sys-deadline" 0 "" "$deadline" # widths of the rows alone
is "--devices -r -n --sys $FIX/sys-deadline" 0 "" "$deadline"
is "--sys $FIX/sys-deadline -r --devices -n" 0 "" "$deadline"
is "--devices --proc $FIX/proc-golden -r -n --sys $FIX/sys-deadline" 0 "" "$deadline"
is "--devices --proc /nonexistent-$run_id -r -n --sys $FIX/sys-deadline" 0 "" "$deadline"
run "$IG" --devices -J --sys "$FIX/sys-deadline"
check "--devices -J" [ "$rc" = 0 ] && check "--devices -J: JSON" has "$out" '"devices": ['
##### --sys without --devices, whatever else is given
for o in "" "-p $c" "-r" "--full" "-T" "-o BAD" "-q"; do
  is "--sys $FIX/sys-deadline $o" 1 "$SYS
$try"
done

##### which error wins: formats first, then --devices, then the selection,
##### then the columns, then the procfs
for o in "--devices" "--sys /x" "-o BAD" "-T" "--full" "--proc /nonexistent-$run_id" "-p $c"; do
  is "-r -J $o" 1 "$ONE
$try"
  is "$o --value -J" 1 "$ONE
$try"
done
is "--sys /x --devices -T" 1 "$DEV
$try"
is "-o BAD -T" 1 "$me: --tree needs processes to start from (-p, -P, -u, -A or -C)
$try"
is "-o BAD --full -p $c" 1 "$me: --full goes with --command
$try"
is "-o BAD -p $c" 1 "$me: unknown column: 'BAD' (see --list-columns)
$try"
is "-o BAD --proc /nonexistent-$run_id" 1 "$me: unknown column: 'BAD' (see --list-columns)
$try"
is "--proc /nonexistent-$run_id -p $c" 1 "$me: cannot open /nonexistent-$run_id: No such file or directory"
is "--proc $FIX/proc-golden" 1 "$me: $FIX/proc-golden is not this pid namespace's procfs: name the processes (-p, -P, -u or -A)
$try"
##### a bad value is said where getopt meets it, before any combination
is "--devices -p x" 1 "$me: invalid PID argument: 'x'"
is "--devices -n -P -1" 1 "$me: invalid PGID argument: '-1'"
is "-r -J -p x" 1 "$me: invalid PID argument: 'x'"
is "--devices --bogus" 1 "$me: unrecognized option '--bogus'
$try"
is "--devices -X" 1 "$me: invalid option -- 'X'
$try"
is "--devices --sys" 1 "$me: option '--sys' requires an argument
$try"

##### --help, --version, --list-columns: at once, wherever they stand
version=$("$IG" -V)
check "--version says the version" has "$version" "$me from ioprio-utils "
columns=$("$IG" --list-columns)
check "--list-columns: one line a column" [ "$(wc -l <<<"$columns")" = 16 ]
help=$("$IG" --help)
check "--help: usage" has "$help" "Usage:"
for o in "--devices" "-r -J" "--sys /x" "-T" "-o BAD" "--proc /nonexistent-$run_id"; do
  is "$o -V -p x" 0 "" "$version"
  is "$o --list-columns -p x" 0 "" "$columns"
  is "$o --help -p x" 0 "" "$help"
done
is "-p x --help" 1 "$me: invalid PID argument: 'x'"
is "--list-columns --help" 0 "" "$columns"
is "--help --list-columns" 0 "" "$help"

##### the process modes: a user with no processes, an empty group, a pid
##### gone among live ones: each said, exit 1, the others still shown
gone=$(sh -c 'echo $$')
is "-r -n -o PID -p $c,$gone" 1 "$me: PID $gone: No such process" "$c"
is "-r -n -o PID -p $gone -P $gone" 1 "$me: PID $gone: No such process
$me: PGID $gone: no such process group"
is "-r -n -o PID -P $c,$gone" 1 "$me: PGID $gone: no such process group" "$c"
is "-r -n -o PID -C ^nomatch$run_id\$" 1 "$me: no process matched"
is "-r -n -o PID -T -p $gone" 1 "$me: no process matched"
if is_root; then
  U=$(unused_uid)
  is "-r -n -o PID -u $U" 1 "$me: user $U: no processes"
  # -p's rows are its own: the user still had none
  is "-r -n -o PID -u $U -p $c" 1 "$me: user $U: no processes" "$c"
  is "-r -n -o PID -u $U -P $c" 0 "" "$c"
  run "$IG" -r -n -o PID -u "$U" -A -p "$gone"
  check "-u, -A and a pid gone: exit 1" [ "$rc" = 1 ]
  # (-A also names the machine's processes that end during its scan)
  check "-u, -A and a pid gone: said first" [ "${err%%$'\n'*}" = "$me: PID $gone: No such process" ]
  check "-u, -A and a pid gone: every process" has $'\n'"$out"$'\n' $'\n'"$c"$'\n'
  is "-r -n -o PID -u $U -C ." 1 "$me: no process matched"
else
  skip "a user with no processes: an unused uid needs root to be sure of"
fi
##### no target: itself, one row
run "$IG" -r -n -o PID,COMMAND
# (its own name, but memcheck's under valgrind)
check "no target: its own row" [ "$rc" = 0 ] && check "no target: a pid and a name" grep -qE '^[0-9]+ [^ ]+$' <<<"$out"
check "no target: one row" [ "$(wc -l <<<"$out")" = 1 ]

finish test_modes
