#!/usr/bin/env python3
"""A scripted stand-in for vLLM, for aim-runtime's supervisor tests.

It takes vLLM's arguments, serves /health and /v1/models on --port for --served-model-name,
and misbehaves as FAKE_ENGINE_MODE asks:
  ok, slow-start, crash-start, crash-after-ready, unhealthy, ignore-term, child-ignore-term,
  flood, flood-exit, no-newline, exit0, orphans (leaves short-lived orphaned grandchildren behind),
  setsid-grandchild (starts a grandchild in a session of its own that ignores SIGTERM),
  lines (prints FAKE_ENGINE_LINES, one line per newline, to FAKE_ENGINE_STREAM — stderr unless it says
  stdout — then exits with FAKE_ENGINE_EXIT, default 1), silent (one line, then nothing for 600 s).
FAKE_ENGINE_STATE names a directory where it notes its pid and when it got SIGTERM; `{rank}` in it becomes
the node rank, so the instances of one group can share an environment and still note apart.
With `--nnodes N` (N > 1) it is one node of a multi-node group: see fake_multinode.py.
Run as `python -c CODE` (the planner's engine probe), it obeys FAKE_PROBE: hang (ignores SIGTERM and
sleeps, with a child, forever), flood (prints without end); otherwise it exits 1 (no vLLM here).
"""
import json, os, signal, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True  # importing the module below must leave no __pycache__ in the source tree
import fake_multinode

args = sys.argv[1:]
if args[:1] == ["-c"]:
    probe = os.environ.get("FAKE_PROBE", "")
    if probe == "hang":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        child = subprocess.Popen(["sleep", "600"])
        with open(os.path.join(os.environ.get("FAKE_ENGINE_STATE", "/tmp"), "probe_child_pid"), "w") as f:
            f.write(str(child.pid))
        time.sleep(600)
    if probe == "flood":
        while True:
            sys.stdout.write("x" * 65536)
    sys.exit(1)

topology = fake_multinode.topology(args)
# Headless multi-node workers have no --port; vLLM's default is 8000.
port = int(args[args.index("--port") + 1]) if "--port" in args else 8000
names = []
if "--served-model-name" in args:
    for item in args[args.index("--served-model-name") + 1:]:
        if item.startswith("--"):
            break
        names.append(item)
mode = os.environ.get("FAKE_ENGINE_MODE", "ok")
state = os.environ.get("FAKE_ENGINE_STATE", "/tmp").replace("{rank}", str(topology.rank if topology else 0))
os.makedirs(state, exist_ok=True)
healthy = True


def note(name, value):
    with open(os.path.join(state, name), "w") as f:
        f.write(str(value))


note("pid", os.getpid())
note("ppid", os.getppid())
note("pgid", os.getpgid(0))
# What the engine inherited: the supervisor promises an empty signal mask and no ignored signals.
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith(("SigBlk:", "SigIgn:")):
            note(line.split(":")[0].lower(), line.split(":")[1].strip())
note("fds", " ".join(sorted(os.listdir("/proc/self/fd"), key=int)))


def on_term(signum, frame):
    note("term_at", time.time())
    sys.stdout.flush()
    os._exit(0)


if mode in ("ignore-term",):
    signal.signal(signal.SIGTERM, lambda s, f: note("term_at", time.time()))
else:
    signal.signal(signal.SIGTERM, on_term)

if topology is not None:
    print("INFO 11-24 10:00:00 [api_server.py] starting fake engine", flush=True)
    fake_multinode.run(args, topology, names, note, mode)

if mode == "child-ignore-term":
    child = subprocess.Popen([sys.executable, "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
    note("child_pid", child.pid)

if mode == "setsid-grandchild":
    # A new session (and process group): the engine's group signals do not reach it.
    grandchild = subprocess.Popen([sys.executable, "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"], start_new_session=True)
    note("grandchild_pid", grandchild.pid)

if mode == "handoff":
    # Hands the port to a server in a session of its own, then exits while a probe waits on
    # that server's slow /v1/models: its answer must not make serve report ready.
    other_state = os.path.join(state, "other")
    os.makedirs(other_state, exist_ok=True)
    env = dict(os.environ, FAKE_ENGINE_MODE="ok", FAKE_ENGINE_STATE=other_state, FAKE_MODELS_DELAY="0.5")
    subprocess.Popen([sys.executable, os.path.abspath(__file__)] + args, env=env, start_new_session=True)
    while not os.path.exists(os.path.join(other_state, "ready_at")):
        time.sleep(0.01)
    print("INFO 11-24 10:00:02 [launcher.py] Application startup complete.", flush=True)
    time.sleep(0.1)
    os._exit(0)

if mode == "orphans":
    for _ in range(3):
        # The shell exits at once; its `sleep` is orphaned, then ends: someone must reap it.
        subprocess.Popen(["sh", "-c", "sleep 0.3 & exit 0"]).wait()

print("INFO 11-24 10:00:00 [api_server.py] starting fake engine", flush=True)
if mode == "lines":
    out = sys.stdout if os.environ.get("FAKE_ENGINE_STREAM") == "stdout" else sys.stderr
    for line in os.environ.get("FAKE_ENGINE_LINES", "").split("\n"):
        print(line, file=out)
    out.flush()
    sys.exit(int(os.environ.get("FAKE_ENGINE_EXIT", "1")))
if mode == "silent":
    time.sleep(600)
if mode == "crash-start":
    time.sleep(0.3)
    for i in range(60):
        print(f"WARNING 11-24 10:00:01 [engine.py] loading step {i}", file=sys.stderr)
    print("ERROR 11-24 10:00:01 [engine.py] CUDA out of memory (pretend)", file=sys.stderr, flush=True)
    sys.exit(3)
if mode == "slow-start":
    time.sleep(float(os.environ.get("FAKE_ENGINE_DELAY", "10")))
if mode in ("flood", "flood-exit"):
    out = sys.stderr if os.environ.get("FAKE_FLOOD_STREAM") == "stderr" else sys.stdout
    count = int(os.environ.get("FAKE_FLOOD_LINES", "100000"))
    # Written in large blocks, as a block-buffered engine does, not a line at a time.
    for start in range(0, count, 10000):
        out.write("".join(f"INFO 11-24 10:00:01 [engine.py:123] flood line {i}\n" for i in range(start, min(count, start + 10000))))
    out.flush()
    if mode == "flood-exit":
        sys.exit(0)
if mode == "no-newline":
    sys.stdout.write("partial line without newline")
    sys.stdout.flush()
    sys.exit(5)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        if self.path == "/health":
            code, body = (200, b"") if healthy else (500, b"unhealthy")
        elif self.path == "/v1/models":
            time.sleep(float(os.environ.get("FAKE_MODELS_DELAY", "0")))
            code = 200
            body = json.dumps({"object": "list", "data": [{"id": n, "object": "model"} for n in names]}).encode()
        else:
            code, body = 404, b""
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
note("ready_at", time.time())
print("INFO 11-24 10:00:02 [launcher.py] Application startup complete.", flush=True)


def misbehave():
    global healthy
    time.sleep(1)
    if mode == "crash-after-ready":
        print("ERROR engine core died", flush=True)
        os._exit(4)
    if mode == "exit0":
        os._exit(0)
    if mode == "unhealthy":
        healthy = False


threading.Thread(target=misbehave, daemon=True).start()
server.serve_forever()
