#!/usr/bin/env python3
"""A small Hugging Face Hub look-alike for aim-runtime's tests, with faults on request.

It serves the parts of the Hub API a download uses, the way the Hub answers them:
  GET  /api/models/{repo}/revision/{rev}    -> {"sha", "siblings": [{"rfilename", "size", "blobId", "lfs"}]}
  HEAD /{repo}/resolve/{rev}/{file}         -> 200 with ETag/X-Repo-Commit (small files), or
                                               302 to /cdn/{sha256} with X-Linked-Etag/X-Linked-Size (LFS files)
  GET  /{repo}/resolve/{rev}/{file}, GET /cdn/{sha256}  -> the bytes, honouring Range
Faults are chosen by the repository name (org "faults"): see FAULTS below. The first line on
stdout is the port. GET /_stats returns what each repo was asked for, for the tests' assertions.
"""
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"
LFS_THRESHOLD = 1024

FAULTS = {
    "faults/gated": "401 GatedRepo without a token; 403 GatedRepo with a valid one (licence not accepted)",
    "faults/missing": "404 RepoNotFound",
    "faults/flaky": "the first two downloads of each file answer 500",
    "faults/ratelimited": "the first download of each file answers 429 with Retry-After: 1",
    "faults/drop": "the first download of each file closes the connection half-way",
    "faults/stall": "the first download of each file stops sending after half the bytes",
    "faults/badsha": "the large file's bytes never match its sha256",
    "faults/corrupt-once": "the first download of the large file has one wrong byte",
    "faults/norange": "Range headers are ignored: whole files only",
    "faults/slow": "bytes trickle out at about 2 MiB/s",
    "faults/expiring": "the first CDN download of each file answers 403, as an expired signed URL does",
    "faults/trickle": "the file list trickles out one byte every half second, for ever",
    "faults/silent": "the file list sends its head and a few bytes, then nothing, for ever",
    "faults/private": "401 RepoNotFound without a token, as the Hub answers for a private repository",
    "faults/badsize": "the file list gives a size of 1e30",
    "faults/hugesize": "the LFS file's X-Linked-Size is 26 digits long",
    "faults/huge": "the file list is 40 MiB of JSON",
    "faults/retry-inf": "the first listing answers 503 with Retry-After: inf",
}

# A scripted S3 under /s3/{bucket}/...: ListObjectsV2 and ranged GETs, unsigned. Every bucket holds
# m/org/model/{config.json,weights.bin}; the listing writes ETag quotes as numeric character references.
S3_FAULTS = {
    "numeric-etag": "ETags written &#34;…&#34; (weights.bin) and &#x22;…&#x22; (config.json); bytes served right",
    "corrupt": "as numeric-etag, but weights.bin is served with one wrong byte, always",
    "badsize": "config.json is listed with <Size>-1</Size>",
    "bigsize": "config.json is listed with a 26-digit <Size>",
    "endless": "every listing page says IsTruncated with a new continuation token, for ever",
}
GOOD_TOKEN = "hf_good_token"


