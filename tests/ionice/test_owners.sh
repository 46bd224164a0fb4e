#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ionice's selection (-u with -C, -T, -a, -v, --dry-run) takes the effective
# user of every task as ps does, also of tasks whose /proc files the kernel
# gives to root (privileges dropped, a set-group-ID exec, a user namespace's
# daemon); checked against the kernel's own values of every thread.
# Children of tests/e2e/owners.sh; root only.
#   usage: test_owners.sh IONICE THREADS_HELPER DROPIDS_HELPER USERNS_HELPER RAWPRIO_HELPER
IONICE=$1 THREADS=$2 DROPIDS=$3 USERNS=$4 RAWPRIO=$5
. "$(dirname "$0")/../e2e/owners.sh"
be() { echo $((2 << 13 | $1)); }
owner_test_begin "$THREADS" "$DROPIDS" "$USERNS"

run "$IONICE" --dry-run -c2 -n1 -u 0 -C "$OWNER_RE"
check "-u 0 -C: none of them is root's" [ "$rc" = 1 -a "$err" = "ionice: no process matched" ]
left=("${OWNER_PIDS[@]}")
for p in "${OWNER_PIDS[@]}"; do
  u=${OWNER_EUID[$p]} name=$(cat "/proc/$p/comm")
  left=("${left[@]:1}")
  run "$IONICE" --dry-run -c2 -n1 -u "$u" -C "$OWNER_RE"
  check "--dry-run -u $name's euid -C: it alone" [ "$rc" = 0 -a "${out%%:*}" = "$p $name" -a "$(wc -l <<<"$out")" = 1 ]
  prio_is "--dry-run: $name unchanged" 0 $(tids_of "$p")
  run "$IONICE" -v -c2 -n3 -u "$u" -C "$OWNER_RE"
  check "-v -u -C: $name alone" [ "$rc" = 0 -a "${out%%:*}" = "$p $name" -a "$(wc -l <<<"$out")" = 1 ]
  prio_is "-v -u -C: $name set" "$(be 3)" "$p"
  run "$IONICE" -c2 -n5 -a -u "$u" -C "$OWNER_RE"
  check "-a -u -C: $name" [ "$rc" = 0 -a -z "$out" ]
  # shellcheck disable=SC2046
  prio_is "-a -u -C: every thread of $name" "$(be 5)" $(tids_of "$p")
  run "$IONICE" -v -c2 -n6 -T -u "$u"
  check "-v -T -u: $name alone" [ "$rc" = 0 -a "${out%%:*}" = "$p $name" -a "$(wc -l <<<"$out")" = 1 ]
  prio_is "-v -T -u: $name set" "$(be 6)" "$p"
  if [ "${#left[@]}" -gt 0 ]; then
    # shellcheck disable=SC2046
    prio_is "the others untouched so far" 0 $(tids_of "${left[@]}")
  fi
done

finish ionice-owners
