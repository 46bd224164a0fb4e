# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Children whose /proc files' owner is not their effective user, for the
# owner tests of each tool (sourced instead of tests/lib.sh, which it
# sources; root only).  The
# kernel gives every file under /proc/PID of a non-dumpable task (one that
# changed its ids, as a daemon dropping privileges does) to root, or to
# its user namespace's root; the directory keeps the effective ids, and
# `ps -o euid=` is the oracle.  Every uid and gid is an unused one of this
# run's (unused_uid); each child has two threads and a name of this run's.
#
#   start_owner_children THREADS_HELPER DROPIDS_HELPER USERNS_HELPER
# sets OWNER_PIDS (the children, by pid), OWNER_RE (a regex matching their
# names and no other process's), and OWNER_EUID[pid] (ps's effective uid).
# Each child is checked to be what it should be first: its euid as planned,
# and (but for the unshare -r one) its stat file not its euid's.
#
#   owner_test_begin THREADS_HELPER DROPIDS_HELPER USERNS_HELPER
# the start of every owner test: skips unless root (a failure in CI), then
# start_owner_children; sets OWNER_LIST (their pids, comma-separated, for
# -p) and OWNER_WANT (owner_expect's lines).

# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

owner_test_begin() {
  if ! is_root; then
    echo "SKIP: children switched to unused uids need root; CI runs as root"
    [ -z "${CI:-}" ] || exit 1
    exit 77
  fi
  start_owner_children "$@"
  OWNER_LIST=$(IFS=,; echo "${OWNER_PIDS[*]}")
  OWNER_WANT=$(owner_expect)
}

# wait_task PID NAME THREADS: until PID is NAME with THREADS threads
wait_task() {
  local i
  for i in $(seq 250); do
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] &&
      [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -ge "$3" ] && return 0
    sleep 0.02
  done
  echo "child $1 did not become $2 with $3 threads" >&2
  exit 1
}

declare -A OWNER_EUID
start_owner_children() {
  local threads=$1 dropids=$2 userns=$3 id=$run_id k want name cmd
  local UA UB UC UD UE UF UH UI UJ
  UA=$(unused_uid) UB=$(unused_uid) UC=$(unused_uid) UD=$(unused_uid) UE=$(unused_uid)
  UF=$(unused_uid) UH=$(unused_uid) UI=$(unused_uid) UJ=$(unused_uid)
  # the children exec the helper as unused uids: a copy where they can
  # reach it (the build tree may sit below a directory only root may
  # enter, such as a mktemp -d one)
  mkdir -p "$tmp/owner-bin"
  cp "$threads" "$tmp/owner-bin/threads"
  chmod 711 "$tmp" "$tmp/owner-bin"
  chmod 755 "$tmp/owner-bin/threads"
  threads=$tmp/owner-bin/threads
  OWNER_PIDS=() OWNER_RE="^o[DRXGNM]$id\$"
  # kind, the euid it must have, and how it is started
  local -a plan=(
    # D: a daemon's worker, dropped to a user without an exec (nginx, postfix)
    "D $UA $dropids $UA $UA $UA $UA 2 oD$id"
    # R: setresuid(ruid, euid, euid) from root, ids apart, no exec
    "R $UC $dropids $UB $UC $UC $UC 2 oR$id"
    # X: real and effective uid apart across an exec (a set-user-ID program)
    "X $UD setpriv --ruid $UB --euid $UD --rgid $UD --egid $UD --clear-groups $threads 2 oX$id"
    # G: only the gid changed (a set-group-ID program, as ssh-agent is)
    "G $UE setpriv --reuid $UE --rgid $UE --egid $UF --clear-groups $threads 2 oG$id"
    # N: in a user namespace of its own (unshare -U -r run as a user)
    "N $UH setpriv --reuid $UH --regid $UH --clear-groups unshare -U -r $threads 2 oN$id"
    # M: a container's daemon: a namespace whose root is UI drops to its uid 1 (UJ)
    "M $UJ $userns $UI $UJ setpriv --ruid 0 --euid 1 --rgid 0 --egid 1 --clear-groups $threads 2 oM$id"
  )
  # user namespaces may be off (user.max_user_namespaces = 0), or closed to users
  local no_ns=
  if ! unshare -U true 2>/dev/null; then
    no_ns=NM; skip "user namespace children: user namespaces are not available here"
  elif ! setpriv --reuid "$UH" --regid "$UH" --clear-groups unshare -U -r true 2>/dev/null; then
    no_ns=N; skip "unshare -U -r child: user namespaces are closed to users here"
  fi
  local line
  for line in "${plan[@]}"; do
    read -r k want cmd <<<"$line"
    [[ "$no_ns" == *"$k"* ]] && continue
    name=o$k$id
    # shellcheck disable=SC2086 # the plan's words
    spawn $cmd
    wait_task "$child" "$name" 2
    OWNER_PIDS+=("$child")
    OWNER_EUID[$child]=$(ps -o euid= -p "$child" | tr -d ' ')
    [ "${OWNER_EUID[$child]}" = "$want" ] ||
      { echo "child $k: euid ${OWNER_EUID[$child]}, not $want" >&2; exit 1; }
    if [ "$k" != N ] && [ "$(stat -c %u "/proc/$child/stat")" = "$want" ]; then
      echo "child $k: its files are its own: the kernel is not what the test knows" >&2
      exit 1
    fi
  done
}

# owner_expect: the lines "PID EUID" of every child, by pid
owner_expect() {
  local p
  for p in $(printf '%s\n' "${OWNER_PIDS[@]}" | sort -n); do echo "$p ${OWNER_EUID[$p]}"; done
}
