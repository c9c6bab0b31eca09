#!/usr/bin/env bash
# Writes STATE/topology.json: a CloudStack simulator seed (apps/simulator/src/cloudstack/topology,
# SimulatorTopology) whose KVM hosts are the lab hosts, so api and worker run unchanged against the lab.
# The zone mirrors apps/simulator/topologies/default.yaml on the lab's addresses: physnet1 carries
# Management + Guest + Storage on cloudbr0, physnet2 carries Public on cloudbr1. Storage is untagged (its range
# has no VLAN): this kernel has no 8021q module, so Linux-bridge lab hosts could not carry a storage VLAN, and a
# range on a VLAN needs the Storage bridge on it (libs/intent/README.md, the agent's storage rule). Hosts start
# Alert/Disabled, as CloudStack shows a KVM host whose bridges are missing.
# usage: write-topology.sh STATE
set -euo pipefail
STATE=$1
hosts=""
for hd in "$STATE"/hosts/*/; do
  name=$(sed -n 's/^NAME=//p' "$hd/host.env"); index=$(sed -n 's/^INDEX=//p' "$hd/host.env")
  hosts+="${hosts:+,}
              { \"name\": \"$name\", \"ipAddress\": \"10.255.0.$((10 + index))\", \"state\": \"Alert\", \"resourceState\": \"Disabled\" }"
done
cat >"$STATE/topology.json.tmp" <<J
{
  "cloudstackVersion": "4.19.1.0",
  "createdAt": "2024-01-15T09:00:00Z",
  "zones": [
    {
      "name": "lab-zone",
      "networkType": "Advanced",
      "dns1": "10.255.0.1",
      "internalDns1": "10.255.0.1",
      "guestCidrAddress": "10.1.1.0/24",
      "pods": [
        {
          "name": "lab-pod",
          "gateway": "10.255.0.1",
          "netmask": "255.255.255.0",
          "startIp": "10.255.0.200",
          "endIp": "10.255.0.250",
          "clusters": [
            { "name": "lab-cluster", "hosts": [$hosts
            ] }
          ]
        }
      ],
      "physicalNetworks": [
        {
          "name": "physnet1",
          "isolationMethods": ["VLAN"],
          "vlan": "500-999",
          "trafficTypes": [
            { "type": "Management", "kvmNetworkLabel": "cloudbr0" },
            { "type": "Guest", "kvmNetworkLabel": "cloudbr0" },
            { "type": "Storage", "kvmNetworkLabel": "cloudbr0" }
          ]
        },
        {
          "name": "physnet2",
          "isolationMethods": ["VLAN"],
          "trafficTypes": [{ "type": "Public", "kvmNetworkLabel": "cloudbr1" }]
        }
      ],
      "storageRanges": [
        { "pod": "lab-pod", "startIp": "10.255.100.20", "endIp": "10.255.100.99", "netmask": "255.255.255.0", "gateway": "10.255.100.1" }
      ]
    }
  ]
}
J
mv "$STATE/topology.json.tmp" "$STATE/topology.json"
