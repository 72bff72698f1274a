#!/usr/bin/env python3
"""Parses rendered engine commands with the engines' own argument parsers.

Reads JSON lines {"name": ..., "argv": [...]} on stdin (argv as `select --dry-run --format json` prints
it: python, -m, module, flags...) and prints one JSON line per command:
{"name": ..., "ok": true} or {"name": ..., "ok": false, "error": "..."}; first a line {"vllm": VERSION}.
vLLM: its OpenAI server's parser (make_arg_parser) and its validation of parsed arguments.
"""
import contextlib
import io
import json
import sys

from vllm import __version__ as vllm_version
from vllm.entrypoints.launchers.cli_args import make_arg_parser, validate_parsed_serve_args
from vllm.utils.argparse_utils import FlexibleArgumentParser

parser = make_arg_parser(FlexibleArgumentParser())
print(json.dumps({"vllm": vllm_version}), flush=True)
for line in sys.stdin:
    item = json.loads(line)
    argv = item["argv"]
    flags = argv[3:]
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            args = parser.parse_args(flags)
            validate_parsed_serve_args(args)
        result = {"name": item["name"], "ok": True}
    except SystemExit:
        result = {"name": item["name"], "ok": False, "error": errors.getvalue().strip().splitlines()[-1:]}
    except Exception as error:  # the validation raises plain exceptions
        result = {"name": item["name"], "ok": False, "error": [f"{type(error).__name__}: {error}"]}
    print(json.dumps(result), flush=True)
