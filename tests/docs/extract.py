#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the examples of the README and the man pages, for
tests/docs/test_examples.sh: one record per example, NUL-separated, as
"SOURCE<TAB>KIND<TAB>TEXT" where KIND is

  cmd     a shell command line (cron fields and continuation lines joined)
  c       a C program, or a fragment of one (README)
  promql  a PromQL expression (in a man page: a block with a rate or a
          recording rule's series)
  ini     a systemd unit snippet

Man pages are read from their EXAMPLES section (troff escapes undone);
the README from its fenced blocks (sh, crontab, c, promql, ini).
Usage: extract.py SOURCE_DIR
"""
import os
import re
import sys

src = sys.argv[1]
out = []


def unescape(line):
    for a, b in (("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\e", "\\"),
                 ("\\fB", ""), ("\\fR", ""), ("\\fI", ""), ("\\fP", ""), ("\\&", "")):
        line = line.replace(a, b)
    return line


def add(source, kind, text):
    out.append("%s\t%s\t%s" % (source, kind, text.strip("\n")))


TOOLS = re.compile(r"^((ionice|ioprio-get|iopstat|/usr/local/bin/ionice|systemd-run)(\s|$)|"
                   r"[*0-9/,-]+ +[*0-9/,-]+ +[*0-9/,-]+ +[*0-9/,-]+ +[*0-9/,-]+ +)")


def commands(source, lines):
    """Shell lines: a line ending in a backslash goes on on the next; a
    pipeline's next stage too (a line ending in '|')."""
    cmd = ""
    for line in lines:
        if not cmd and not TOOLS.match(line.strip()):
            continue
        cmd += line.rstrip() + "\n"
        if line.rstrip().endswith("\\") or line.rstrip().endswith("|"):
            continue
        add(source, "cmd", cmd)
        cmd = ""
    if cmd:
        add(source, "cmd", cmd)


# --- the man pages: EXAMPLES ----------------------------------------------------
for page in ("ionice.1", "ioprio-get.1", "iopstat.1", "libioprio.3"):
    text = open(os.path.join(src, "docs", page), encoding="utf-8").read().splitlines()
    try:
        start = text.index(".SH EXAMPLES")
    except ValueError:
        continue
    body = []
    for line in text[start + 1:]:
        if line.startswith(".SH "):
            break
        body.append(line)
    if page.endswith(".3"):  # one C program between .nf and .fi
        prog = body[body.index(".nf") + 1:body.index(".fi")]
        add(page, "c", "\n".join(unescape(l) for l in prog))
        continue
    lines, fill, block = [], False, []
    for line in body:
        if line in (".nf",):
            fill, block = True, []
            continue
        if line in (".fi",):
            fill = False
            joined = "\n".join(block)
            if "rate(" in joined or "rate5m" in joined:  # PromQL, apart by blank lines
                for expr in joined.split("\n\n"):
                    add(page, "promql", expr)
            else:
                commands(page, block)
            continue
        if line.startswith("."):
            continue
        if fill:
            block.append(unescape(line))
        else:
            lines.append(unescape(line))
    commands(page, lines)

# --- the README: fenced blocks ------------------------------------------------------
kind, block = None, []
for line in open(os.path.join(src, "README.md"), encoding="utf-8").read().splitlines():
    m = re.match(r"^```(\w*)$", line)
    if m and kind is None:
        kind, block = m.group(1) or "text", []
        continue
    if m and kind is not None:
        if kind in ("sh", "crontab"):
            commands("README.md", [re.sub(r"\s+#.*$", "", l) for l in block])
        elif kind == "c":
            add("README.md", "c", "\n".join(block))
        elif kind == "promql":
            for expr in "\n".join(block).split("\n\n"):
                add("README.md", "promql", re.sub(r"\s+#.*$", "", expr, flags=re.M))
        elif kind == "ini":
            add("README.md", "ini", "\n".join(block))
        kind = None
        continue
    if kind is not None:
        block.append(line)

sys.stdout.write("".join(r + "\0" for r in out))
