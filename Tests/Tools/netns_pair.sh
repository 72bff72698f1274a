#!/usr/bin/env bash
# Two network namespaces joined by a veth pair: two "hosts" on one machine, for multi-node tests (needs root).
#
#   netns_pair.sh up PREFIX [X]   makes PREFIX-a (198.18.X.1/24) and PREFIX-b (198.18.X.2/24), with lo up, and
#                                 prints A_NS, B_NS, A_ADDR, B_ADDR, A_IF, B_IF, SUBNET as KEY=VALUE lines.
#                                 X (0-255) defaults to a hash of PREFIX.
#   netns_pair.sh down PREFIX     kills every process in both namespaces, waits for them, deletes both;
#                                 no error when they are absent.
#   netns_pair.sh pids PREFIX     lists the pids still in either namespace, one a line.
#
# Each namespace sees only its own lo and veth: 127.0.0.1 in one is not 127.0.0.1 in the other or on the host.
# The veth ends are created inside the namespaces, never in the host's, so parallel pairs cannot clash there;
# their names still differ per PREFIX (a hash), which keeps logs readable.
# There is no default route and the hostname resolves to 127.0.0.1, so vLLM needs, on every node,
# GLOO_SOCKET_IFNAME=<that node's veth> and VLLM_HOST_IP=<that node's address>; without them it hangs.
set -euo pipefail

usage() {
  echo "usage: $0 up PREFIX [X] | down PREFIX | pids PREFIX" >&2
  exit 2
}

[ "$#" -ge 2 ] || usage
command="$1"
prefix="$2"
# ip netns names become file names under /run/netns; keep them plain and short.
if ! [[ "$prefix" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$ ]]; then
  echo "error: PREFIX '$prefix' must be 1-40 letters, digits, '_', '.' or '-', starting with a letter or digit" >&2
  exit 2
fi
a="$prefix-a"
b="$prefix-b"
hash=$(printf '%s' "$prefix" | cksum | cut -d' ' -f1)

exists() { [ -e "/run/netns/$1" ]; }

pids_in() {
  if exists "$1"; then ip netns pids "$1" 2>/dev/null || true; fi
}

all_pids() {
  { pids_in "$a"; pids_in "$b"; } | sort -un
}

case "$command" in
  up)
    x="${3:-$((hash % 256))}"
    if ! [[ "$x" =~ ^[0-9]{1,3}$ ]] || [ "$x" -gt 255 ]; then
      echo "error: X '$x' must be a number from 0 to 255 (the third octet of 198.18.X.0/24)" >&2
      exit 2
    fi
    if exists "$a" || exists "$b"; then
      echo "error: namespace $a or $b already exists; run '$0 down $prefix' first" >&2
      exit 1
    fi
    # 15 characters at most (IFNAMSIZ - 1): "v" + 8 hex digits + "a"/"b".
    tag=$(printf '%08x' "$hash")
    if_a="v${tag}a"
    if_b="v${tag}b"
    addr_a="198.18.$x.1"
    addr_b="198.18.$x.2"
    # On any failure below, leave nothing half made.
    trap 'ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true' ERR
    ip netns add "$a"
    ip netns add "$b"
    ip link add "$if_a" netns "$a" type veth peer name "$if_b" netns "$b"
    ip -n "$a" addr add "$addr_a/24" dev "$if_a"
    ip -n "$b" addr add "$addr_b/24" dev "$if_b"
    for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
    ip -n "$a" link set "$if_a" up
    ip -n "$b" link set "$if_b" up
    trap - ERR
    printf 'A_NS=%s\nB_NS=%s\nA_ADDR=%s\nB_ADDR=%s\nA_IF=%s\nB_IF=%s\nSUBNET=%s\n' \
      "$a" "$b" "$addr_a" "$addr_b" "$if_a" "$if_b" "198.18.$x.0/24"
    ;;
  down)
    pids=$(all_pids)
    if [ -n "$pids" ]; then
      # shellcheck disable=SC2086 # one pid a word
      kill -TERM $pids 2>/dev/null || true
      # They are not our children, so poll /proc; a zombie has no net namespace and drops out of the list.
      for _ in $(seq 50); do
        [ -z "$(all_pids)" ] && break
        sleep 0.1
      done
      pids=$(all_pids)
      if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        for _ in $(seq 50); do
          [ -z "$(all_pids)" ] && break
          sleep 0.1
        done
      fi
    fi
    left=$(all_pids)
    for ns in "$a" "$b"; do
      if exists "$ns"; then ip netns del "$ns"; fi
    done
    if [ -n "$left" ]; then
      echo "error: processes survived SIGKILL in $a/$b: $(echo "$left" | tr '\n' ' ')" >&2
      exit 1
    fi
    ;;
  pids)
    all_pids
    ;;
  *)
    usage
    ;;
esac
