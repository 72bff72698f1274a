#!/usr/bin/env bash
# Measures serve's supervision with a scripted engine, side by side in one run:
# - log forwarding: N lines as fast as the engine can print, through `aim-runtime serve` and straight into `cat`
#   (bar: >= 80% of the direct pipe);
# - ready: when serve logs "Engine ready" after the engine's /v1/models first answers (bar: <= 250 ms);
# - SIGTERM: from `kill` on the launcher to the engine's handler (bar: <= 50 ms);
# - the launcher's RSS while it supervises (bar: <= 30 MiB);
# - the cost of the exec-engine trampoline: the same program started directly and through it.
# Usage: scripts/bench-serve.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"
# AIM_BENCH_BINARY measures another build (a debug one, say) without building.
binary="${AIM_BENCH_BINARY:-}"
if [ -z "$binary" ]; then
  swift build -c release --product aim-runtime >&2
  binary="$(swift build -c release --show-bin-path)/aim-runtime"
fi
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Ready and SIGTERM latency, five runs: the engine listens after 1.5 s; serve logs JSON with times.
for _ in 1 2 3 4 5; do
  rm -f "$work/state/"* "$work/serve.log"
  PATH="$work/bin:/usr/bin:/bin" FAKE_ENGINE_MODE=slow-start FAKE_ENGINE_DELAY=1.5 AIM_MODEL_ID="$work/model" \
    AIM_GPU_MODEL=MI300X AIM_GPU_COUNT=1 AIM_PORT="$(free_port)" AIM_PROFILE_BASE_PATH="$work/profiles" \
    AIM_LOG_FORMAT=json AIM_STATUS_PATH="$work/status.json" "$binary" serve >/dev/null 2>"$work/serve.log" &
  launcher=$!
  until grep -q '"Engine ready' "$work/serve.log" 2>/dev/null; do sleep 0.05; done
  sleep 0.5
  sent=$(date +%s.%N)
  kill -TERM "$launcher"; wait "$launcher" || true
  python3 - "$work" "$sent" <<'PY'
import datetime, json, sys
work, sent = sys.argv[1], float(sys.argv[2])
listening = float(open(work + "/state/ready_at").read())
term = float(open(work + "/state/term_at").read())
line = next(l for l in open(work + "/serve.log") if "Engine ready" in l)
ready = datetime.datetime.fromisoformat(json.loads(line)["time"].replace("Z", "+00:00")).timestamp()
print(f"ready reported {1000 * (ready - listening):.0f} ms after /v1/models answered; SIGTERM reached the engine in {1000 * (term - sent):.1f} ms")
PY
done

PATH="$work/bin:/usr/bin:/bin" FAKE_ENGINE_MODE=ok AIM_MODEL_ID="$work/model" AIM_GPU_MODEL=MI300X AIM_GPU_COUNT=1 \
  AIM_PORT="$(free_port)" AIM_PROFILE_BASE_PATH="$work/profiles" AIM_HEALTH_INTERVAL_SECONDS=1 \
  AIM_STATUS_PATH="$work/status.json" "$binary" serve >/dev/null 2>&1 &
launcher=$!
sleep 5
printf "launcher RSS while supervising (5 s after start, health checks every 1 s): %.1f MiB\n" \
  "$(echo "$(awk '/VmRSS/ {print $2}' /proc/$launcher/status) / 1024" | bc -l)"
kill -TERM "$launcher"; wait "$launcher" || true

# The trampoline's cost: 200 starts of /bin/true, directly and through `exec-engine` (its parent is this shell).
# shellcheck disable=SC2016  # expanded by the inner shell, on purpose
direct=$(seconds sh -c 'for i in $(seq 200); do /bin/true; done')
# shellcheck disable=SC2016
trampoline=$(seconds bash -c 'for i in $(seq 200); do "$0" exec-engine $$ /bin/true -- true; done' "$binary")
printf "exec-engine trampoline: %.1f ms per start (direct /bin/true %.1f ms): %.1f ms added\n" \
  "$(echo "1000 * $trampoline / 200" | bc -l)" "$(echo "1000 * $direct / 200" | bc -l)" "$(echo "1000 * ($trampoline - $direct) / 200" | bc -l)"
