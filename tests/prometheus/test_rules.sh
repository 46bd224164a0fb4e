#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shipped Prometheus rules (iopstat/prometheus/) through the real
# consumer's own checker: promtool check rules, then promtool test rules
# with tests/prometheus/rules_test.yml.  That those tests can fail is shown
# too: with any one alert's comparison reversed, or any one recording rule's
# expression replaced by a constant, the same tests must fail.
#   usage: test_rules.sh SOURCE_DIR
src=$1
. "$src/tests/lib.sh"
if ! command -v promtool >/dev/null; then
  echo "SKIP: promtool not installed (Debian's prometheus; scripts/install-deps.sh)"
  [ -z "${CI:-}" ] || exit 1
  exit 77
fi
rules=(iopstat/prometheus/iopstat-rules.yml iopstat/prometheus/iopstat-alerts.yml)

nrules=0
for f in "${rules[@]}"; do
  run promtool check rules "$src/$f"
  check "promtool check rules $f" [ "$rc" = 0 ]
  n=$(grep -oE 'SUCCESS: [0-9]+ rules found' <<<"$out$err" | grep -oE '[0-9]+')
  nrules=$((nrules + ${n:-0}))
done
check "rules found" [ "$nrules" -ge 12 ]
run promtool check rules "$src/tests/prometheus/rules_test.yml"
check "the tests are not rules (promtool tells them apart)" [ "$rc" != 0 ]
run promtool test rules "$src/tests/prometheus/rules_test.yml"
check "promtool test rules: every recording rule and alert as expected" [ "$rc" = 0 ]
check "promtool test rules: it says so" has "$out" SUCCESS

# mutants: a copy of the tree's rules and tests, one rule changed at a time
mkdir -p "$tmp/m/iopstat/prometheus" "$tmp/m/tests/prometheus"
cp "$src/tests/prometheus/rules_test.yml" "$tmp/m/tests/prometheus/"
# mutate FILE N: prints FILE with its Nth rule's expression changed (an
# alert's " > " reversed, a recording rule's expression made a constant);
# exit 2 when FILE has no Nth rule
mutate() {
  python3 - "$1" "$2" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
want, n, kind = int(sys.argv[2]), 0, None
for i, l in enumerate(lines):
    m = re.match(r"^\s*- (record|alert): ", l)
    if m:
        kind = m.group(1)
        continue
    m = re.match(r"^(\s*expr: )(.*)$", l)
    if not m:
        continue
    n += 1
    if n != want:
        continue
    if kind == "alert":
        assert m.group(2).count(" > ") == 1, l  # SIGNAL > THRESHOLD
        lines[i] = m.group(1) + m.group(2).replace(" > ", " < ")
    else:
        lines[i] = m.group(1) + "vector(1)"
    print("\n".join(lines), end="")
    sys.exit(0)
sys.exit(2)
PY
}
mutants=0
for f in "${rules[@]}"; do
  for n in $(seq 50); do
    for g in "${rules[@]}"; do cp "$src/$g" "$tmp/m/$g"; done
    mutate "$src/$f" "$n" >"$tmp/m/$f" || break
    mutants=$((mutants + 1))
    run promtool test rules "$tmp/m/tests/prometheus/rules_test.yml"
    check "the tests notice rule $n of $f changed" [ "$rc" != 0 ]
  done
done
check "a mutant for every rule" [ "$mutants" = "$nrules" ]

finish prometheus-rules
