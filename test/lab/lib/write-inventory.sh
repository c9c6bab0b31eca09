#!/usr/bin/env bash
# Writes STATE/known_hosts, STATE/inventory.json and STATE/topology.json from a lab's state dir.
# usage: write-inventory.sh STATE
set -euo pipefail
STATE=$1
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$LAB_SRC/lib/lab-common.sh"
. "$STATE/lab.env"

: >"$STATE/client/known_hosts"
hosts_json=""
for hd in "$STATE"/hosts/*/; do
  hd=${hd%/}
  (. "$hd/host.env"
   ip=$(lab_host_ip "$INDEX")
   pub=$(cut -d' ' -f1,2 "$hd/ssh_host_ed25519_key.pub")
   echo "$ip $pub" >>"$STATE/client/known_hosts"
   fp=$(ssh-keygen -lf "$hd/ssh_host_ed25519_key.pub" | awk '{print $2}')
   nics=""
   for n in 0 1 2 3; do
     br=labbr0; [ "$n" -ge 2 ] && br=labbr1
     nics+=$(printf '%s{"name":"eth%s","mac":"%s","labBridge":"%s","labPeer":"h%02de%s"}' \
       "${nics:+,}" "$n" "$(lab_mac "$INDEX" "$n")" "$br" "$INDEX" "$n")
   done
   printf '{"name":"%s","namespace":"%s","persona":"%s","family":"%s","netcfg":"%s","backend":"%s","managementIp":"%s","prefix":%s,"gateway":"%s","sshPort":22,"sshUser":"root","nics":[%s],"hostKey":"%s","hostKeyFingerprint":"%s","stateDir":"%s"}\n' \
     "$NAME" "$NAME" "$PERSONA" "$FAMILY" "$NETCFG" "$BACKEND" "$ip" "$LAB_PREFIXLEN" "$LAB_GATEWAY" "$nics" "$pub" "$fp" "$hd"
  ) >>"$STATE/.hosts.jsonl"
done
hosts_json=$(paste -sd, "$STATE/.hosts.jsonl"); rm -f "$STATE/.hosts.jsonl"
chmod 644 "$STATE/client/known_hosts"

cat >"$STATE/inventory.json.tmp" <<J
{
  "labNamespace": "$LABNS",
  "labGateway": "$LAB_GATEWAY",
  "publicGateway": "$LAB_PUBLIC_GATEWAY",
  "stateDir": "$STATE",
  "clientKeyPath": "$STATE/client/id_ed25519",
  "knownHostsPath": "$STATE/client/known_hosts",
  "topologyPath": "$STATE/topology.json",
  "hosts": [$hosts_json]
}
J
mv "$STATE/inventory.json.tmp" "$STATE/inventory.json"
"$LAB_SRC/lib/write-topology.sh" "$STATE"
