import { BOOT_RETRY_SNIPPET } from './boot-retry.snippet';
import { COMMON_SNIPPET } from './common.snippet';

/**
 * in_own_session CMD...: CMD in a session of its own, waited for. An SSH command that timed out is killed
 * with its whole process group (OpenSSH signals the group): a restore it ran must not die half-way with it,
 * or every later contact would start that restore over, to be killed again at the same timeout. Only in the
 * scripts that run a restore and wait for it (not in restore.sh itself: every byte of the apply counts).
 */
export const IN_OWN_SESSION_SNIPPET = String.raw`
in_own_session() {
  if has setsid; then setsid "$@"; else "$@"; fi
}
`;

/**
 * Finds a run that can no longer end by itself and ends it, before anything else reads the host:
 * an armed run whose apply script died before its last step (restore now), whose timer died (restore
 * when its deadline has passed, else a new timer on the same deadline), or a restore that died
 * half-way (resume it). Run by the facts script at every contact and by the boot hook (`boot`: any
 * armed run is restored, since nothing can confirm it across a reboot; `up`: the same for an armed run the boot
 * unit did not restore, and a restore left rolling-back resumed, once the network daemons are up, with what it
 * still misses deferred again, see BOOT_RECOVER_SCRIPT).
 */
export const RECOVER_SNIPPET =
  IN_OWN_SESSION_SNIPPET +
  String.raw`
# booted_since_armed: the host booted since the run was armed (its boot id is not the one the apply recorded).
booted_since_armed() {
  [ -f "$RUN/boot-id" ] || return 1
  read -r armed_boot < "$RUN/boot-id" 2>/dev/null && read -r this_boot < /proc/sys/kernel/random/boot_id 2>/dev/null || return 1
  [ -n "$armed_boot" ] && [ "$armed_boot" != "$this_boot" ]
}

recover_stale_run() {
  [ -f "$S/state.json" ] || return 0
  state_value runId
  run=$REPLY
  state_value phase
  phase=$REPLY
  valid_word "$run" || return 0
  RUN="$S/backups/$run"
  [ -f "$RUN/restore.sh" ] || return 0
  case $phase in armed|rolling-back) ;; *) return 0 ;; esac
  if [ "$1" != boot ] && [ "$1" != early ] && alive "$RUN/apply.pid"; then return 0; fi
  why=''
  if [ "$phase" = rolling-back ]; then
    why=restore-died
  elif [ "$1" = boot ] || [ "$1" = early ]; then
    why=reboot
  elif [ "$1" = up ]; then
    # the boot hook, when the boot unit did not restore the run: nothing can confirm it across a reboot either
    # (a new timer would let a contact confirm a run the reboot interrupted). A live timer is a run armed since.
    alive "$RUN/timer.pid" && return 0
    why=reboot
  elif ! journal_has steps-done; then
    why=apply-died
  elif ! alive "$RUN/timer.pid"; then
    deadline_left
    if [ "$REPLY" -le 0 ]; then
      why=timer-died
    elif booted_since_armed; then
      # a reboot the boot hook did not catch (disabled, or a host armed before it had one): a new timer would let a
      # contact confirm a run the reboot interrupted
      why=reboot
    else
      deadline_value
      journal rearmed "$REPLY"
      setsid sh "$RUN/restore.sh" "$RUN" watch timer < /dev/null > "$RUN/restore.log" 2>&1 9>&- &
      return 0
    fi
  else
    return 0
  fi
  # A live restore holds the lock: only a dead one is resumed (two that both find it free meet at restore.sh's own
  # lock, and the second finds the run rolled back). At boot (before the network and its daemons) the restore
  # defers what it cannot do yet; so does one once they are up (up), which BOOT_RECOVER_SCRIPT tries again.
  lock 0 2>/dev/null || return 0
  unlock
  mode=resume
  case $1 in boot|up|early) mode=$1 ;; esac
  in_own_session sh "$RUN/restore.sh" "$RUN" "$mode" "$why" > "$RUN/restore-resume.log" 2>&1 9>&- || true
}
`;

/**
 * /var/lib/hostnet/recover.sh [boot|up|cron], the boot hook. It gets only the environment its init system gives:
 * cron's PATH is /usr/bin:/bin, without the sbin directories that hold ip, ifup/ifdown and service, so the
 * restore it runs would find none of them (seen on a lab host: `ifup: not found`, management address gone).
 * The sbin directories go last: a caller's own PATH still wins.
 * - boot (also no argument, as units installed before `up` existed run it): before the network starts
 *   (hostnet-recover.service); any armed run is restored, its files only (restore.sh early): every activation
 *   waits for `up`, since one run before network-pre.target can deadlock the boot (ifup-ovs and Debian's OVS hook
 *   start openvswitch, which is ordered after network-pre.target, so after this unit).
 * - up: once the network daemons are up (hostnet-resume.service): finishes a deferred restore with no contact,
 *   which may never come when the management path rode on the run's change. A restore that misses something
 *   again because a daemon is still starting is tried again once that daemon answers, within 75 s; one that
 *   misses what no daemon explains is not (BOOT_RETRY_SNIPPET). A fast no-op when nothing is deferred. The
 *   resumed restore runs every restore step again, files and activations (restore.sh has no finer resume).
 * - cron (@reboot, hosts without systemd, whose cron starts with or after the network): boot, then what it
 *   deferred is tried again as up's is.
 */
export const BOOT_RECOVER_SCRIPT =
  'PATH=${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin\nexport PATH\nset -u\nhostnet_mode=${1-boot}\nRUN=\n' +
  COMMON_SNIPPET +
  RECOVER_SNIPPET +
  BOOT_RETRY_SNIPPET +
  String.raw`
case $hostnet_mode in
  up) recover_stale_run up ;;
  boot) recover_stale_run early ;;
  *) recover_stale_run boot ;;
esac
if [ "$hostnet_mode" != boot ]; then retry_deferred_restore; fi
`;

/**
 * The systemd unit that runs recover.sh before the network comes up. KillMode=process in both units (and the
 * rollback timer's): a restore's `ifup` of a DHCP interface leaves dhclient running, which the default control-group
 * kill would end with the unit, and the address with the lease.
 */
export const BOOT_RECOVER_UNIT = `[Unit]
Description=hostnet: restore a network change that a reboot interrupted
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target
Wants=network-pre.target

[Service]
Type=oneshot
ExecStart=/bin/sh /var/lib/hostnet/recover.sh
KillMode=process

[Install]
WantedBy=sysinit.target
`;

/**
 * The systemd unit that runs `recover.sh up` once the network daemons have started (After= on a unit the host
 * does not have orders nothing). Only multi-user.target and the CloudStack agent wait for it, with no limit (a
 * oneshot has no start timeout): meant, as the agent must not start over a half-restored network. It holds them
 * long only while a daemon a deferred restore missed is still down, 75 polls at most (BOOT_RETRY_SNIPPET); sshd and
 * logins are not ordered after it, so the host stays reachable meanwhile.
 */
export const BOOT_RESUME_UNIT = `[Unit]
Description=hostnet: finish a restore the boot left to the network daemons
After=network.target network-online.target NetworkManager.service systemd-networkd.service networking.service network.service
After=ovsdb-server.service ovs-vswitchd.service openvswitch-switch.service openvswitch.service
Before=cloudstack-agent.service

[Service]
Type=oneshot
ExecStart=/bin/sh /var/lib/hostnet/recover.sh up
KillMode=process

[Install]
WantedBy=multi-user.target
`;
