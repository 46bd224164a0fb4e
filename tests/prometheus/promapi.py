#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Prometheus server test's questions to the server's HTTP API
(tests/prometheus/test_server.sh), with python3's standard library alone.

  promapi.py ready URL DATA_DIR
      exit 0 when the server at URL answers and is the one whose TSDB is
      DATA_DIR (not another test's that took the port), 1 otherwise
  promapi.py samples URL SELECTOR
      prints "COUNT SPAN LAST": the samples the server holds of the one
      series SELECTOR names over the last 5 minutes, their time span in
      seconds and the last value (0 0 - when it has none)
  promapi.py evaluated URL RULE_NAME AFTER
      exit 0 when every rule named RULE_NAME has been evaluated at a time
      later than AFTER (seconds since the epoch)
  promapi.py check URL SOURCE_DIR DASHBOARD OUT_JSON HEAVY LIGHT BEFORE AFTER INSTANCE
      runs every PromQL expression of README.md, iopstat(1), the loaded
      rules (with those their annotations' templates query) and the
      dashboard at one time, checks each is accepted and returns data, that the top-writer queries rank the group HEAVY (the
      comm of the heaviest writers) first and LIGHT after it, and that
      HEAVY's rate agrees with its exact bytes (AFTER - BEFORE, the kernel's
      counts) over the 5 minute window on the host INSTANCE (the server may
      scrape others, with the same processes); writes what it ran to OUT_JSON
  promapi.py grafana DASHBOARD
      the dashboard's JSON as Grafana's import reads it (check_grafana): no
      server needed
  promapi.py dashboard DASHBOARD RAN_JSON
      the dashboard's JSON parsed: every target expression (its variables
      as Grafana's "All" has them) is one the server ran with data, and
      names no series but the shipped recording rules and node_exporter's
Each failed check prints a line starting "FAIL:"; the exit status is the
number of failures (at most 100).
"""
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

WINDOW = 300.0  # every rate in the rules, the README and the dashboard: [5m]
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def get(url, path, **params):
    q = urllib.parse.urlencode(params)
    with urllib.request.urlopen("%s%s?%s" % (url, path, q), timeout=20) as r:
        return json.loads(r.read().decode())


def query(url, expr, at):
    """(status, result type, result, error) of an instant query at time AT"""
    try:
        d = get(url, "/api/v1/query", query=expr, time="%.3f" % at)
    except urllib.error.HTTPError as e:  # 400, 422: not accepted
        d = json.loads(e.read().decode())
    return d.get("status"), d.get("data", {}).get("resultType"), \
        d.get("data", {}).get("result"), d.get("error")


def series_samples(url, selector, at):
    """the [(t, v)] of the one series SELECTOR names, over the window before AT"""
    st, kind, res, err = query(url, "%s[5m]" % selector, at)
    if st != "success" or not res:
        return []
    if len(res) != 1:
        raise SystemExit("%s: %d series, one expected" % (selector, len(res)))
    return [(float(t), float(v)) for t, v in res[0]["values"]]


def rules(url):
    return [r for g in get(url, "/api/v1/rules")["data"]["groups"] for r in g["rules"]]


def sources(src, url, dashboard):
    """[(source, expr)]: README.md and iopstat(1) (tests/docs/extract.py finds
    them, as the docs test does), the rules the server loaded, the dashboard"""
    out = []
    raw = subprocess.run([sys.executable, src + "/tests/docs/extract.py", src],
                         check=True, capture_output=True).stdout.decode()
    for rec in raw.split("\0"):
        if rec:
            where, kind, text = rec.split("\t", 2)
            if kind == "promql":
                out.append((where, text.strip()))
    for r in rules(url):
        out.append(("rule " + r["name"], r["query"]))
    for expr in dashboard_exprs(dashboard):
        out.append(("dashboard", expr))
    return out


def alerts(url):
    return {r["query"] for r in rules(url) if r["type"] == "alerting"}


def dashboard_exprs(path):
    """every target's expression, and each query variable's series as
    'group by (instance) (SERIES)', with each variable as "All" has it"""
    d = json.load(open(path))
    subst = {}
    out = []
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") == "query":
            if not v.get("includeAll") or "allValue" not in v:
                raise SystemExit("variable %s: no All value" % v["name"])
            subst[v["name"]] = v["allValue"]
            q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
            m = re.fullmatch(r"label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*), *(\w+)\)", q)
            if not m:
                raise SystemExit("variable %s: not label_values(SERIES, LABEL): %s" % (v["name"], q))
            out.append("group by (%s) (%s)" % (m.group(2), m.group(1)))

    def panels(ps):
        for p in ps:
            yield p
            yield from panels(p.get("panels", []))
    for p in panels(d.get("panels", [])):
        for t in p.get("targets", []):
            e = t["expr"]
            for name, val in subst.items():
                e = e.replace("${%s}" % name, val).replace("$" + name, val)
            if "$" in e:
                raise SystemExit("panel %r: a variable the dashboard does not define: %s" % (p.get("title"), e))
            out.append(e)
    if not out:
        raise SystemExit("no expressions in the dashboard")
    return out


def template_queries(rule, labels):
    """the expressions RULE's annotations pass to the template function
    `query`, for a series of LABELS: `query "EXPR"`, or `query (printf "FMT"
    $labels.NAME...)` with %q or %s verbs; ValueError for any other use"""
    out = []
    for text in rule.get("annotations", {}).values():
        for m in re.finditer(r"\bquery\b", text):
            rest = text[m.end():]
            lit = re.match(r'\s+"((?:\\.|[^"\\])*)"', rest)
            fmt = re.match(r'\s+\(\s*printf\s+"((?:\\.|[^"\\])*)"((?:\s+\$labels\.\w+)*)\s*\)', rest)
            if lit:
                out.append(json.loads('"%s"' % lit.group(1)))
            elif fmt:
                f = json.loads('"%s"' % fmt.group(1))
                args = re.findall(r"\$labels\.(\w+)", fmt.group(2))
                verbs = re.findall(r"%[qs%]", f)
                if len([v for v in verbs if v != "%%"]) != len(args):
                    raise ValueError("printf %r: %d arguments" % (f, len(args)))
                vals = iter(labels.get(a, "") for a in args)
                out.append(re.sub(r"%[qs%]", lambda v: "%" if v.group(0) == "%%" else
                                  (json.dumps(next(vals)) if v.group(0) == "%q" else next(vals)), f))
            else:
                raise ValueError("a template query this test cannot run: query%s" % rest[:80])
    return out


def rate_bound(samples):
    """how far above increase/window rate() may be: it extrapolates, at each
    end of the samples it has, by at most 1.1 times their average interval
    (Prometheus's extrapolatedRate); so the ratio to the exact rate is in
    [1, 1 + 2.2 * average / span]"""
    span = samples[-1][0] - samples[0][0]
    avg = span / (len(samples) - 1)
    return 2.2 * avg / span


def agrees(what, got, samples, exact):
    bound = rate_bound(samples)
    ratio = got / exact if exact else float("inf")
    if not (1 - 1e-9 <= ratio <= 1 + bound + 1e-9):
        fail("%s: rate %.3f B/s, the exact %.3f B/s (%d bytes / %.0f s): ratio %.4f outside [1, %.4f]"
             % (what, got, exact, exact * WINDOW, WINDOW, ratio, 1 + bound))
    return ratio, bound


def steady_time(url, secs=120):
    """a time at which every scrape of every target in the last 15 s
    succeeded: a scrape that fails (a stalled exporter on a loaded machine)
    marks every series of the target stale, and an instant query just after
    it finds nothing.  Every query of the check is asked at that one time."""
    deadline = time.time() + secs
    while True:
        at = time.time()
        st, kind, res, err = query(url, "min(min_over_time(up[15s])) == 1 and min(count_over_time(up[15s])) >= 10", at)
        if st == "success" and res:
            return at
        if time.time() > deadline:
            fail("no 15 s of successful scrapes in %d s" % secs)
            return at
        time.sleep(1)


def check(url, src, dashboard, out_json, heavy, light, before, after, instance):
    at = steady_time(url)
    ran = []
    quiet = alerts(url)  # the test trips no alert: their SIGNALs have data, below
    for where, expr in sources(src, url, dashboard):
        st, kind, res, err = query(url, expr, at)
        n = len(res) if isinstance(res, list) else (1 if res else 0)
        ran.append({"source": where, "expr": expr, "status": st, "results": n})
        if st != "success":
            fail("%s: not accepted: %s (%s)" % (where, expr, err))
        elif n == 0 and not (where.startswith("rule ") and expr in quiet):
            fail("%s: no data: %s" % (where, expr))

    # the rules: each evaluated by the server without error; the recorded
    # series exist; each alert is SIGNAL > THRESHOLD, and its SIGNAL has data
    recorded = []
    for r in rules(url):
        if r.get("health") != "ok":
            fail("rule %s: health %s: %s" % (r["name"], r.get("health"), r.get("lastError")))
        if r["type"] == "recording":
            recorded.append(r["name"])
            expr = r["name"]
        else:
            parts = r["query"].split(" > ")
            if len(parts) != 2 or not re.fullmatch(r"[0-9.* ]+", parts[1]):
                fail("alert %s: not SIGNAL > THRESHOLD: %s" % (r["name"], r["query"]))
                continue
            expr = parts[0]
        st, kind, res, err = query(url, expr, at)
        ran.append({"source": "rule %s (%s)" % (r["name"], "series" if r["type"] == "recording" else "signal"),
                    "expr": expr, "status": st, "results": len(res or [])})
        if st != "success" or not res:
            fail("rule %s: %s returns no data (%s)" % (r["name"], expr, err))
            continue
        # the PromQL an alert's annotations run through the template `query`
        # function, as the server would for the first series of its SIGNAL
        try:
            asked = template_queries(r, res[0]["metric"])
        except ValueError as e:
            fail("alert %s: %s" % (r["name"], e))
            continue
        for q in asked:
            st, kind, res, err = query(url, q, at)
            ran.append({"source": "rule %s (template)" % r["name"], "expr": q, "status": st,
                        "results": len(res or [])})
            if st != "success" or not res:
                fail("alert %s: its annotations' query %s returns no data (%s)" % (r["name"], q, err))
    json.dump({"time": at, "ran": ran, "recorded": recorded}, open(out_json, "w"), indent=1)
    print("%d expressions asked of the server, %d with data" % (len(ran), sum(r["results"] > 0 for r in ran)))

    # the heavy group's exact bytes over the window, as the server has them
    sel = 'iopstat_group_write_bytes_total{instance="%s",comm="%s"}' % (instance, heavy)
    samples = series_samples(url, sel, at)
    if len(samples) < 3:
        fail("%s: %d samples" % (sel, len(samples)))
        return
    if samples[0][1] != before or samples[-1][1] != after:
        fail("%s: from %d to %d on the server, the kernel's %d to %d"
             % (sel, samples[0][1], samples[-1][1], before, after))
    exact = (after - before) / WINDOW

    def ranked(expr, label, when=at):
        st, kind, res, err = query(url, expr, when)
        if st != "success" or not res:
            fail("%s: nothing (%s)" % (expr, err))
            return []
        return sorted(res, key=lambda s: -float(s["value"][1]))

    # the README's top writers: the heavy command's group first, its rate exact
    # (the unit group, the light writer alone, ties with the light command)
    top = ranked("topk(5, rate(iopstat_group_write_bytes_total[5m]))", "comm")
    names = [s["metric"].get("comm") for s in top]
    if names[:1] != [heavy] or light not in names:
        fail("README's top writers: %s, not %s first and %s among them" % (names, heavy, light))
    mine = [s for s in top if s["metric"].get("comm") == heavy and s["metric"].get("instance") == instance]
    if top and names[0] == heavy and mine:
        ratio, bound = agrees("README's top writer", float(mine[0]["value"][1]), samples, exact)
        print("top writer %s: %.1f B/s over [5m], exact %.1f B/s: ratio %.4f (bound %.4f, %d samples)"
              % (heavy, float(mine[0]["value"][1]), exact, ratio, 1 + bound, len(samples)))
    elif top and names[0] == heavy:
        fail("README's top writers: %s of %s not among them" % (heavy, instance))
    # the recorded top writers by command: the same, at their own evaluation
    st, kind, res, err = query(url, 'timestamp(comm:iopstat_write_bytes:top5_rate5m{instance="%s"})' % instance, at)
    when = max((float(s["value"][1]) for s in res or []), default=0)
    top = ranked('comm:iopstat_write_bytes:top5_rate5m{instance="%s"}' % instance, "comm", when)
    names = [s["metric"].get("comm") for s in top]
    if names[:2] != [heavy, light]:
        fail("recorded top writers: %s, not %s then %s" % (names, heavy, light))
    seen = [s for s in samples if s[0] <= when]
    if top and names[0] == heavy and len(seen) >= 3 and seen[-1][1] == after:
        agrees("recorded top writer", float(top[0]["value"][1]), seen, exact)
    elif top:
        fail("recorded top writers evaluated at %.3f, when the server's last sample was %s, not the kernel's %d"
             % (when, seen[-1][1] if seen else "none", after))
    # the README's per-process top writers by command: the heavy one first
    top = ranked("""topk(5, sum by (comm) (
  rate(iopstat_write_bytes_total[5m])
    * on (instance, job, pid, start) group_left (comm) iopstat_process_info))""", "comm")
    names = [s["metric"].get("comm") for s in top]
    if names[:2] != [heavy, light]:
        fail("README's top writers by command, per process: %s, not %s then %s" % (names, heavy, light))


PANEL_TYPES = {"timeseries", "stat", "gauge", "bargauge", "table", "text", "row", "heatmap",
               "piechart", "barchart", "state-timeline", "status-history"}
GRAFANA_VARS = {"__interval", "__interval_ms", "__rate_interval", "__range", "__range_s",
                "__range_ms", "__dashboard", "__from", "__to", "__all"}


def check_grafana(path):
    """what Grafana's import needs of the dashboard, read from its JSON: a
    dashboard (not an export wrapper) with no id of its own, a valid uid;
    one data source variable of type prometheus that every panel, target
    and query variable uses (no hard-coded data source, no ${DS_...} input
    without __inputs); variables used are defined; panels with unique ids on
    the 24-column grid, not overlapping; targets with unique refIds"""
    try:
        d = json.load(open(path))
    except ValueError as e:
        fail("dashboard: not JSON: %s" % e)
        return
    if "dashboard" in d or "panels" not in d:
        fail("dashboard: not a dashboard model (an API wrapper, or no panels)")
        return
    if d.get("id") is not None:
        fail("dashboard: has an id (%r): an import would overwrite that dashboard" % d["id"])
    if not isinstance(d.get("title"), str) or not d["title"]:
        fail("dashboard: no title")
    if not re.fullmatch(r"[a-zA-Z0-9_-]{1,40}", str(d.get("uid", ""))):
        fail("dashboard: uid %r: 1 to 40 letters, digits, - or _" % d.get("uid"))
    if not isinstance(d.get("schemaVersion"), int):
        fail("dashboard: no schemaVersion")
    variables = d.get("templating", {}).get("list", [])
    names = [v.get("name") for v in variables]
    if len(set(names)) != len(names):
        fail("dashboard: variables named twice: %s" % names)
    ds = [v for v in variables if v.get("type") == "datasource"]
    if len(ds) != 1 or ds[0].get("query") != "prometheus":
        fail("dashboard: not one data source variable of type prometheus: %s" % ds)
        return
    want = {"type": "prometheus", "uid": "${%s}" % ds[0]["name"]}
    inputs = {i.get("name") for i in d.get("__inputs", [])}

    def walk(x, where):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "datasource" and v != want:
                    fail("dashboard: %s: data source %r, not the variable's %r" % (where, v, want))
                walk(v, where + "." + k)
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, "%s[%d]" % (where, i))
        elif isinstance(x, str):
            for m in re.finditer(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", x):
                n = m.group(1) or m.group(2)
                if n.startswith("DS_") and n not in inputs:
                    fail("dashboard: %s: ${%s} is no input of the dashboard" % (where, n))
                elif not n.startswith("DS_") and n not in names and n not in GRAFANA_VARS:
                    fail("dashboard: %s: $%s is no variable of the dashboard" % (where, n))
    for i, v in enumerate(variables):
        if v.get("type") == "query" and v.get("datasource") != want:
            fail("dashboard: variable %s: data source %r" % (v.get("name"), v.get("datasource")))
    walk(d.get("panels"), "panels")
    walk(variables, "templating")

    panels, ids, cells = [], set(), {}
    stack = list(d["panels"])
    while stack:
        p = stack.pop(0)
        panels.append(p)
        stack.extend(p.get("panels", []))
    for p in panels:
        t = p.get("title", p.get("id"))
        if not isinstance(p.get("id"), int) or p["id"] in ids:
            fail("dashboard: panel %r: id %r missing or not unique" % (t, p.get("id")))
        ids.add(p.get("id"))
        if p.get("type") not in PANEL_TYPES:
            fail("dashboard: panel %r: type %r" % (t, p.get("type")))
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in "hwxy") or g["x"] < 0 or g["y"] < 0 \
                or g["w"] < 1 or g["h"] < 1 or g["x"] + g["w"] > 24:
            fail("dashboard: panel %r: gridPos %r off the 24-column grid" % (t, g))
            continue
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    fail("dashboard: panels %r and %r overlap" % (cells[(x, y)], t))
                    break
                cells[(x, y)] = t
            else:
                continue
            break
        refs = [q.get("refId") for q in p.get("targets", [])]
        if p.get("type") != "row" and p.get("type") != "text" and not refs:
            fail("dashboard: panel %r: no targets" % t)
        if None in refs or len(set(refs)) != len(refs):
            fail("dashboard: panel %r: refIds %s missing or repeated" % (t, refs))
        for q in p.get("targets", []):
            if not q.get("expr", "").strip():
                fail("dashboard: panel %r, target %s: no expression" % (t, q.get("refId")))
    print("dashboard: %d panels, %d variables, as Grafana imports them" % (len(panels), len(variables)))


def check_dashboard(dashboard, ran_json):
    ran = json.load(open(ran_json))
    with_data = {r["expr"] for r in ran["ran"] if r["status"] == "success" and r["results"] > 0}
    recorded = set(ran["recorded"])
    try:
        exprs = dashboard_exprs(dashboard)
    except SystemExit as e:
        fail("dashboard: %s" % e)
        return
    for e in exprs:
        if e not in with_data:
            fail("dashboard: not run on the server with data: %s" % e)
        # the series it names: what is left without label matchers, ranges,
        # strings, numbers, functions (a name and a parenthesis) and the
        # label lists of by/without/on/group_left
        bare = re.sub(r'"(\\.|[^"\\])*"', "", e)
        bare = re.sub(r"\{[^}]*\}|\[[^]]*\]", "", bare)
        bare = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", bare)
        bare = re.sub(r"[a-zA-Z_]\w*\s*\(", "(", bare)
        for name in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare):
            if name not in recorded and not name.startswith("node_"):
                fail("dashboard: %s: %s is neither a shipped recording rule nor node_exporter's" % (e, name))
    print("dashboard: %d expressions, each run on the server" % len(exprs))


def main():
    cmd = sys.argv[1]
    if cmd == "ready":
        url, data = sys.argv[2:4]
        try:
            flags = get(url, "/api/v1/status/flags")["data"]
            with urllib.request.urlopen(url + "/-/ready", timeout=5) as r:
                ok = r.status == 200
        except Exception:
            return 1
        return 0 if ok and flags.get("storage.tsdb.path") == data else 1
    if cmd == "samples":
        s = series_samples(sys.argv[2], sys.argv[3], time.time())
        print(len(s), "%.3f" % (s[-1][0] - s[0][0]) if s else 0, "%d" % s[-1][1] if s else "-")
        return 0
    if cmd == "evaluated":
        url, name, after = sys.argv[2], sys.argv[3], float(sys.argv[4])
        found = [r for r in rules(url) if r["name"] == name]
        ok = found and all(r.get("lastEvaluation", "").startswith("2") and
                           parse_time(r["lastEvaluation"]) > after for r in found)
        return 0 if ok else 1
    if cmd == "check":
        url, src, dash, out = sys.argv[2:6]
        check(url, src, dash, out, sys.argv[6], sys.argv[7], int(sys.argv[8]), int(sys.argv[9]), sys.argv[10])
    elif cmd == "dashboard":
        check_dashboard(*sys.argv[2:4])
    elif cmd == "grafana":
        check_grafana(sys.argv[2])
    else:
        raise SystemExit("unknown command " + cmd)
    return min(failures, 100)


def parse_time(s):
    """RFC 3339 with nanoseconds, as Prometheus writes it, to epoch seconds"""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", s)
    if not m:
        raise SystemExit("time %r" % s)
    import datetime
    base = datetime.datetime.strptime(m.group(1) + (m.group(3).replace("Z", "+00:00")),
                                      "%Y-%m-%dT%H:%M:%S%z").timestamp()
    return base + float(m.group(2) or 0)


if __name__ == "__main__":
    sys.exit(main())