def content(repo, name, size):
    seed = hashlib.sha256(f"{repo}/{name}".encode()).digest()
    block = hashlib.sha256(seed).digest() * 1024
    return (block * (size // len(block) + 1))[:size]


def files_for(repo):
    big = 3 * 1024 * 1024 + 12345
    return {
        "config.json": json.dumps({"model_type": "llama", "repo": repo}).encode(),
        "tokenizer.json": json.dumps({"version": "1.0", "repo": repo}).encode(),
        "model.safetensors": content(repo, "model.safetensors", big),
        "pytorch_model.bin": content(repo, "pytorch_model.bin", 2048),
    }


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Stats:
    lock = threading.Lock()
    downloads = {}
    byte_count = {}
    range_requests = {}

    @classmethod
    def note(cls, repo, name, ranged, sent=0):
        with cls.lock:
            key = f"{repo}/{name}"
            cls.downloads[key] = cls.downloads.get(key, 0) + 1
            if ranged:
                cls.range_requests[key] = cls.range_requests.get(key, 0) + 1

    @classmethod
    def sent(cls, repo, name, count):
        with cls.lock:
            key = f"{repo}/{name}"
            cls.byte_count[key] = cls.byte_count.get(key, 0) + count

    listings = {}

    @classmethod
    def listing_attempt(cls, repo):
        with cls.lock:
            count = cls.listings.get(repo, 0)
            cls.listings[repo] = count + 1
            return count

    @classmethod
    def attempt(cls, repo, name):
        with cls.lock:
            return cls.downloads.get(f"{repo}/{name}", 0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def error(self, status, code=None, message=None):
        body = json.dumps({"error": message or code or "error"}).encode()
        self.send_response(status)
        if code:
            self.send_header("X-Error-Code", code)
        if message:
            self.send_header("X-Error-Message", message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def auth_fault(self, repo):
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if token and token != GOOD_TOKEN:
            self.error(401, message="Invalid credentials in Authorization header")
            return True
        if repo == "faults/gated":
            if token:
                self.error(403, "GatedRepo", "Access to model faults/gated is restricted and you are not in the authorized list.")
            else:
                self.error(401, "GatedRepo", "Access to model faults/gated is restricted. You must have access to it and be authenticated to access it.")
            return True
        if repo == "faults/missing":
            self.error(404, "RepoNotFound", "Repository not found")
            return True
        if repo == "faults/private" and not token:
            self.error(401, "RepoNotFound", "Repository Not Found for url. Invalid username or password.")
            return True
        return False

    def s3(self, path):
        parts = path.split("/", 3)  # "", "s3", bucket, key
        bucket = parts[2] if len(parts) > 2 else ""
        objects = {
            "m/org/model/config.json": json.dumps({"model_type": "llama", "bucket": bucket}).encode(),
            "m/org/model/weights.bin": content(bucket, "weights.bin", 3000),
        }
        if len(parts) < 4 or not parts[3]:
            items = []
            for key, data in objects.items():
                md5 = hashlib.md5(data).hexdigest()
                etag = f"&#34;{md5}&#34;" if key.endswith(".bin") else f"&#x22;{md5}&#X22;"
                size = str(len(data))
                if key.endswith("config.json") and bucket == "badsize":
                    size = "-1"
                if key.endswith("config.json") and bucket == "bigsize":
                    size = "99999999999999999999999999"
                items.append(f"<Contents><Key>{key}</Key><Size>{size}</Size><ETag>{etag}</ETag></Contents>")
            truncated = "false"
            if bucket == "endless":
                from urllib.parse import parse_qs, urlparse
                page = int((parse_qs(urlparse(self.path).query).get("continuation-token") or ["0"])[0])
                truncated = "true</IsTruncated><NextContinuationToken>%d</NextContinuationToken><IsTruncated>true" % (page + 1)
            body = ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>%s</Name><IsTruncated>%s</IsTruncated>%s'
                    '</ListBucketResult>' % (bucket, truncated, "".join(items))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        from urllib.parse import unquote
        key = unquote(parts[3])
        data = objects.get(key)
        if data is None:
            return self.error(404, message="NoSuchKey")
        if bucket == "corrupt" and key.endswith(".bin"):
            data = data[:10] + bytes([data[10] ^ 0x01]) + data[11:]
        body = self.start_bytes(data, "Range" in self.headers)
        self.end_headers()
        self.wfile.write(body)

    def start_bytes(self, data, ranged):
        """Sends the status and length headers for `data`, or the asked range of it; returns the bytes to send."""
        start, end = 0, len(data) - 1
        if ranged:
            first, _, last = self.headers["Range"].removeprefix("bytes=").partition("-")
            start, end = int(first), int(last) if last else len(data) - 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:end + 1]
        self.send_header("Content-Length", str(len(body)))
        return body

    def route(self):
        path = self.path.split("?")[0]
        if path.startswith("/s3/"):
            return self.s3(path)
        if path == "/_stats":
            body = json.dumps({"downloads": Stats.downloads, "bytes": Stats.byte_count, "ranges": Stats.range_requests}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "models"] and "revision" in parts:
            index = parts.index("revision")
            repo, revision = "/".join(parts[2:index]), parts[index + 1]
            if self.auth_fault(repo):
                return
            if revision not in ("main", COMMIT):
                return self.error(404, "RevisionNotFound", "Invalid rev id")
            if repo == "faults/retry-inf" and Stats.listing_attempt(repo) < 1:
                self.send_response(503)
                self.send_header("Retry-After", "inf")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if repo == "faults/silent":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b'{"sha": ')
                self.wfile.flush()
                time.sleep(600)
                return
            if repo == "faults/trickle":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "10000000")
                self.end_headers()
                try:
                    self.wfile.write(b'{"sha": "%s", "siblings": [' % COMMIT.encode())
                    while True:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.5)
                except (BrokenPipeError, ConnectionResetError):
                    return
            siblings = []
            for name, data in files_for(repo).items():
                entry = {"rfilename": name, "size": len(data), "blobId": git_blob_sha1(data)}
                if len(data) >= LFS_THRESHOLD:
                    entry["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
                siblings.append(entry)
            if repo == "faults/badsize":
                siblings[0]["size"] = 1e30
            if repo == "faults/huge":
                siblings += [{"rfilename": "x" * 1000 + str(i), "size": 1} for i in range(40 * 1024)]
            body = json.dumps({"id": repo, "sha": COMMIT, "siblings": siblings}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        if parts[0] == "cdn" and len(parts) >= 4:
            repo, name = "/".join(parts[1:3]), "/".join(parts[3:])
            return self.serve_bytes(repo, name)
        if "resolve" in parts:
            index = parts.index("resolve")
            repo, revision, name = "/".join(parts[:index]), parts[index + 1], "/".join(parts[index + 2:])
            if self.auth_fault(repo):
                return
            data = files_for(repo).get(name)
            if data is None:
                return self.error(404, "EntryNotFound", "Entry not found")
            if len(data) >= LFS_THRESHOLD:
                self.send_response(302)
                # Another origin, as the Hub's CDN is: "localhost" where the Hub is "127.0.0.1".
                port = self.server.server_address[1]
                self.send_header("Location", f"http://localhost:{port}/cdn/{repo}/{name}?X-Amz-Signature=abc")
                self.send_header("X-Linked-Etag", '"%s"' % hashlib.sha256(data).hexdigest())
                self.send_header("X-Linked-Size", "12345678901234567890123456" if repo == "faults/hugesize" else str(len(data)))
                self.send_header("X-Repo-Commit", COMMIT)
                self.send_header("ETag", '"%s"' % git_blob_sha1(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.command == "HEAD":
                self.send_response(200)
                self.send_header("ETag", '"%s"' % git_blob_sha1(data))
                self.send_header("X-Repo-Commit", COMMIT)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                return
            return self.serve_bytes(repo, name)
        self.error(404, "RepoNotFound")

    def serve_bytes(self, repo, name):
        data = files_for(repo).get(name)
        if data is None:
            return self.error(404, "EntryNotFound")
        if self.headers.get("Authorization") and self.path.startswith("/cdn/"):
            return self.error(400, message="the CDN must not receive the Hub token")
        attempt = Stats.attempt(repo, name)
        ranged = "Range" in self.headers and repo != "faults/norange"
        Stats.note(repo, name, ranged)
        if repo == "faults/expiring" and self.path.startswith("/cdn/") and attempt < 1:
            return self.error(403, message="Request has expired")
        if repo == "faults/flaky" and attempt < 2:
            return self.error(500, message="injected 500")
        if repo == "faults/ratelimited" and attempt < 1:
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if repo == "faults/badsha" and name == "model.safetensors":
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        if repo == "faults/corrupt-once" and name == "model.safetensors" and attempt == 0:
            data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
        body = self.start_bytes(data, ranged)
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if self.command == "HEAD":
            return
        if repo in ("faults/drop", "faults/stall") and attempt < 1:
            half = body[: len(body) // 2]
            self.wfile.write(half)
            self.wfile.flush()
            Stats.sent(repo, name, len(half))
            if repo == "faults/stall":
                time.sleep(30)
            self.close_connection = True
            return
        step = 64 * 1024
        for offset in range(0, len(body), step):
            piece = body[offset:offset + step]
            try:
                self.wfile.write(piece)
            except (BrokenPipeError, ConnectionResetError):
                return
            Stats.sent(repo, name, len(piece))
            if repo == "faults/slow":
                time.sleep(len(piece) / (2 * 1024 * 1024))

    do_GET = route
    do_HEAD = route


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
