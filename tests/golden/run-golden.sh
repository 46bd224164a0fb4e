#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Golden-file tests: iopstat and ioprio-get on a fixture /proc tree
# (tests/fixtures/proc-golden), each case of tests/golden/cases compared
# with tests/expected/NAME: stdout, stderr and exit status.  What cannot be
# fixed is masked and said so: the wall-clock time of a scan (JSON
# "timestamp" and "time", iopstat_scan_timestamp_seconds, -T epoch, a
# summary's seconds), and the
# fixture's temporary path.  The fixture's processes are owned as its
# "owners" file says, which needs root (elsewhere the test skips): lines
# "PATH UID [FILES]", PATH and all below it given to UID, then with FILES the
# files below it to FILES, as the kernel gives the files of a task that
# dropped privileges to root (USER is the owner of the directory).
#   usage: run-golden.sh [--update] SOURCE_DIR IOPSTAT IOPRIO_GET
update=
[ "${1-}" = --update ] && { update=1; shift; }
src=$1 IOPSTAT=$2 IG=$3
. "$src/tests/lib.sh"
expected=$src/tests/expected
fixture=$src/tests/fixtures/proc-golden

if ! is_root; then
  echo "SKIP: the fixture's owners need root (chown); CI runs as root"
  [ -z "${CI:-}" ] || exit 1
  exit 77
fi
proc=$tmp/proc
cp -r "$fixture" "$proc"
while read -r path uid files; do
  chown -R "$uid:$uid" "$proc/$path"
  [ -z "$files" ] || find "$proc/$path" -type f -exec chown "$files:$files" {} +
done <"$fixture/owners"

# the wall clock, and where the fixture was copied to
mask() {
  sed -E -e 's/"timestamp":[0-9]+\.[0-9]{3}/"timestamp":@TS@/g' \
         -e 's/"time":"[^"]*"/"time":"@TIME@"/g' \
         -e 's/^(iopstat_scan_timestamp_seconds(\{[^}]*\})?) [0-9.]+$/\1 @TS@/' \
         -e 's/^[0-9]{10}\.[0-9]{3},/@TS@,/' \
         -e 's/^Summary: [0-9.]+ s /Summary: @SECONDS@ s /' \
         -e '/"type":"(interval|summary)"/s/"seconds":[0-9.]+/"seconds":@SECONDS@/' \
         -e "s#$proc#@PROC@#g" -e "s#$src/tests/fixtures#@FIXTURES@#g" -e "s#$tmp/files#@TMP@#g" \
         -e "s#$tmp#@TMPDIR@#g" -e "s#${tmp%.*}\.[A-Za-z0-9]*#@TMPDIR@#g"
}

mkdir -p "$tmp/actual"
[ -n "$update" ] && mkdir -p "$expected"
while read -r name tool args; do
  case $name in ''|'#'*) continue ;; esac
  case $tool in iopstat) bin=$IOPSTAT ;; ioprio-get) bin=$IG ;; *) bad "$name: unknown tool $tool"; continue ;; esac
  # @FIXTURES@: tests/fixtures, for cases on trees of their own (a later
  # --proc wins over the first)
  args=${args//@FIXTURES@/$src/tests/fixtures}
  # @TMP@: a directory of this run's (for -w and --state; cases in order
  # share it, so a later case can read what an earlier one left there);
  # the file @TMP@/NAME, when the case wrote it, is part of its output
  args=${args//@TMP@/$tmp/files}
  mkdir -p "$tmp/files"
  # shellcheck disable=SC2086 # the case's words, as written
  run env TZ=UTC LC_ALL=C "$bin" --proc "$proc" $args
  {
    echo "\$ $tool $args"
    printf '%s\n' "$out"
    echo "[stderr]"
    printf '%s\n' "$err"
    echo "[exit $rc]"
    if [ -f "$tmp/files/$name" ]; then
      echo "[file @TMP@/$name]"
      cat "$tmp/files/$name"
    fi
  } | mask >"$tmp/actual/$name"
  # every Prometheus output is checked by promtool too, lint warnings included
  if [[ " $args " == *" prometheus "* ]] && [ "$rc" = 0 ]; then
    if command -v promtool >/dev/null; then
      lint=$(printf '%s\n' "$out" | promtool check metrics 2>&1)
      [ $? = 0 ] && [ -z "$lint" ] && ok || bad "$name: promtool: $lint"
    elif [ -n "${CI:-}" ]; then
      bad "$name: promtool missing in CI (scripts/install-deps.sh installs it)"
    fi
  fi
  if [ -n "$update" ]; then
    cp "$tmp/actual/$name" "$expected/$name"
    ok
  elif [ ! -f "$expected/$name" ]; then
    bad "$name: no tests/expected/$name (scripts/update-expected.sh makes it)"
  elif diff -u "$expected/$name" "$tmp/actual/$name" >"$tmp/diff"; then
    ok
  else
    bad "$name differs from tests/expected/$name:"
    cat "$tmp/diff"
  fi
done <"$src/tests/golden/cases"

finish golden
