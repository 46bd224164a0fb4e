#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shipped Prometheus rules (iopstat/prometheus/) through the real
# consumer's own checker: promtool check rules, then promtool test rules
# with tests/prometheus/rules_test.yml.  That those tests can fail is shown
# too: with any one rule changed (a recording rule's expression or window,
# an alert's comparison, threshold or `for:`), the same tests must fail.
# The dashboard's JSON is checked as Grafana's import reads it.
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

# mutants: a copy of the tree's rules and tests, one rule changed at a time.
# Every recording rule: its expression made a constant, and a rate's window
# doubled.  Every alert: its comparison reversed, its threshold 10% lower
# and 10% higher (1 lower and higher where it is 0), its `for:` halved and
# doubled (or one of 5m added where it has none).  Each must make the tests
# fail: a threshold or a duration the tests do not pin is not tested.
mkdir -p "$tmp/m/iopstat/prometheus" "$tmp/m/tests/prometheus"
cp "$src/tests/prometheus/rules_test.yml" "$tmp/m/tests/prometheus/"
# mutate FILE N: prints FILE with its Nth mutant applied, and what it is on
# stderr; exit 2 when FILE has no Nth mutant
mutate() {
  python3 - "$1" "$2" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
want = int(sys.argv[2])
# the rules: (kind, name, index of the expr line, index of the for line)
rules = []
for i, l in enumerate(lines):
    m = re.match(r"^\s*- (record|alert): (\S+)", l)
    if m:
        rules.append([m.group(1), m.group(2), None, None])
    elif rules and re.match(r"^\s*expr: ", l):
        rules[-1][2] = i
    elif rules and re.match(r"^\s*for: ", l):
        rules[-1][3] = i

def seconds(d):
    m = re.fullmatch(r"(\d+)([smh])", d)
    assert m, d
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[m.group(2)]

def number(x):
    return "%.10g" % x

mutants = []  # (description, line index, new line)
for kind, name, e, f in rules:
    head, expr = re.match(r"^(\s*expr: )(.*)$", lines[e]).groups()
    if kind == "record":
        mutants.append(("%s: a constant" % name, e, head + "vector(1)"))
        if "[5m]" in expr:
            mutants.append(("%s: over [10m]" % name, e, head + expr.replace("[5m]", "[10m]")))
        continue
    assert expr.count(" > ") == 1, lines[e]  # SIGNAL > THRESHOLD
    signal, thr = expr.split(" > ")
    assert re.fullmatch(r"[0-9.* ]+", thr), thr
    t = eval(thr)
    mutants.append(("%s: < for >" % name, e, head + signal + " < " + thr))
    for what, v in (("lower", t * 0.9 if t else t - 1), ("higher", t * 1.1 if t else t + 1)):
        mutants.append(("%s: threshold %s (%s)" % (name, what, number(v)), e, head + signal + " > " + number(v)))
    if f is None:
        indent = re.match(r"^(\s*)", lines[e]).group(1)
        mutants.append(("%s: for: 5m added" % name, e, lines[e] + "\n" + indent + "for: 5m"))
    else:
        fh, d = re.match(r"^(\s*for: )(\S+)\s*$", lines[f]).groups()
        for what, k in (("halved", 0.5), ("doubled", 2)):
            mutants.append(("%s: for: %s %s" % (name, d, what), f, fh + "%ds" % (seconds(d) * k)))
if want > len(mutants):
    sys.exit(2)
what, i, new = mutants[want - 1]
lines[i] = new
print(what, file=sys.stderr)
print("\n".join(lines), end="")
PY
}
mutants=0
for f in "${rules[@]}"; do
  for n in $(seq 100); do
    for g in "${rules[@]}"; do cp "$src/$g" "$tmp/m/$g"; done
    mutate "$src/$f" "$n" >"$tmp/m/$f" 2>"$tmp/what"
    m=$?
    [ "$m" != 2 ] || break
    check "mutant $n of $f made: $(cat "$tmp/what")" [ "$m" = 0 ] || continue
    mutants=$((mutants + 1))
    run promtool test rules "$tmp/m/tests/prometheus/rules_test.yml"
    check "the tests notice $(basename "$f") changed: $(cat "$tmp/what")" [ "$rc" != 0 ]
  done
done
# each recording rule 1 (2 with a window), each alert 4 (5 with a for:)
records=$(cat "${rules[@]/#/$src/}" | grep -c '^ *- record:')
fors=$(cat "${rules[@]/#/$src/}" | grep -c '^ *for: ')
windows=$(grep -c '^ *expr: .*\[5m\]' "$src/iopstat/prometheus/iopstat-rules.yml")
alerts=$(cat "${rules[@]/#/$src/}" | grep -c '^ *- alert:')
check "every rule mutated ($mutants mutants)" [ "$mutants" = $((records + windows + 4 * alerts + fors)) ]
check "the rules counted are the rules found" [ $((records + alerts)) = "$nrules" ]

# the dashboard, as Grafana's import reads it (its expressions run on a
# real server in test_server.sh), and the same check on broken copies
dash=$src/iopstat/prometheus/iopstat-dashboard.json
run python3 "$src/tests/prometheus/promapi.py" grafana "$dash"
check "the dashboard imports in Grafana: one prometheus data source variable, a sound grid" [ "$rc" = 0 ]
for m in 'd["panels"][1]["datasource"] = {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}' \
    'd["panels"][2]["targets"][0]["datasource"] = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}' \
    'd["templating"]["list"][1]["datasource"] = "Prometheus"' \
    'd["panels"][0]["targets"][0]["expr"] += "{job=~\"$job\"}"' \
    'd["panels"][3]["gridPos"]["x"] = 6' \
    'd["panels"][4]["id"] = d["panels"][0]["id"]' \
    'd["panels"][5]["targets"][1]["refId"] = "A"' \
    'd["id"] = 7' \
    'd = {"dashboard": d}'; do
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(d, open(sys.argv[3], "w"))' "$dash" "$m" "$tmp/dash.json"
  run python3 "$src/tests/prometheus/promapi.py" grafana "$tmp/dash.json"
  check "the Grafana check notices: $m" [ "$rc" != 0 ]
done

finish prometheus-rules
