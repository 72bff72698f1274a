#!/usr/bin/env python3
"""Builds the tiny random-weight Llama the fast vLLM checks use (584k parameters, 1.2 MB, about 15 s):
a byte-level BPE tokenizer (vocab 1000) trained on /usr/share/common-licenses, a chat template, and a
2-layer LlamaForCausalLM in bf16. Its replies are noise; scripts/prepare-smollm2.sh makes the real model.
head_dim stays 64: vLLM's CPU attention takes only some head sizes (32/64/80/96/112/128/...).

For tensor parallelism 2 (the multi-node checks), `--heads 4 --kv-heads 2`: each rank gets 2 query heads and
1 KV head. Both head counts must divide by the tensor-parallel size; the default (2 and 2) is what the
single-node tests and Tests/Fixtures/models/tiny-random-llama use.

Usage (with the vLLM venv's python, offline): make_tiny_llama.py [--heads N] [--kv-heads M] OUT_DIR
"""
import argparse
import glob

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

parser = argparse.ArgumentParser(description="Builds a tiny random-weight Llama.")
parser.add_argument("out", help="the directory to write the model to")
parser.add_argument("--heads", type=int, default=2, help="attention heads (default 2)")
parser.add_argument("--kv-heads", type=int, default=2, help="key/value heads (default 2); must divide --heads")
options = parser.parse_args()
if not 1 <= options.heads <= 64 or not 1 <= options.kv_heads <= options.heads or options.heads % options.kv_heads:
    parser.error(f"--heads {options.heads} --kv-heads {options.kv_heads}: need 1 <= kv-heads <= heads <= 64, "
                 "with heads a multiple of kv-heads")
out = options.out
specials = ["<unk>", "<s>", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tokenizer.decoder = decoders.ByteLevel()
texts = [open(p, errors="ignore").read() for p in glob.glob("/usr/share/common-licenses/*")[:20]] or ["hello world"] * 100
tokenizer.train_from_iterator(
    texts,
    trainers.BpeTrainer(vocab_size=1000, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()),
)
fast = PreTrainedTokenizerFast(
    tokenizer_object=tokenizer, unk_token="<unk>", bos_token="<s>", eos_token="</s>", pad_token="<pad>"
)
fast.chat_template = (
    "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
fast.save_pretrained(out)
config = LlamaConfig(
    vocab_size=1000, hidden_size=128, intermediate_size=256, num_hidden_layers=2,
    num_attention_heads=options.heads, num_key_value_heads=options.kv_heads, head_dim=64,
    max_position_embeddings=512, bos_token_id=1, eos_token_id=2, pad_token_id=3, tie_word_embeddings=False,
)
LlamaForCausalLM(config).to(torch.bfloat16).save_pretrained(out)
print("model written to", out)
