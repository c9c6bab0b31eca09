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
 * armed run is restored, since nothing can confirm it across a reboot).
 */
export const RECOVER_SNIPPET =
  IN_OWN_SESSION_SNIPPET +
  String.raw`
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
  if [ "$1" != boot ] && alive "$RUN/apply.pid"; then return 0; fi
  why=''
  if [ "$phase" = rolling-back ]; then
    why=restore-died
  elif [ "$1" = boot ]; then
    why=reboot
  elif ! journal_has steps-done; then
    why=apply-died
  elif ! alive "$RUN/timer.pid"; then
    deadline_value
    if [ "$(date +%s)" -ge "$REPLY" ]; then
      why=timer-died
    else
      journal rearmed "$REPLY"
      setsid sh "$RUN/restore.sh" "$RUN" watch timer < /dev/null > "$RUN/restore.log" 2>&1 9>&- &
      return 0
    fi
  else
    return 0
  fi
  # A live restore holds the lock: only a dead one is resumed. At boot (before the network and its daemons) the
  # restore defers what it cannot do yet to the next contact, a second boot included.
  lock 0 2>/dev/null || return 0
  unlock
  mode=resume
  if [ "$1" = boot ]; then mode=boot; fi
  in_own_session sh "$RUN/restore.sh" "$RUN" "$mode" "$why" > "$RUN/restore-resume.log" 2>&1 9>&- || true
}
`;

/**
 * /var/lib/hostnet/recover.sh, run at boot before networking starts (hostnet-recover.service or @reboot).
 * It gets only the environment its init system gives: cron's PATH is /usr/bin:/bin, without the sbin
 * directories that hold ip, ifup/ifdown and service, so the restore it runs would find none of them
 * (seen on a lab host: `ifup: not found`, management address gone). The sbin directories go last:
 * a caller's own PATH still wins.
 */
export const BOOT_RECOVER_SCRIPT =
  'PATH=${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin\nexport PATH\nset -u\n' + COMMON_SNIPPET + RECOVER_SNIPPET + 'recover_stale_run boot\n';

/** The systemd unit that runs recover.sh before the network comes up. */
export const BOOT_RECOVER_UNIT = `[Unit]
Description=hostnet: restore a network change that a reboot interrupted
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target
Wants=network-pre.target

[Service]
Type=oneshot
ExecStart=/bin/sh /var/lib/hostnet/recover.sh

[Install]
WantedBy=sysinit.target
`;
