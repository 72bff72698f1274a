"""A scripted engine that only records what it was started with, for the launch-spec fidelity test.

Installed as the server module of a stand-in `vllm` or `sglang` package (Tests/AIMIntegrationTests/
SpecFidelityTests.swift). It writes its exact argv (from /proc/self/cmdline, argv[0] as given) and its
whole initial environment (from /proc/self/environ) as JSON to $SPEC_RECORD, then exits 3.
"""
import json, os, sys


def fields(path):
    with open(path, "rb") as f:
        return [item.decode("utf-8", "surrogateescape") for item in f.read().split(b"\0")[:-1]]


record = {
    "argv": fields("/proc/self/cmdline"),
    "env": dict(item.split("=", 1) for item in fields("/proc/self/environ")),
}
with open(os.environ["SPEC_RECORD"], "w") as f:
    json.dump(record, f)
sys.exit(3)
