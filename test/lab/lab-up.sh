#!/usr/bin/env bash
# Brings up a lab of N KVM-like hosts on this machine: network namespaces wired to lab bridges, a real
# OpenSSH server per host, per-host private /etc /run /root /var/lib /usr/sbin, an OS persona, and (for
# OVS hosts) a userspace Open vSwitch. Nothing is added to the root network namespace.
#
# usage: lab-up.sh N [--ovs-every K | --ovs all|none] [--backends b1,b2,..] [--personas p1,p2,..]
#                    [--state DIR] [--prefix P]
#   --ovs-every K  hosts 1, 1+K, 1+2K… run Open vSwitch, the rest are Linux-bridge hosts (default: all OVS)
#   --backends     per-host backend list (ovs|linux), cycled; overrides --ovs*
#   --personas     per-host persona list, cycled (default centos7,rocky9,ubuntu2204,ubuntu2404)
#   --state DIR    state dir: keys, configs, logs, inventory.json, topology.json (default /run/hostnet-lab)
#   --prefix P     namespace prefix: lab namespace Plab, hosts Ph01.. (default hn)
# Idempotent: the same arguments against a healthy lab change nothing; otherwise the old lab is torn down.
set -euo pipefail
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$LAB_SRC/lib/personas.sh"
. "$LAB_SRC/lib/lab-common.sh"

usage() { sed -n '6,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
fail() { echo "lab-up: $*" >&2; exit 1; }

N=""; OVS_EVERY=1; BACKENDS=""; PERSONAS="centos7,rocky9,ubuntu2204,ubuntu2404"
STATE=/run/hostnet-lab; PREFIX=hn
while [ $# -gt 0 ]; do
  case "$1" in
    --ovs-every) OVS_EVERY=${2:?}; shift 2 ;;
    --ovs) case "${2:-}" in all) OVS_EVERY=1 ;; none) OVS_EVERY=0 ;; *) fail "--ovs takes all|none, got '${2:-}'" ;; esac; shift 2 ;;
    --backends) BACKENDS=${2:?}; shift 2 ;;
    --personas) PERSONAS=${2:?}; shift 2 ;;
    --state) STATE=${2:?}; shift 2 ;;
    --prefix) PREFIX=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    -*) fail "unknown option '$1'" ;;
    *) [ -z "$N" ] || fail "host count given twice ('$N' and '$1')"; N=$1; shift ;;
  esac
done
[ -n "$N" ] || usage
[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] && [ "$N" -le 99 ] || fail "N must be a number from 1 to 99, got '$N'"
[[ "$OVS_EVERY" =~ ^[0-9]+$ ]] || fail "--ovs-every takes a number, got '$OVS_EVERY'"
lab_check_prefix "$PREFIX"
[ "$(id -u)" = 0 ] || fail "must run as root (network namespaces, mounts)"
for c in ip unshare nsenter sshd ssh-keygen ethtool ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl; do
  command -v "$c" >/dev/null || fail "missing command '$c' (install iproute2, util-linux, openssh-server, ethtool, openvswitch-switch)"
done
STATE=$(lab_abs_state "$STATE")

