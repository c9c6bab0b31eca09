# Sourced by lab-up.sh: seeds a host's /etc upper dir with an OS persona.
# Every host runs this machine's Debian binaries; a persona is the files a tool looks at to decide
# which OS it is on (os-release, release files) plus the network-config directories that OS ships with.

LAB_PERSONAS="centos7 rocky9 ubuntu2204 ubuntu2404 debian12 ubuntu2204-ifupdown"

# persona_family PERSONA -> el | ubuntu | debian
persona_family() {
  case "$1" in
    centos7|rocky9) echo el ;;
    ubuntu2204|ubuntu2404|ubuntu2204-ifupdown) echo ubuntu ;;
    debian12) echo debian ;;
    *) echo "unknown persona '$1' (choose one of: $LAB_PERSONAS)" >&2; return 1 ;;
  esac
}

# persona_netcfg PERSONA -> network-scripts | networkmanager | netplan | ifupdown: the network configuration
# system the persona ships with. rocky9 runs the real NetworkManager (lab-nm). ubuntu2204-ifupdown is Ubuntu 22.04 with ifupdown instead of netplan (a supported
# Ubuntu setup, and the one whose OVS configuration applies for real here: netplan apply needs
# systemd-networkd, which cannot run on this machine).
persona_netcfg() {
  case "$1" in
    centos7) echo network-scripts ;;
    rocky9) echo networkmanager ;;
    ubuntu2204|ubuntu2404) echo netplan ;;
    debian12|ubuntu2204-ifupdown) echo ifupdown ;;
    *) persona_family "$1" >/dev/null ;;
  esac
}

# persona_os_release PERSONA: the same os-release the simulated KVM hosts of that persona have (one file each).
persona_os_release() {
  local file=$1
  [ "$file" = ubuntu2204-ifupdown ] && file=ubuntu2204
  cat "$LAB_SRC/../../apps/simulator/src/kvm-host/os-release/$file"
}

# persona_seed UPPER PERSONA NAME IP PREFIX GATEWAY: writes the persona's files into an /etc upper dir.
# os-release must be a REGULAR file here: Debian's /etc/os-release is a symlink into /usr/lib, and a
# write through it from inside the host would land on the real file.
persona_seed() {
  local upper=$1 persona=$2 name=$3 ip=$4 prefix=$5 gw=$6
  mkdir -p "$upper"
  persona_os_release "$persona" >"$upper/os-release"
  echo "$name" >"$upper/hostname"
  # Each installed host has its own machine-id; networkd derives the MACs of the bridges it creates from it,
  # so hosts sharing this machine's id would put one cloudbr0 MAC on every host of the segment.
  tr -d '-' </proc/sys/kernel/random/uuid >"$upper/machine-id"
  printf '127.0.0.1\tlocalhost\n%s\t%s\n' "$ip" "$name" >"$upper/hosts"
  mkdir -p "$upper/network" "$upper/network/interfaces.d"
  case "$(persona_netcfg "$persona")" in
    network-scripts)
      mkdir -p "$upper/sysconfig/network-scripts"
      printf 'NETWORKING=yes\nHOSTNAME=%s\n' "$name" >"$upper/sysconfig/network"
      cat >"$upper/sysconfig/network-scripts/ifcfg-eth0" <<R
DEVICE=eth0
NAME=eth0
TYPE=Ethernet
BOOTPROTO=none
ONBOOT=yes
IPADDR=$ip
PREFIX=$prefix
GATEWAY=$gw
R
      # the other NICs are up without an address, as lab-up leaves them (so a restart restores that)
      for nic in eth1 eth2 eth3; do
        printf 'DEVICE=%s\nNAME=%s\nTYPE=Ethernet\nBOOTPROTO=none\nONBOOT=yes\n' "$nic" "$nic" \
          >"$upper/sysconfig/network-scripts/ifcfg-$nic"
      done
      echo "CentOS Linux release 7.9.2009 (Core)" >"$upper/centos-release"
      echo "CentOS Linux release 7.9.2009 (Core)" >"$upper/redhat-release"
      ;;
    networkmanager)
      # Rocky 9 as its installer leaves it: a keyfile for the NIC it configured, nothing for the others.
      mkdir -p "$upper/sysconfig/network-scripts" "$upper/NetworkManager/system-connections" "$upper/NetworkManager/conf.d"
      echo "Rocky Linux release 9.4 (Blue Onyx)" >"$upper/rocky-release"
      echo "Rocky Linux release 9.4 (Blue Onyx)" >"$upper/redhat-release"
      # Debian's NetworkManager has no ifcfg-rh plugin; no-auto-default keeps NetworkManager from running
      # DHCP on the lab's unaddressed NICs (no DHCP server answers on the lab bridges).
      printf '[main]\nplugins=keyfile\n' >"$upper/NetworkManager/NetworkManager.conf"
      printf '[main]\nno-auto-default=*\n' >"$upper/NetworkManager/conf.d/90-lab.conf"
      cat >"$upper/NetworkManager/system-connections/eth0.nmconnection" <<R
[connection]
id=eth0
uuid=$(cat /proc/sys/kernel/random/uuid)
type=ethernet
autoconnect-priority=-999
interface-name=eth0

[ethernet]

[ipv4]
address1=$ip/$prefix,$gw
method=manual

[ipv6]
addr-gen-mode=eui64
method=ignore

[proxy]
R
      chmod 600 "$upper/NetworkManager/system-connections/eth0.nmconnection"
      ;;
    netplan)
      mkdir -p "$upper/netplan"
      cat >"$upper/netplan/01-netcfg.yaml" <<R
network:
  version: 2
  renderer: networkd
  ethernets:
    eth0:
      addresses: [$ip/$prefix]
      routes:
        - to: default
          via: $gw
R
      chmod 600 "$upper/netplan/01-netcfg.yaml"
      printf '# ifupdown has been replaced by netplan(5) on this system.\nauto lo\niface lo inet loopback\n' \
        >"$upper/network/interfaces"
      ;;
    ifupdown)
      cat >"$upper/network/interfaces" <<R
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
    address $ip/$prefix
    gateway $gw
R
      ;;
  esac
}
