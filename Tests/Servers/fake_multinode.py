"""The multi-node part of fake_engine.py: a group of one leader (node rank 0) and N-1 headless workers.

The engine's own flags select it (`--nnodes N`, N > 1, with `--node-rank R`), as vLLM's and SGLang's do:
  vLLM:   --master-addr A --master-port P    (workers add --headless)
  SGLang: --dist-init-addr A:P               (IPv6 in brackets: [::1]:29500)
It behaves as real vLLM 0.32 does across two hosts (measured in two namespaces of Tests/Tools/netns_pair.sh):
- The leader binds its HTTP port at once but listens only when every worker has joined, so until then a
  probe is refused; then /health answers 200 and /v1/models lists --served-model-name.
- The leader listens on A:P; each worker connects (retrying for FAKE_JOIN_TIMEOUT seconds, default 120),
  sends its rank as a line, and gets "welcome" back.
- When a joined worker's connection drops, FAKE_WORKER_LOSS says what the leader does:
    unhealthy (default): it keeps running, /health answers 500 and completions 500 (EngineDeadError's
      message); FAKE_DEAD_EXIT_AFTER=S makes it exit 1 S seconds later.
    vllm: what real vLLM 0.32 did across two namespaces: nothing while idle (/health stays 200); the next
      completion gets 500, the engine's error lines are printed, and the leader exits 0 half a second later.
- When the leader's connection drops, FAKE_LEADER_LOSS says what a worker does: exit (default): prints a
  line and exits 1; hang: what real vLLM 0.32 did: nothing, silently, until it is killed.
- A worker exits 0 on SIGTERM (fake_engine's handler; real vLLM takes about 11 s, its grace periods).
- SGLang workers with --port serve the dummy /health (200) that real SGLang's non-zero ranks serve.
- FAKE_ENGINE_MODE=crash-after-ready: the instance exits 4 one second after it is ready (leader) or joined
  (worker).
Notes in FAKE_ENGINE_STATE (fake_engine.py substitutes {rank} there): role, workers_joined (the leader:
the ranks so far, space-separated), joined (a worker: when), worker_lost / leader_lost (when), ready_at.
"""
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Topology:
    def __init__(self, nnodes, rank, host, port, flavour):
        self.nnodes, self.rank, self.host, self.port, self.flavour = nnodes, rank, host, port, flavour


def value(args, flag):
    if flag in args and args.index(flag) + 1 < len(args):
        return args[args.index(flag) + 1]
    return None


