#!/usr/bin/env bash
# PID 1-ish of one lab host: runs inside the host's network namespace and a private mount+UTS namespace
# (lab-up starts it through `ip netns exec NS unshare --mount --uts --propagation private`), builds the
# host's private view of the filesystem, starts its Open vSwitch if it has one, then becomes its sshd.
# Everything it mounts dies with the mount namespace when the last process in it exits.
set -euo pipefail
hostdir=$1
# shellcheck source=/dev/null
. "$hostdir/host.env"   # NAME PERSONA FAMILY NETCFG BACKEND STATE LABBIN
echo $$ >"$hostdir/init.pid"

# Keep a handle on the state dir: the tmpfs on /run below hides it when the state dir lives under /run.
cd "$STATE"

overlay() { # overlay TARGET KEY: private, writable copy-on-write view of TARGET
  mkdir -p "$hostdir/$2.upper" "$hostdir/$2.work"
  mount -t overlay "hnlab-$NAME-$2" \
    -o "lowerdir=$1,upperdir=$hostdir/$2.upper,workdir=$hostdir/$2.work" "$1"
}
overlay /etc etc
overlay /usr/sbin sbin          # /sbin -> usr/sbin: hostnet may write /sbin/ifup-localovs
overlay /var/lib varlib         # /var/lib/hostnet and friends
mount --bind "$hostdir/root" /root
mount --bind "$LABBIN/systemctl" /usr/bin/systemctl
mount --bind "$LABBIN/systemd-run" /usr/bin/systemd-run
mount -t tmpfs -o mode=755 "hnlab-$NAME-run" /run
# mount(8) would canonicalise "." to the new, empty path; /proc/self/cwd still names the hidden dir
mkdir -p "$STATE" && mount -c --bind /proc/self/cwd "$STATE"
mkdir -p /run/sshd /run/network /run/lab /run/lock
chmod 700 /run/sshd
cp "$hostdir/host.env" /run/lab/host.env   # how stand-ins find their host
hostname "$NAME"

# ifupdown's record of what is up: eth0 was configured by lab-up, as the persona's files say.
up_ifaces="lo"; [ "$NETCFG" = ifupdown ] && up_ifaces="lo eth0"
for i in $up_ifaces; do echo "$i" >"/run/network/ifstate.$i"; echo "$i=$i" >>/run/network/ifstate; done

if [ "$BACKEND" = ovs ]; then
  mkdir -p /run/openvswitch /etc/openvswitch
  rm -f /etc/openvswitch/conf.db /etc/openvswitch/.conf.db.~lock~   # whiteouts: the real DB is untouched
  ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
  "$LABBIN/lab-ovs" start
fi
if [ "$NETCFG" = networkmanager ] || [ "$NETCFG" = netplan ]; then
  # NetworkManager and networkd manage links without udev only where /sys is read-only (their container check)
  mount -o remount,bind,ro /sys
  # as at boot, the network daemon alone configures the NICs (lab-up's address on eth0 goes, it sets it again)
  ip -4 addr flush dev eth0
fi
case "$NETCFG" in
  networkmanager) "$LABBIN/lab-nm" start ;;
  netplan) mount --bind "$LABBIN/udevadm" /usr/bin/udevadm; "$LABBIN/lab-networkd" start ;;
esac
touch "$hostdir/ready"
exec /usr/sbin/sshd -D -f "$hostdir/sshd_config" -E "$hostdir/sshd.log"
