#!/usr/bin/env bash
# Measures `aim-runtime select --dry-run`: median wall time and peak RSS over a
# 35-profile catalogue, and the wall time over 10,000 generated profiles.
# Usage: scripts/bench.sh [RUNS]   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
swift build -c release --product aim-runtime >&2
binary="$(swift build -c release --show-bin-path)/aim-runtime"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 35 profiles: Command A Reasoning's 16, the 16 MI300X/MI325X general ones, 3 custom.
mkdir -p "$work/small/general" "$work/small/custom"
cp -r profiles/CohereLabs "$work/small/"
cp profiles/general/vllm-mi300x-* profiles/general/vllm-mi325x-* "$work/small/general/"
for i in 1 2 3; do
  sed "s/tp8-latency/custom-$i/" profiles/CohereLabs/command-a-reasoning-08-2025/vllm-mi325x-fp16-tp8-latency.yaml \
    > "$work/small/custom/custom-$i.yaml"
done

python3 - "$binary" "$work" "$runs" <<'PY'
import os, resource, statistics, subprocess, sys, time
binary, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

GPU_OVERRIDE = {"AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "8"}

def measure(root, count, gpu=GPU_OVERRIDE):
    env = {"PATH": os.environ["PATH"], "AIM_PROFILE_BASE_PATH": root, "AIM_LOG_LEVEL": "WARNING",
           "AIM_ID": "CohereLabs/command-a-reasoning-08-2025", **gpu}
    times, peak = [], 0
    for _ in range(count):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run([binary, "select", "--dry-run", "--format", "json"], env=env, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"select failed: {done.stderr.decode()}")
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return statistics.median(times) * 1000, peak / 1024

files = sum(len(f) for _, _, f in os.walk(os.path.join(work, "small")))
median_ms, rss_mib = measure(os.path.join(work, "small"), runs)
print(f"select --dry-run, {files} profiles: median {median_ms:.1f} ms over {runs} runs, peak RSS {rss_mib:.1f} MiB (goal: <= 30 ms, <= 30 MiB)")

# The same with the GPUs read from a sysfs tree (MI300X x8 fixture) instead of AIM_GPU_MODEL.
sysfs = {"AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": os.path.join(os.getcwd(), "Tests/Fixtures/gpu/mi300x-8/sys")}
override_ms = statistics.median([measure(os.path.join(work, "small"), 1)[0] for _ in range(runs)])
sysfs_ms = statistics.median([measure(os.path.join(work, "small"), 1, sysfs)[0] for _ in range(runs)])
print(f"sysfs detection adds {sysfs_ms - override_ms:.1f} ms (median {sysfs_ms:.1f} vs {override_ms:.1f} ms; goal: < 5 ms)")

# 10,000 generated profiles: all the general ones in one directory, one per combination.
big = os.path.join(work, "big")
os.makedirs(os.path.join(big, "general"))
gpus = ["MI300X", "MI325X", "MI355X", "MI250X"]
for i in range(10000):
    gpu, tp, metric = gpus[i % 4], [1, 2, 4, 8][(i // 4) % 4], ["latency", "throughput"][(i // 16) % 2]
    with open(os.path.join(big, "general", f"gen-{i:05d}.yaml"), "w") as f:
        f.write(f"metadata:\n  engine: vllm\n  gpu: {gpu}\n  precision: fp16\n  gpu_count: {tp}\n  metric: {metric}\n"
                f"  type: general\n  manual_selection_only: false\nengine_args:\n  dtype: float16\n"
                f"  tensor-parallel-size: {tp}\n  gpu-memory-utilization: 0.9\n  max-num-seqs: {64 + i % 512}\n"
                f"env_vars:\n  HIP_FORCE_DEV_KERNARG: '1'\n")
median_ms, rss_mib = measure(big, max(3, runs // 6))
print(f"select --dry-run, 10000 profiles: median {median_ms:.0f} ms, peak RSS {rss_mib:.1f} MiB (goal: < 1000 ms)")
PY
