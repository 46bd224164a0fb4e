#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/check-layers.sh itself: on a copy of the tree it passes, and it
# fails, naming the loop, once a loop is planted: one include added in
# iopstat/, one in lib/iopcli, and (in a tree of two small modules built
# here) a loop seen only in the archive's symbols, no include saying so.
#   usage: test_layers.sh SOURCE_DIR [CC]
src=$1
CC=${2:-cc}
. "$(dirname "$0")/../lib.sh"
checker=$src/scripts/check-layers.sh

# copy_tree DIR: the two checked directories of the sources, in DIR
copy_tree() {
  mkdir -p "$1/lib/iopcli" "$1/iopstat"
  cp "$src"/lib/iopcli/*.[ch] "$1/lib/iopcli/"
  cp "$src"/iopstat/*.[ch] "$1/iopstat/"
}

# the tree as it is: one way
copy_tree "$tmp/clean"
run bash "$checker" "$tmp/clean"
check "the tree's modules are one way" [ "$rc" -eq 0 ]
check "iopstat's order is printed" has "$out" "iopstat, from the bottom up:"

# plant LABEL DIR FILE LINE A B: with LINE added to FILE the check fails,
# naming modules A and B in the loop
plant() {
  local label=$1 tree=$tmp/$1
  copy_tree "$tree"
  sed -i "0,/^#include/s||$4\n#include|" "$tree/$3"
  grep -qxF "$4" "$tree/$3" || { bad "$label: could not plant the include"; return; }
  run bash "$checker" "$tree"
  check "$label: fails" [ "$rc" -eq 1 ]
  check "$label: says which tree" has "$out" "$2's modules do not use each other one way"
  check "$label: names $5" has "$out" "tsort: $5"
  check "$label: names $6" has "$out" "tsort: $6"
}
plant iopstat-include iopstat iopstat/scan.c '#include "sample.h"' scan sample
plant iopstat-header iopstat iopstat/sample.h '#include "columns.h"' sample columns
plant iopcli-include lib/iopcli lib/iopcli/array.c '#include "iopcli/cli.h"' array cli

# a loop by symbols alone: a.c calls b_f(), b.c calls a_f(), each declaring
# the other's function itself (no include)
sym=$tmp/symbols
copy_tree "$sym"
rm -f "$sym"/iopstat/*.[ch]
printf '/* a */\nint a_f(void);\n' >"$sym/iopstat/a.h"
printf '/* b */\nint b_f(void);\n' >"$sym/iopstat/b.h"
printf '#include "a.h"\nint b_f(void);\nint a_f(void) { return b_f() - 1; }\n' >"$sym/iopstat/a.c"
printf '#include "b.h"\nint a_f(void);\nint b_f(void) { return 0; }\nint b_g(void) { return a_f(); }\n' \
  >"$sym/iopstat/b.c"
if "$CC" -c -o "$tmp/a.c.o" "$sym/iopstat/a.c" && "$CC" -c -o "$tmp/b.c.o" "$sym/iopstat/b.c" &&
   ar rcs "$tmp/core.a" "$tmp/a.c.o" "$tmp/b.c.o"; then
  run bash "$checker" "$sym"
  check "symbols: the includes alone are one way" [ "$rc" -eq 0 ]
  run bash "$checker" "$sym" "" "$tmp/core.a"
  check "symbols: the archive's loop fails" [ "$rc" -eq 1 ]
  check "symbols: names a" has "$out" "tsort: a"
  check "symbols: names b" has "$out" "tsort: b"
else
  bad "cannot build the two-module archive with $CC"
fi
finish test_layers
