#!/usr/bin/env bash
# Measures serve's log forwarding: a scripted engine prints N lines as fast as it can, through
# `aim-runtime serve` and, side by side, straight into `cat`; and the launcher's RSS while it
# supervises. Goals: >= 200k lines/s or >= 80% of the direct pipe; RSS < 30 MiB.
# Usage: scripts/bench-serve.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"
swift build -c release --product aim-runtime >&2
binary="$(swift build -c release --show-bin-path)/aim-runtime"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/profiles/general" "$work/model" "$work/state"
printf '#!/bin/sh\nexec python3 %s "$@"\n' "$PWD/Tests/Servers/fake_engine.py" > "$work/bin/python"
chmod +x "$work/bin/python"
cat > "$work/profiles/general/vllm-mi300x-fp16-tp1-latency.yaml" <<'YAML'
metadata: {engine: vllm, gpu: MI300X, precision: fp16, gpu_count: 1, metric: latency, type: general, manual_selection_only: false}
engine_args: {tensor-parallel-size: 1}
env_vars: {}
YAML
export FAKE_FLOOD_LINES="$lines" FAKE_ENGINE_STATE="$work/state"
seconds() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc -l; }

# vLLM logs to stderr, so both streams are measured.
for stream in stdout stderr; do
  export FAKE_FLOOD_STREAM="$stream"
  direct=$(seconds sh -c "FAKE_ENGINE_MODE=flood-exit python3 Tests/Servers/fake_engine.py --port 1 --served-model-name m 2>&1 | cat > /dev/null")
  through=$(seconds sh -c "PATH='$work/bin:/usr/bin:/bin' FAKE_ENGINE_MODE=flood-exit AIM_MODEL_ID='$work/model' AIM_GPU_MODEL=MI300X \
    AIM_GPU_COUNT=1 AIM_PORT=1 AIM_LOG_LEVEL=CRITICAL AIM_PROFILE_BASE_PATH='$work/profiles' '$binary' serve 2>&1 | cat > /dev/null || true")
  printf "log forwarding on %s, %d lines: direct to cat %.2f s (%.0f lines/s), through serve %.2f s (%.0f lines/s, %.0f%% of direct)\n" \
    "$stream" "$lines" "$direct" "$(echo "$lines / $direct" | bc -l)" "$through" "$(echo "$lines / $through" | bc -l)" "$(echo "100 * $direct / $through" | bc -l)"
done
unset FAKE_FLOOD_STREAM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PATH="$work/bin:/usr/bin:/bin" FAKE_ENGINE_MODE=ok AIM_MODEL_ID="$work/model" AIM_GPU_MODEL=MI300X AIM_GPU_COUNT=1 \
  AIM_PORT="$port" AIM_PROFILE_BASE_PATH="$work/profiles" AIM_HEALTH_INTERVAL_SECONDS=1 "$binary" serve >/dev/null 2>&1 &
launcher=$!
sleep 5
printf "launcher RSS while supervising (5 s after start, health checks every 1 s): %.1f MiB\n" \
  "$(echo "$(awk '/VmRSS/ {print $2}' /proc/$launcher/status) / 1024" | bc -l)"
kill -TERM "$launcher"; wait "$launcher" || true
