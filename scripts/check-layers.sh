#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The helper library (lib/iopcli) and iopstat's files are each a stack: no
# two of their modules use each other, directly or round a longer loop.
#
# lib/iopcli: a module is a header and the .c files that implement it (x.c
# implements x.h; a .c with no header of its name, such as procparse.c,
# implements the first iopcli header it includes).
# iopstat/: a module is x.h and x.c (pair.h alone is one); a .c with no
# header of its name (iopstat.c, main) is a module of its own, the top.
#
# A module uses another when one of its files includes that one's header,
# or (given the built archive) when one of its objects calls or reads a
# symbol that the other's objects define.  Fails, naming the loop, when the
# uses are not one way.
#   usage: scripts/check-layers.sh [SOURCE_DIR [LIBIOPCLI.a [IOPSTAT_CORE.a]]]
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
iopcli_archive=${2:-}
iopstat_archive=${3:-}
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
status=0

# the headers of the same directory that file $1 includes, for layout $2
includes_of() {
  case $2 in
  iopcli) sed -n 's|^#include "iopcli/\([a-z0-9_]*\)\.h".*|\1|p' "$1" ;;
  iopstat) sed -n 's|^#include "\([a-z0-9_]*\)\.h".*|\1|p' "$1" |
    while read -r h; do [ -e "$dir/$h.h" ] && echo "$h"; done ;;
  esac
}

# the module a file (source, header or object) of $dir belongs to
module_of() {
  local f=$1 base
  base=$(basename "$f")
  base=${base%.o}
  base=${base%.[ch]}
  if [ -e "$dir/$base.h" ] || [ "$layout" = iopstat ]; then
    echo "$base"
    return
  fi
  includes_of "$dir/$base.c" "$layout" | head -1
}

# check_dir NAME DIR LAYOUT [ARCHIVE]: 0 when its modules use each other one way
check_dir() {
  local name=$1 archive=${4:-} f m h o order
  dir=$2 layout=$3
  : >"$edges"

  # uses by #include
  for f in "$dir"/*.[ch]; do
    m=$(module_of "$f")
    [ -n "$m" ] || { echo "$f: belongs to no module (it includes no header of $name)"; return 1; }
    echo "$m $m" >>"$edges" # a module alone is a node too
    includes_of "$f" "$layout" | while read -r h; do
      [ "$h" = "$m" ] || echo "$m $h"
    done >>"$edges"
  done

  # uses by symbol: who defines each symbol, then who refers to it
  if [ -n "$archive" ]; then
    local -A owner=()
    local obj sym
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
    echo "$name's modules do not use each other one way:"
    echo "$order" | grep -v '^[a-z0-9_]*$' || true
    echo "the uses (module: what it uses):"
    sort -u "$edges" |
      awk '$1 != $2 { u[$1] = u[$1] " " $2 } END { for (m in u) print m ":" u[m] }' | sort
    return 1
  fi
  echo "$name, from the bottom up: $(echo "$order" | tr '\n' ' ')"
}

check_dir lib/iopcli "$top/lib/iopcli" iopcli "$iopcli_archive" || status=1
check_dir iopstat "$top/iopstat" iopstat "$iopstat_archive" || status=1
exit $status
