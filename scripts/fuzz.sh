#!/usr/bin/env bash
# Fuzzes one parser that reads the outside world with libFuzzer: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]
# Builds aim-fuzz once (release, -sanitize=fuzzer, in .build-fuzz; later runs rebuild only what changed),
# seeds it with Tests/Fixtures/fuzz/TARGET, and exits non-zero when an input crashes, runs out of
# memory or takes longer than AIM_FUZZ_UNIT_TIMEOUT seconds; the input is saved in .build-fuzz/runs/TARGET/crashes.
# `scripts/fuzz.sh --list` prints the targets. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(rocm-smi amd-smi kfd-properties profile-yaml engine-args hub-listing s3-listing http-headers model-config group-message)

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi
if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]; targets: ${targets[*]}" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
if [[ ! " ${targets[*]} " =~ [[:space:]]${target}[[:space:]] ]]; then
  echo "error: '$target' is not a fuzz target; use one of: ${targets[*]}" >&2
  exit 2
fi
if [[ ! "$seconds" =~ ^[1-9][0-9]{0,6}$ ]]; then
  echo "error: SECONDS='$seconds' must be a whole number of seconds from 1 to 9999999" >&2
  exit 2
fi
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

scratch=.build-fuzz
# -sanitize=fuzzer instruments every Swift module for coverage and links libFuzzer, whose driver aim-fuzz
# calls; -parse-as-library keeps Swift from emitting a main of its own. lld, because gold fails on this link
# (an internal error in its DWARF reader).
AIM_FUZZ=1 swift build -c release --scratch-path "$scratch" --product aim-fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >&2
binary="$scratch/release/aim-fuzz"

run="$scratch/runs/$target"
mkdir -p "$run/corpus" "$run/crashes"
seeds="Tests/Fixtures/fuzz/$target"
status=0
# The first directory collects new inputs; the seeds (read recursively) are only read.
# Swift's own crash backtracer would take the trap before libFuzzer can save the input.
SWIFT_BACKTRACE=enable=no FUZZ_TARGET="$target" "$binary" \
  -max_total_time="$seconds" \
  -timeout="${AIM_FUZZ_UNIT_TIMEOUT:-10}" \
  -rss_limit_mb="${AIM_FUZZ_RSS_LIMIT_MB:-2048}" \
  -artifact_prefix="$run/crashes/" \
  -print_final_stats=1 \
  "$@" "$run/corpus" "$seeds" || status=$?
if [ "$status" -ne 0 ]; then
  echo "error: fuzz target $target failed (exit $status); the input is in $run/crashes/. Replay it with" \
    "SWIFT_BACKTRACE=enable=no FUZZ_TARGET=$target $binary FILE, fix the parser, and add the file to $seeds/regressions/" >&2
fi
exit "$status"