def fail(message):
    print(f"error: fake engine: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def topology(args):
    """The group this instance belongs to, or None when it runs alone (no --nnodes, or --nnodes 1)."""
    nnodes = value(args, "--nnodes")
    if nnodes is None or nnodes == "1":
        return None
    try:
        nnodes, rank = int(nnodes), int(value(args, "--node-rank") or "0")
    except ValueError:
        fail("--nnodes and --node-rank must be integers")
    if not 2 <= nnodes <= 64 or not 0 <= rank < nnodes:
        fail(f"--nnodes {nnodes} --node-rank {rank}: need 2 <= nnodes <= 64 and 0 <= rank < nnodes")
    if value(args, "--dist-init-addr") is not None:
        address = value(args, "--dist-init-addr")
        if address.startswith("["):
            host, _, port = address[1:].partition("]:")
        else:
            host, _, port = address.rpartition(":")
        flavour = "sglang"
    else:
        host, port, flavour = value(args, "--master-addr"), value(args, "--master-port"), "vllm"
        host = (host or "127.0.0.1").strip("[]")
        port = port or "29500"
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        fail(f"bad rendezvous address {host!r}:{port!r}")
    return Topology(nnodes, rank, host, int(port), flavour)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def stamp(level, where, message):
    # vLLM's log line shape, so the supervisor's log handling sees what it sees from the real engine.
    return f"{level} {time.strftime('%m-%d %H:%M:%S')} [{where}] {message}"


def read_line(conn, limit=64):
    data = b""
    while not data.endswith(b"\n") and len(data) < limit:
        chunk = conn.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").strip()


class Group:
    """The leader's view of the workers, and whether the engine is alive."""

    def __init__(self):
        self.lock = threading.Lock()
        self.joined = {}
        self.lost = None  # the address of the first worker whose connection dropped
        self.dead = False


def make_handler(names, group):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def reply(self, code, body, content_type="application/json"):
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            with group.lock:
                dead = group.dead
            if self.path == "/health":
                self.reply(500 if dead else 200, b"")
            elif self.path == "/v1/models":
                data = [{"id": n, "object": "model"} for n in names]
                self.reply(200, json.dumps({"object": "list", "data": data}).encode())
            else:
                self.reply(404, b"")

        def do_POST(self):
            length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
            self.rfile.read(length)
            if self.path not in ("/v1/completions", "/v1/chat/completions"):
                self.reply(404, b"")
                return
            with group.lock:
                if group.lost and not group.dead:
                    # "vllm": the engine finds out only when it next talks to the worker.
                    group.dead = True
                    engine_died(group.lost)
                    threading.Thread(target=lambda: (time.sleep(0.5), os._exit(0)), daemon=True).start()
                dead = group.dead
            if dead:
                error = {"error": {"message": "EngineCore encountered an issue. See stack trace (above) for the "
                                   "root cause.", "type": "InternalServerError", "param": None, "code": 500}}
                self.reply(500, json.dumps(error).encode())
                return
            choice = ({"index": 0, "message": {"role": "assistant", "content": "fake"}, "finish_reason": "stop"}
                      if self.path.endswith("chat/completions")
                      else {"index": 0, "text": "fake", "finish_reason": "stop"})
            body = {"id": "fake-1", "object": "text_completion", "model": names[0] if names else "fake",
                    "choices": [choice]}
            self.reply(200, json.dumps(body).encode())

    return Handler


def engine_died(peer):
    # Real vLLM 0.32's lines (without the tracebacks) when a worker node is gone.
    where = f"[{peer}]:27777"
    print(stamp("(EngineCore pid=%d) ERROR" % os.getpid(), "core.py:1512", "RuntimeError: Worker failed with error "
                f"'[/__w/pytorch/pytorch/third_party/gloo/gloo/transport/tcp/pair.cc:553] Connection closed by peer "
                f"{where}. This is typically caused by a remote worker crashing. Check the logs of the remote worker "
                "before reporting an error.', please check the stack trace above for the root cause"),
          file=sys.stderr, flush=True)
    print(stamp("(APIServer pid=%d) ERROR" % os.getpid(), "async_llm.py:906", "vllm.v1.engine.exceptions."
                "EngineDeadError: EngineCore encountered an issue. See stack trace (above) for the root cause."),
          file=sys.stderr, flush=True)


def run_leader(args, topo, names, note, mode):
    loss = os.environ.get("FAKE_WORKER_LOSS", "unhealthy")
    if loss not in ("unhealthy", "vllm"):
        fail(f"FAKE_WORKER_LOSS={loss!r}: use unhealthy or vllm")

    http_port = int(value(args, "--port") or ("30000" if topo.flavour == "sglang" else "8000"))
    http_host = value(args, "--host") or "127.0.0.1"
    group = Group()
    # Bound now, listening later: vLLM binds its API socket before the engine starts, so a probe is refused
    # (not left hanging) until every rank is up, and nobody else can take the port meanwhile.
    server = ThreadingHTTPServer((http_host, http_port), make_handler(names, group), bind_and_activate=False)
    server.address_family = family(http_host)
    server.socket = socket.socket(family(http_host), socket.SOCK_STREAM)
    server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.server_bind()

    rendezvous = socket.socket(family(topo.host), socket.SOCK_STREAM)
    rendezvous.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rendezvous.bind((topo.host, topo.port))
    rendezvous.listen(64)
    note("workers_joined", "")
    print(stamp("INFO", "parallel_state.py", f"world_size={topo.nnodes} rank=0 waiting for "
                f"{topo.nnodes - 1} node(s) on {topo.host}:{topo.port}"), flush=True)

    def watch(rank, peer, conn):
        # A worker never sends after its rank, so any return from recv means its connection is gone.
        try:
            conn.recv(1)
        except OSError:
            pass
        note(f"worker_lost_{rank}", time.time())
        with group.lock:
            first = group.lost is None
            if first:
                group.lost = peer
                group.dead = loss == "unhealthy"
        if not first:
            return
        note("worker_lost", time.time())
        if loss == "unhealthy":
            engine_died(peer)
            delay = os.environ.get("FAKE_DEAD_EXIT_AFTER")
            if delay is not None:
                time.sleep(float(delay))
                print(stamp("INFO", "launcher.py", "Shutting down FastAPI HTTP server."), flush=True)
                os._exit(1)

    while True:
        with group.lock:
            if len(group.joined) == topo.nnodes - 1:
                break
        conn, peer = rendezvous.accept()
        conn.settimeout(10)
        try:
            line = read_line(conn)
            rank = int(line)
        except (OSError, ValueError):
            conn.close()
            continue
        with group.lock:
            if not 1 <= rank < topo.nnodes or rank in group.joined:
                conn.close()
                continue
            group.joined[rank] = conn
            ranks = sorted(group.joined)
        conn.settimeout(None)
        conn.sendall(b"welcome\n")
        note("workers_joined", " ".join(map(str, ranks)))
        print(stamp("INFO", "parallel_state.py", f"node rank {rank} joined from {peer[0]} "
                    f"({len(ranks)}/{topo.nnodes - 1})"), flush=True)
        threading.Thread(target=watch, args=(rank, peer[0], conn), daemon=True).start()

    def refuse_late():
        # The group is formed: a worker joining now (a restarted one) is turned away, as gloo would.
        while True:
            conn, _ = rendezvous.accept()
            try:
                conn.sendall(b"group already formed\n")
            except OSError:
                pass
            conn.close()

    threading.Thread(target=refuse_late, daemon=True).start()
    server.server_activate()
    note("ready_at", time.time())
    print(stamp("INFO", "launcher.py", "Application startup complete."), flush=True)
    if mode == "crash-after-ready":
        threading.Thread(target=lambda: (time.sleep(1), print("ERROR engine core died", flush=True),
                                         os._exit(4)), daemon=True).start()
    server.serve_forever()


def connect(topo):
    """Connects to the leader, retrying until FAKE_JOIN_TIMEOUT; None when it never answered."""
    deadline = time.monotonic() + float(os.environ.get("FAKE_JOIN_TIMEOUT", "120"))
    waiting_said = False
    while time.monotonic() < deadline:
        try:
            return socket.create_connection((topo.host, topo.port), timeout=2)
        except OSError as error:
            if not waiting_said:
                print(stamp("INFO", "parallel_state.py", f"waiting for the master at {topo.host}:{topo.port}: "
                            f"{error}"), flush=True)
                waiting_said = True
            time.sleep(0.2)
    return None


def run_worker(args, topo, note, mode):
    print(stamp("INFO", "parallel_state.py", f"world_size={topo.nnodes} rank={topo.rank} headless, master "
                f"{topo.host}:{topo.port}"), flush=True)
    conn = connect(topo)
    if conn is None:
        print(stamp("ERROR", "parallel_state.py", f"timed out connecting to the master at {topo.host}:{topo.port}"),
              file=sys.stderr, flush=True)
        sys.exit(1)
    conn.sendall(f"{topo.rank}\n".encode())
    answer = read_line(conn)
    if answer != "welcome":
        print(stamp("ERROR", "parallel_state.py", f"the master turned node rank {topo.rank} away: "
                    f"{answer or 'connection closed'}"), file=sys.stderr, flush=True)
        sys.exit(1)
    conn.settimeout(None)
    note("joined", time.time())
    print(stamp("INFO", "parallel_state.py", f"node rank {topo.rank} joined the group at {topo.host}:{topo.port}"),
          flush=True)
    if topo.flavour == "sglang" and value(args, "--port") is not None:
        health = ThreadingHTTPServer((value(args, "--host") or "127.0.0.1", int(value(args, "--port"))),
                                     make_handler([], Group()))
        threading.Thread(target=health.serve_forever, daemon=True).start()
    note("ready_at", time.time())
    if mode == "crash-after-ready":
        time.sleep(1)
        print("ERROR engine core died", file=sys.stderr, flush=True)
        os._exit(4)
    try:
        conn.recv(1)
    except OSError:
        pass
    note("leader_lost", time.time())
    if os.environ.get("FAKE_LEADER_LOSS", "exit") == "hang":
        # Real vLLM 0.32's worker says nothing and waits for its lost leader until it is killed.
        while True:
            time.sleep(3600)
    print(stamp("ERROR", "multiproc_executor.py", f"node rank {topo.rank}: the connection to the master at "
                f"{topo.host}:{topo.port} was lost; exiting."), file=sys.stderr, flush=True)
    sys.exit(1)


def run(args, topo, names, note, mode):
    note("role", "leader" if topo.rank == 0 else "worker")
    if topo.rank == 0:
        run_leader(args, topo, names, note, mode)
    else:
        run_worker(args, topo, note, mode)
    sys.exit(0)
