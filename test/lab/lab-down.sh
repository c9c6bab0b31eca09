#!/usr/bin/env bash
# Tears a lab down and leaves nothing behind: kills every process in the lab's namespaces (sshd,
# ovsdb-server, ovs-vswitchd, sessions), which frees the hosts' private mount namespaces and their
# overlays, deletes the namespaces and removes the state dir. Safe to run twice or on a half-built lab.
#
# usage: lab-down.sh [--state DIR] [--prefix P]   (prefix is read from DIR/lab.env when present; default hn)
set -euo pipefail
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$LAB_SRC/lib/lab-common.sh"
fail() { echo "lab-down: $*" >&2; exit 1; }

STATE=/run/hostnet-lab; PREFIX=""
while [ $# -gt 0 ]; do
  case "$1" in
    --state) STATE=${2:?}; shift 2 ;;
    --prefix) PREFIX=${2:?}; shift 2 ;;
    -h|--help) sed -n '6p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2; exit 2 ;;
    *) fail "unknown argument '$1'" ;;
  esac
done
[ "$(id -u)" = 0 ] || fail "must run as root"
STATE=$(lab_abs_state "$STATE")
if [ -z "$PREFIX" ] && [ -f "$STATE/lab.env" ]; then PREFIX=$(sed -n 's/^PREFIX=//p' "$STATE/lab.env"); fi
PREFIX=${PREFIX:-hn}
lab_check_prefix "$PREFIX"

mapfile -t NAMESPACES < <(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}(lab|h[0-9]+)$" || true)

# Processes: those in the namespaces, plus any recorded pid still alive (a host whose netns is gone).
pids() {
  local ns
  for ns in "${NAMESPACES[@]}"; do ip netns pids "$ns" 2>/dev/null || true; done
  cat "$STATE"/hosts/*/init.pid "$STATE"/hosts/*/sshd.pid 2>/dev/null || true
}
for sig in TERM KILL; do
  mapfile -t P < <(pids | sort -u)
  [ ${#P[@]} -eq 0 ] && break
  kill "-$sig" "${P[@]}" 2>/dev/null || true
  for _ in $(seq 40); do
    alive=0; for p in "${P[@]}"; do lab_alive "$p" && alive=1 && break; done
    [ "$alive" = 0 ] && break
    sleep 0.05
  done
done

for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done

# Overlays and binds live only in the hosts' private mount namespaces; anything still visible here would
# mean a host escaped into ours — fail loudly rather than delete files under a live mount.
if grep -qF " $STATE" /proc/self/mountinfo; then
  fail "mounts under $STATE are still present in this mount namespace: $(grep -F " $STATE" /proc/self/mountinfo | awk '{print $5}' | tr '\n' ' ')"
fi
if [ -d "$STATE" ]; then
  if [ -f "$STATE/lab.env" ] || [ -z "$(ls -A "$STATE")" ]; then rm -rf "$STATE"
  else fail "$STATE does not look like a lab state dir (no lab.env); not removing it"; fi
fi
echo "lab-down: removed ${#NAMESPACES[@]} namespaces and $STATE"
