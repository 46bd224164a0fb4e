#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The helper library (lib/iopcli) is a stack: no two of its modules use each
# other, directly or round a longer loop.  A module is a header and the .c
# files that implement it (x.c implements x.h; a .c with no header of its
# name, such as procparse.c, implements the first iopcli header it
# includes).  It uses another when one of its files includes that one's
# header, or (given the built library) when one of its objects calls or
# reads a symbol that the other's objects define.  Fails, naming the loop,
# when the uses are not one way.
#   usage: scripts/check-layers.sh [SOURCE_DIR [LIBIOPCLI.a]]
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
archive=${2:-}
dir=$top/lib/iopcli
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

# the module a file of lib/iopcli belongs to
module_of() {
  local f=$1 base
  base=$(basename "$f")
  base=${base%.o}
  base=${base%.[ch]}
  if [ -e "$dir/$base.h" ]; then
    echo "$base"
    return
  fi
  sed -n 's|^#include "iopcli/\([a-z0-9_]*\)\.h".*|\1|p' "$dir/$base.c" | head -1
}

# uses by #include
for f in "$dir"/*.[ch]; do
  m=$(module_of "$f")
  [ -n "$m" ] || { echo "$f: belongs to no module (it includes no iopcli header)"; exit 1; }
  echo "$m $m" >>"$edges" # a module alone is a node too
  sed -n 's|^#include "iopcli/\([a-z0-9_]*\)\.h".*|\1|p' "$f" | while read -r h; do
    [ "$h" = "$m" ] || echo "$m $h"
  done >>"$edges"
done

# uses by symbol: who defines each symbol, then who refers to it
if [ -n "$archive" ]; then
  declare -A owner
  while read -r obj sym; do
    owner[$sym]=$(module_of "$obj")
  done < <(nm -A --defined-only "$archive" |
             sed -n 's|^[^:]*:\([^:]*\):[0-9a-f]* [TDBRGSV] \(.*\)|\1 \2|p')
  while read -r obj sym; do
    m=$(module_of "$obj")
    o=${owner[$sym]:-}
    if [ -n "$o" ] && [ "$o" != "$m" ]; then
      echo "$m $o"
    fi
  done < <(nm -A --undefined-only "$archive" | sed -n 's|^[^:]*:\([^:]*\): *U \(.*\)|\1 \2|p') \
    >>"$edges"
fi

# tsort wants "before after": the used module first
if ! order=$(awk '{ print $2, $1 }' "$edges" | sort -u | tsort 2>&1); then
  echo "lib/iopcli's modules do not use each other one way:"
  echo "$order" | grep -v '^[a-z0-9_]*$' || true
  echo "the uses (module: what it uses):"
  awk '$1 != $2 { u[$1] = u[$1] " " $2 } END { for (m in u) print m ":" u[m] }' "$edges" |
    sort
  exit 1
fi
echo "lib/iopcli, from the bottom up: $(echo "$order" | tr '\n' ' ')"
