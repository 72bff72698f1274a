#!/usr/bin/env python3
"""Parses rendered engine commands with the engines' own argument parsers.

Reads JSON lines {"name": ..., "argv": [...]} on stdin (argv as `select --dry-run --format json` prints
it: python, -m, module, flags... — or python, -m, vllm.entrypoints.cli.main, serve, MODEL, flags..., the
form multi-node groups run) and prints one JSON line per command:
{"name": ..., "ok": true} or {"name": ..., "ok": false, "error": ["..."]}; first a line naming the
engine versions found, {"vllm": VERSION or null, "sglang": VERSION or null}.
- vLLM: its OpenAI server's parser (make_arg_parser) and its validation of the parsed arguments.
- SGLang: prepare_server_args, which parses and builds ServerArgs (its own checks included).
"""
import contextlib
import io
import json
import sys


def vllm_checker():
    try:
        from vllm import __version__ as version
        from vllm.entrypoints.launchers.cli_args import make_arg_parser, validate_parsed_serve_args
        from vllm.utils.argparse_utils import FlexibleArgumentParser
    except ImportError:
        return None, None
    parser = make_arg_parser(FlexibleArgumentParser())

    def check(flags):
        validate_parsed_serve_args(parser.parse_args(flags))

    return version, check


def sglang_checker():
    try:
        from sglang import __version__ as version
        from sglang.srt.server_args import prepare_server_args
    except ImportError:
        return None, None
    return version, prepare_server_args


checkers = {"vllm": vllm_checker(), "sglang": sglang_checker()}
print(json.dumps({name: version for name, (version, _) in checkers.items()}), flush=True)
for line in sys.stdin:
    item = json.loads(line)
    argv = item["argv"]
    engine = "sglang" if argv[2].startswith("sglang.") else "vllm"
    check = checkers[engine][1]
    if check is None:
        print(json.dumps({"name": item["name"], "ok": False, "error": [f"{engine} is not installed"]}), flush=True)
        continue
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            check(argv[4:] if argv[2] == "vllm.entrypoints.cli.main" else argv[3:])
        result = {"name": item["name"], "ok": True}
    except SystemExit:
        result = {"name": item["name"], "ok": False, "error": errors.getvalue().strip().splitlines()[-1:]}
    except Exception as error:  # the validations raise plain exceptions
        result = {"name": item["name"], "ok": False, "error": [f"{type(error).__name__}: {error}"]}
    print(json.dumps(result), flush=True)
