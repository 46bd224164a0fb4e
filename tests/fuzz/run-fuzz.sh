#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the fuzz targets with libFuzzer + ASan + UBSan (clang) and runs each
# for a bounded time on a copy of its seed corpus.  Without libFuzzer, builds
# them with a replay driver under ASan + UBSan instead.
#   usage: run-fuzz.sh SOURCE_DIR WORK_DIR [SECONDS]
set -eu
src=$1 work=$2 secs=${3:-20}
mkdir -p "$work"
# the parsers alone: lib/iopcli/procparse.c needs only num.c, diskparse.c num.c and array.c
flags=(-g -O1 -fno-omit-frame-pointer -I"$src/lib")
probe=$work/probe.c
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n){(void)d;(void)n;return 0;}' >"$probe"
if command -v clang >/dev/null && clang -fsanitize=fuzzer "$probe" -o "$work/probe" 2>/dev/null; then
  mode=libfuzzer
else
  mode=replay
  echo "libFuzzer not available (clang with libclang-rt): replaying the corpus instead"
  [ -z "${CI:-}" ] || { echo "FAIL: CI installs clang and libFuzzer"; exit 1; }
fi
# the sources each target needs beside itself
sources_io="lib/iopcli/procparse.c lib/iopcli/num.c"
sources_stat=$sources_io
sources_status=$sources_io
sources_diskstats="lib/iopcli/procparse.c lib/iopcli/diskparse.c lib/iopcli/num.c lib/iopcli/array.c"
sources_pressure=$sources_diskstats
sources_mountstats=$sources_diskstats
sources_taskstats="lib/iopcli/tsparse.c"
for target in io stat status diskstats pressure mountstats taskstats; do
  bin=$work/fuzz_$target
  srcs=()
  for f in $(eval echo "\$sources_$target"); do srcs+=("$src/$f"); done
  if [ $mode = libfuzzer ]; then
    clang "${flags[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
      "$src/tests/fuzz/fuzz_$target.c" "${srcs[@]}" -o "$bin"
    rm -rf "$work/corpus-$target" && cp -r "$src/tests/fuzz/corpus/$target" "$work/corpus-$target"
    "$bin" -max_total_time="$secs" -max_len=4096 -timeout=5 -print_final_stats=1 \
      -artifact_prefix="$work/$target-" \
      "$work/corpus-$target" 2>"$work/fuzz_$target.log" || { tail -40 "$work/fuzz_$target.log"; exit 1; }
    grep -E 'stat::number_of_executed_units|Done' "$work/fuzz_$target.log" | sed "s/^/$target: /"
  else
    cc "${flags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
      "$src/tests/fuzz/fuzz_$target.c" "$src/tests/fuzz/replay.c" "${srcs[@]}" -o "$bin"
    "$bin" "$src/tests/fuzz/corpus/$target"/*
  fi
done
echo "fuzz: 7 passed, 0 failed"