IFS=, read -r -a PERSONA_LIST <<<"$PERSONAS"
for p in "${PERSONA_LIST[@]}"; do persona_family "$p" >/dev/null || fail "--personas: unknown persona '$p'"; done
IFS=, read -r -a BACKEND_LIST <<<"$BACKENDS"
for b in "${BACKEND_LIST[@]}"; do [[ "$b" =~ ^(ovs|linux)$ ]] || fail "--backends: '$b' is not ovs or linux"; done
backend_of() { # backend_of I (1-based)
  if [ ${#BACKEND_LIST[@]} -gt 0 ]; then echo "${BACKEND_LIST[$(( ($1 - 1) % ${#BACKEND_LIST[@]} ))]}"
  elif [ "$OVS_EVERY" -gt 0 ] && [ $(( ($1 - 1) % OVS_EVERY )) -eq 0 ]; then echo ovs
  else echo linux; fi
}
persona_of() { echo "${PERSONA_LIST[$(( ($1 - 1) % ${#PERSONA_LIST[@]} ))]}"; }

ARGS="N=$N backends=$(for i in $(seq "$N"); do printf '%s,' "$(backend_of "$i")"; done) personas=$(for i in $(seq "$N"); do printf '%s,' "$(persona_of "$i")"; done) prefix=$PREFIX"
if [ -f "$STATE/lab.args" ] && [ "$(cat "$STATE/lab.args")" = "$ARGS" ] && lab_healthy "$STATE"; then
  echo "lab-up: lab already up with these arguments; inventory: $STATE/inventory.json"
  exit 0
fi
if [ -e "$STATE/lab.env" ] || ip netns list | grep -qE "^${PREFIX}(lab|h[0-9]+)( |$)"; then
  "$LAB_SRC/lab-down.sh" --state "$STATE" --prefix "$PREFIX"
fi

t0=$(date +%s.%N)
LABNS="${PREFIX}lab"
mkdir -p "$STATE/bin" "$STATE/client" "$STATE/hosts"
chmod 700 "$STATE"
printf 'PREFIX=%s\nLABNS=%s\nN=%s\n' "$PREFIX" "$LABNS" "$N" >"$STATE/lab.env"
echo "$ARGS" >"$STATE/lab.args"
cp "$LAB_SRC"/standins/* "$STATE/bin/"
cp "$LAB_SRC/lib/host-init.sh" "$STATE/bin/"
chmod 755 "$STATE"/bin/*
ssh-keygen -q -t ed25519 -N '' -C hostnet-lab-client -f "$STATE/client/id_ed25519"

# The lab namespace: the "switches" and the place the client side (api, worker, ssh) runs.
ip netns add "$LABNS"
ip -n "$LABNS" link set lo up
ip -n "$LABNS" link add labbr0 type bridge
ip -n "$LABNS" link add labbr1 type bridge
ip -n "$LABNS" addr add "$LAB_GATEWAY/$LAB_PREFIXLEN" dev labbr0
ip -n "$LABNS" addr add "$LAB_PUBLIC_GATEWAY/$LAB_PREFIXLEN" dev labbr1
ip -n "$LABNS" link set labbr0 up
ip -n "$LABNS" link set labbr1 up
# TCP to an address on an OVS (netdev) internal port times out unless the lab side stops offloading checksums.
ip netns exec "$LABNS" ethtool -K labbr0 tx off >/dev/null
ip netns exec "$LABNS" ethtool -K labbr1 tx off >/dev/null

for i in $(seq "$N"); do
  name=$(lab_host_name "$PREFIX" "$i"); ii=$(printf %02d "$i")
  ip netns add "$name"
  ip -n "$name" link set lo up
  for n in 0 1 2 3; do
    peer="h${ii}e$n"; br=labbr0; [ "$n" -ge 2 ] && br=labbr1
    ip -n "$LABNS" link add "$peer" type veth peer name "eth$n" address "$(lab_mac "$i" "$n")" netns "$name"
    ip -n "$LABNS" link set "$peer" master "$br"
    ip netns exec "$LABNS" ethtool -K "$peer" tx off >/dev/null
    ip -n "$LABNS" link set "$peer" up
    ip -n "$name" link set "eth$n" up
  done
  # A NIC that joins a userspace (netdev) OVS bridge still hands its packets to the kernel too, unlike
  # one in a kernel datapath; strict reverse-path filtering and ARP answered only on the interface that
  # holds the address make an address that moved off the wire unreachable, as on a real host.
  ip netns exec "$name" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.default.rp_filter=1 \
    net.ipv4.conf.all.arp_ignore=1 >/dev/null
  ip -n "$name" addr add "$(lab_host_ip "$i")/$LAB_PREFIXLEN" dev eth0
  ip -n "$name" route add default via "$LAB_GATEWAY"
done

# Per-host files, then boot every host in parallel.
for i in $(seq "$N"); do
  name=$(lab_host_name "$PREFIX" "$i"); hd="$STATE/hosts/$name"; persona=$(persona_of "$i")
  mkdir -p "$hd/root" "$hd/sbin.upper"
  chmod 700 "$hd/root"
  persona_seed "$hd/etc.upper" "$persona" "$name" "$(lab_host_ip "$i")" "$LAB_PREFIXLEN" "$LAB_GATEWAY"
  printf 'NAME=%s\nINDEX=%s\nPERSONA=%s\nFAMILY=%s\nNETCFG=%s\nBACKEND=%s\nSTATE=%s\nLABBIN=%s\n' "$name" "$i" "$persona" \
    "$(persona_family "$persona")" "$(persona_netcfg "$persona")" "$(backend_of "$i")" "$STATE" "$STATE/bin" >"$hd/host.env"
  if [ "$(persona_netcfg "$persona")" = ifupdown ]; then
    # an ifupdown system has no netplan: a whiteout in the host's /usr/sbin overlay hides this machine's
    mknod "$hd/sbin.upper/netplan" c 0 0
  fi
  if [ "$(persona_netcfg "$persona")" = network-scripts ]; then
    # network-scripts' commands do not exist on Debian: the stand-ins sit where EL has them.
    for c in ifup ifdown service; do cp "$LAB_SRC/standins/el-$c" "$hd/sbin.upper/$c"; done
    chmod 755 "$hd/sbin.upper/"*
  fi
  cp "$STATE/client/id_ed25519.pub" "$hd/authorized_keys"
  lab_sshd_config "$hd" >"$hd/sshd_config"
  ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$hd/ssh_host_ed25519_key" &
done
wait
for i in $(seq "$N"); do
  name=$(lab_host_name "$PREFIX" "$i"); hd="$STATE/hosts/$name"
  setsid ip netns exec "$name" unshare --mount --uts --propagation private \
    "$STATE/bin/host-init.sh" "$hd" </dev/null >>"$hd/init.log" 2>&1 &
done

deadline=$(( $(date +%s) + 60 ))
for i in $(seq "$N"); do
  name=$(lab_host_name "$PREFIX" "$i"); hd="$STATE/hosts/$name"
  until [ -s "$hd/sshd.pid" ] && lab_listening "$name"; do
    dead=0; [ -s "$hd/init.pid" ] && ! kill -0 "$(cat "$hd/init.pid")" 2>/dev/null && dead=1
    if [ "$dead" = 1 ] || [ "$(date +%s)" -gt "$deadline" ]; then
      echo "lab-up: $name did not start; its logs:" >&2; tail -n 20 "$hd/init.log" "$hd/sshd.log" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.05
  done
done

"$LAB_SRC/lib/write-inventory.sh" "$STATE"
printf 'lab-up: %s hosts up in %.1f s; inventory: %s\n' "$N" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" "$STATE/inventory.json"
