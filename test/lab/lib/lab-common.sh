# Sourced by the lab scripts: addressing plan, names and small checks shared by lab-up and lab-down.
LAB_GATEWAY=10.255.0.1          # labbr0 in the lab namespace: management network, hosts' default gateway
LAB_PUBLIC_GATEWAY=10.255.1.1   # labbr1: public-traffic network (eth2, eth3)
LAB_PREFIXLEN=24

lab_host_name() { printf '%sh%02d' "$1" "$2"; }
lab_host_ip() { echo "10.255.0.$((10 + $1))"; }
lab_mac() { printf '52:54:00:4c:%02x:%02x' "$1" "$2"; }   # 52:54:00 = QEMU/KVM OUI, stable per host/NIC

lab_check_prefix() {
  [[ "$1" =~ ^[a-z][a-z0-9]{0,7}$ ]] || {
    echo "lab: --prefix must be 1-8 lowercase letters/digits starting with a letter, got '$1'" >&2; exit 1; }
}

# lab_abs_state DIR: absolute path, refusing places whose removal by lab-down would hurt.
lab_abs_state() {
  local d; d=$(realpath -m "$1")
  case "$d" in
    /|/etc|/etc/*|/usr|/usr/*|/var|/var/lib|/root|/home|/run|/tmp|/proc/*|/sys/*|/dev/*)
      echo "lab: --state '$1' is not a safe lab state dir; use e.g. /run/hostnet-lab" >&2; exit 1 ;;
  esac
  echo "$d"
}

# lab_alive PID: running and not a zombie waiting for a reaper.
lab_alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# lab_listening NS: sshd accepts connections on port 22 inside namespace NS.
lab_listening() { ip netns exec "$1" ss -Hltn 'sport = :22' 2>/dev/null | grep -q .; }

# lab_healthy STATE: every host's sshd (and the lab namespace) is still there.
lab_healthy() {
  local st=$1 hd
  [ -f "$st/lab.env" ] && [ -f "$st/inventory.json" ] || return 1
  . "$st/lab.env"
  ip netns list | grep -qE "^${LABNS}( |$)" || return 1
  for hd in "$st"/hosts/*/; do
    [ -s "$hd/sshd.pid" ] && kill -0 "$(cat "$hd/sshd.pid")" 2>/dev/null || return 1
  done
}

lab_sshd_config() { # lab_sshd_config HOSTDIR
  cat <<EOC
# sshd of lab host $(basename "$1"); listens on every address of the host's own namespace
Port 22
ListenAddress 0.0.0.0
HostKey $1/ssh_host_ed25519_key
AuthorizedKeysFile $1/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
UseDNS no
PidFile $1/sshd.pid
PrintMotd no
MaxStartups 100:30:200
MaxSessions 50
Subsystem sftp internal-sftp
EOC
}
