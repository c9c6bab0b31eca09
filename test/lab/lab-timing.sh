#!/usr/bin/env bash
# Measures how long a lab of N hosts (default 20, all with Open vSwitch) takes to come up, answer one SSH
# command on every host in parallel, and go down. Not part of the default test run.
# usage: lab-timing.sh [N] [--ovs all|none]
set -euo pipefail
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
N=${1:-20}; OVS=all; [ "${2:-}" = --ovs ] && OVS=${3:?}
[[ "$N" =~ ^[0-9]+$ ]] || { echo "usage: lab-timing.sh [N] [--ovs all|none]" >&2; exit 2; }
STATE=/run/hostnet-lab-timing-$$; PREFIX=hnt$(( $$ % 1000 ))
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
trap '"$LAB_SRC/lab-down.sh" --state "$STATE" --prefix "$PREFIX" >/dev/null 2>&1 || true' EXIT

t0=$(now); "$LAB_SRC/lab-up.sh" "$N" --ovs "$OVS" --state "$STATE" --prefix "$PREFIX" >/dev/null; t1=$(now)
ssh_opts=(-F /dev/null -i "$STATE/client/id_ed25519" -o "UserKnownHostsFile=$STATE/client/known_hosts"
  -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5)
fails=0
for i in $(seq "$N"); do
  ip netns exec "${PREFIX}lab" ssh "${ssh_opts[@]}" "root@10.255.0.$((10 + i))" 'hostname >/dev/null; ovs-vsctl --timeout=5 show >/dev/null 2>&1 || true' &
done
for job in $(jobs -p); do wait "$job" || fails=$((fails + 1)); done
t2=$(now); "$LAB_SRC/lab-down.sh" --state "$STATE" --prefix "$PREFIX" >/dev/null; t3=$(now)
trap - EXIT
echo "lab-timing: $N hosts (ovs $OVS): up $(secs "$t0" "$t1") s, one SSH command on every host in parallel $(secs "$t1" "$t2") s ($fails failed), down $(secs "$t2" "$t3") s"
[ "$fails" = 0 ]
