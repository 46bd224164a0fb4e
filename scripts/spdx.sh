#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source, script, CMake, build-input and man page file of the project
# carries "SPDX-License-Identifier: MIT" near its head (LICENSE has the
# text).  --check lists the files without it and fails; --add writes the
# line in each file's own comment syntax (after a #! line), idempotently.
#   usage: scripts/spdx.sh --check|--add [SOURCE_DIR]
set -eu
mode=${1:?usage: spdx.sh --check|--add [SOURCE_DIR]}
top=${2:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "SKIP: not a git checkout: the files to check are the ones git tracks"
  exit 77
fi
tag='SPDX-License-Identifier: MIT'

# the files that need it: what git tracks, less data (fixtures, expected
# outputs, fuzz corpora) and prose
files() {
  git ls-files | grep -vE '^tests/(fixtures|expected|fuzz/corpus)/|\.(md|json)$|(^|/)(LICENSE|\.gitignore)$'
}

# the comment that carries the tag in FILE
comment_for() {
  case $1 in
    *.c|*.h|*.map) echo "/* $tag */" ;;
    *.1|*.3) echo ".\\\" $tag" ;;
    *) echo "# $tag" ;;
  esac
}

missing=0
while IFS= read -r f; do
  head -n 3 "$f" | grep -q "$tag" && continue
  if [ "$mode" = --check ]; then
    echo "no SPDX line: $f"
    missing=$((missing + 1))
    continue
  fi
  line=$(comment_for "$f")
  if head -n 1 "$f" | grep -q '^#!'; then
    { head -n 1 "$f"; echo "$line"; tail -n +2 "$f"; } >"$f.spdx"
  else
    { echo "$line"; cat "$f"; } >"$f.spdx"
  fi
  chmod --reference="$f" "$f.spdx"
  mv "$f.spdx" "$f"
  echo "added: $f"
done < <(files)
if [ "$mode" = --check ]; then
  n=$(files | wc -l)
  echo "spdx: $((n - missing)) passed, $missing failed"
  [ "$missing" -eq 0 ]
fi
