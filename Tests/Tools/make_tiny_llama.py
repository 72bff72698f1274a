#!/usr/bin/env python3
"""Builds the tiny random-weight Llama the fast vLLM checks use (584k parameters, 1.2 MB, about 15 s):
a byte-level BPE tokenizer (vocab 1000) trained on /usr/share/common-licenses, a chat template, and a
2-layer LlamaForCausalLM in bf16. Its replies are noise; scripts/prepare-smollm2.sh makes the real model.
head_dim stays 64: vLLM's CPU attention takes only some head sizes (32/64/80/96/112/128/...).

Usage (with the vLLM venv's python, offline): make_tiny_llama.py OUT_DIR
"""
import glob
import sys

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

out = sys.argv[1]
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
    vocab_size=1000, hidden_size=128, intermediate_size=256, num_hidden_layers=2, num_attention_heads=2,
    num_key_value_heads=2, head_dim=64, max_position_embeddings=512, bos_token_id=1, eos_token_id=2,
    pad_token_id=3, tie_word_embeddings=False,
)
LlamaForCausalLM(config).to(torch.bfloat16).save_pretrained(out)
print("model written to", out)
