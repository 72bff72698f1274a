#!/usr/bin/env bash
# Compares aim-runtime's downloader, side by side in one run, with curl, huggingface_hub's snapshot_download,
# hf_transfer (PyPI; 64 parallel 10 MiB chunks) and aria2c (Debian; -x16 -s16 -k1M) on a local, Hub-compatible
# nginx (olah is too slow to be a fair server): 2 files of 400 MB, served
#   1. unthrottled on loopback (curl is the physical limit), and
#   2. with a per-connection rate limit (BENCH_RATE, 25m), as CDNs cap one stream.
# Reports wall time, throughput and peak RSS, and aim-runtime's throughput as a ratio of each other's.
# Goals: capped, >= 1.0x hf_transfer; unthrottled, >= 1.0x curl; peak RSS under 50 MiB.
# Usage: scripts/bench-download.sh [MB_PER_FILE]   (AIM_BENCH_BINARY=path skips the build;
#        BENCH_ONLY=aim-runtime measures aim-runtime alone, for quick experiments)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-400}"
rate="${BENCH_RATE:-25m}"
if ! command -v nginx >/dev/null 2>&1 || ! command -v aria2c >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light aria2 >/dev/null
fi
venv="${XDG_CACHE_HOME:-$HOME/.cache}/aim-runtime-test-venv"
if ! { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import huggingface_hub, hf_transfer' 2>/dev/null; }; then
  { [ -x "$venv/bin/python" ] || python3 -m venv "$venv"; } && "$venv/bin/pip" install -q huggingface_hub hf_transfer
fi
binary="${AIM_BENCH_BINARY:-}"
if [ -z "$binary" ]; then
  # The same build as scripts/test.sh's, so the two share it.
  swift build -c release --static-swift-stdlib --product aim-runtime >&2
  binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/aim-runtime"
fi
work="$(mktemp -d)"
nginx_pid=""
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

repo="bench/model"
commit="1111111111111111111111111111111111111111"
files="$work/files"
mkdir -p "$files" "$work/www/api/models/$repo/revision" "$work/www/api/models/$repo/tree" "$work/logs"
echo '{"model_type": "llama"}' > "$files/config.json"
for i in 1 2; do head -c "$((size_mb * 1024 * 1024))" /dev/urandom > "$files/model-0000$i-of-00002.safetensors"; done

"$venv/bin/python" - "$files" "$work" "$repo" "$commit" "$rate" <<'PY'
import hashlib, json, os, sys
files, work, repo, commit, rate = sys.argv[1:]
siblings, tree, headers = [], [], []
for name in sorted(os.listdir(files)):
    data = open(os.path.join(files, name), "rb").read()
    sha = hashlib.sha256(data).hexdigest()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    entry = {"rfilename": name, "size": len(data), "blobId": blob}
    if len(data) > 1024:
        entry["lfs"] = {"sha256": sha, "size": len(data), "pointerSize": 134}
        etag = sha
    else:
        etag = blob
    siblings.append(entry)
    tree_entry = {"type": "file", "path": name, "size": len(data), "oid": blob}
    if "lfs" in entry:
        tree_entry["lfs"] = {"oid": sha, "size": len(data), "pointerSize": 134}
    tree.append(tree_entry)
    headers.append((name, etag, len(data)))
info = {"id": repo, "sha": commit, "siblings": siblings}
for path in (f"{work}/www/api/models/{repo}/revision/main", f"{work}/www/api/models/{repo}/revision/{commit}"):
    open(path, "w").write(json.dumps(info))
for path in (f"{work}/www/api/models/{repo}/tree/main", f"{work}/www/api/models/{repo}/tree/{commit}"):
    open(path, "w").write(json.dumps(tree))
def server(port, limit):
    locations = "\n".join(
        f"""        location ~ ^/{repo}/resolve/[^/]+/{name}$ {{
            alias {files}/{name};
            add_header X-Repo-Commit {commit} always;
            add_header X-Linked-Etag '"{etag}"' always;
            add_header X-Linked-Size {size} always;
            limit_rate {limit};
        }}""" for name, etag, size in headers)
    return f"""    server {{
        listen 127.0.0.1:{port};
        root {work}/www;
        location /api/ {{ add_header X-Repo-Commit {commit} always; }}
{locations}
    }}"""
open(f"{work}/nginx.conf", "w").write(f"""
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/logs/error.log;
daemon off;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type application/json;
    client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp; uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
{server(18099, 0)}
{server(18100, rate)}
}}
""")
PY
mkdir -p "$work/tmp"
chmod -R a+rX "$work"  # nginx's workers run as another user
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
sleep 1

declare -A seconds
measure() {  # label, then the command; prints seconds and peak RSS in MiB, and keeps the seconds
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>"$work/err" || { echo "$label failed:"; cat "$work/err"; return 1; }
  end=$(date +%s.%N)
  seconds[$label]=$(echo "$end - $start" | bc)
  printf "  %-16s %6.2f s  %7.1f MB/s  peak RSS %6.1f MiB\n" "$label" "${seconds[$label]}" \
    "$(echo "2 * $size_mb * 1.048576 / ${seconds[$label]}" | bc -l)" "$(echo "$(tail -1 "$work/rss") / 1024" | bc -l)"
}
names=(model-00001-of-00002.safetensors model-00002-of-00002.safetensors)

for setting in unthrottled throttled; do
  echo "$setting (2 x $size_mb MiB$( [ "$setting" = throttled ] && echo ", $rate/s per connection"))"
  endpoint="http://127.0.0.1:$([ "$setting" = throttled ] && echo 18100 || echo 18099)"
  if [ "${BENCH_ONLY:-}" = aim-runtime ]; then
    rm -rf "$work/aim"
    measure aim-runtime env AIM_CACHE_PATH="$work/aim" HF_ENDPOINT="$endpoint" "$binary" download-to-cache --model-id "$repo"
    rm -rf "$work/aim"
    continue
  fi
  measure curl bash -c "for f in model-00001-of-00002.safetensors model-00002-of-00002.safetensors; do curl -sf -o \"$work/curl-\$f\" \"$endpoint/$repo/resolve/main/\$f\"; done"
  rm -f "$work"/curl-*
  rm -rf "$work/hf"
  measure huggingface_hub env HF_HOME="$work/hf" HF_ENDPOINT="$endpoint" HF_HUB_DISABLE_TELEMETRY=1 HF_HUB_DISABLE_PROGRESS_BARS=1 \
    "$venv/bin/python" -c "from huggingface_hub import snapshot_download; snapshot_download('$repo')"
  rm -rf "$work/hft" && mkdir -p "$work/hft"
  measure hf_transfer "$venv/bin/python" -c "
import hf_transfer, sys
for name in sys.argv[1:]:
    hf_transfer.download('$endpoint/$repo/resolve/main/' + name, '$work/hft/' + name, max_files=64, chunk_size=10485760)
" "${names[@]}"
  rm -rf "$work/aria" && mkdir -p "$work/aria"
  measure aria2c aria2c -q -x16 -s16 -k1M --file-allocation=none -d "$work/aria" \
    "$endpoint/$repo/resolve/main/model-00001-of-00002.safetensors" "$endpoint/$repo/resolve/main/model-00002-of-00002.safetensors"
  rm -rf "$work/aim"
  measure aim-runtime env AIM_CACHE_PATH="$work/aim" HF_ENDPOINT="$endpoint" \
    "$binary" download-to-cache --model-id "$repo"
  cmp "$work/aim/hub/models--bench--model/snapshots/$commit/model-00002-of-00002.safetensors" "$files/model-00002-of-00002.safetensors"
  for peer in curl huggingface_hub hf_transfer aria2c; do
    printf "  aim-runtime's throughput / %-15s %5.2fx\n" "$peer" "$(echo "${seconds[$peer]} / ${seconds[aim-runtime]}" | bc -l)"
  done
  rm -rf "$work/aim" "$work/hf" "$work/hft" "$work/aria"
done
