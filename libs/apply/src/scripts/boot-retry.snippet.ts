/**
 * How `recover.sh up` (and cron) tries a deferred restore again: only when what it missed waited for a network
 * daemon that was not up (ovsdb-server, NetworkManager), and only once that daemon answers, so the restore's
 * activations are not run again every few seconds for nothing. A miss with no such evidence (a file, a link, a
 * step that failed with its daemon up) fails the same way every time: the retries stop at once and the journal
 * says so (restore-retry-stopped); the run stays rolling-back for the next contact, which ends it.
 * Uses recover_stale_run (RECOVER_SNIPPET) and the run it sets in RUN.
 */
export const BOOT_RETRY_SNIPPET = String.raw`
# deferred_restore: the host's run is rolling-back and its last restore attempt deferred (not a contact's restore
# under way, which never defers).
deferred_restore() {
  state_value phase
  [ "$REPLY" = rolling-back ] && [ -n "$RUN" ] && tail -n 1 "$RUN/journal" 2>/dev/null | grep -q ' restore-deferred$'
}

# miss_daemon KIND NAME: REPLY is the daemon a miss of the last attempt waited for, by what the restore saw of it:
# 'ovs list-br' (logged only when the database does not answer; a port or bridge it then fails to drop was refused
# by a database that answered), and a step whose output says its daemon was down. Empty when nothing shows a
# daemon missing, or its client is not even installed.
miss_daemon() {
  REPLY=''
  case $1 in
    ovs) REPLY=ovsdb-server ;;
    step)
      for f in "$RUN"/undo-steps/* "$RUN"/restore-steps/*; do
        case $f in *.log) continue ;; esac
        IFS= read -r sname < "$f" 2>/dev/null && [ "$sname" = "$2" ] || continue
        if grep -q 'database connection failed' "$f.log" 2>/dev/null; then REPLY=ovsdb-server
        # nmcli's words with the daemon down, or with no D-Bus to reach it by yet
        elif grep -qxF nmcli "$f" && grep -qE 'NetworkManager is not running|Could not connect' "$f.log" 2>/dev/null; then
          REPLY=NetworkManager
        fi
      done
      ;;
  esac
  case $REPLY in
    ovsdb-server) has ovs-vsctl || REPLY='' ;;
    NetworkManager) has nmcli || REPLY='' ;;
  esac
}

# waited_for: REPLY lists the daemons the last restore attempt's misses waited for (see miss_daemon).
waited_for() {
  at=$(grep -n '^[0-9]* restore-start ' "$RUN/journal" | tail -n 1 | cut -d: -f1)
  [ -n "$at" ] || at=1
  misses=$(tail -n +"$at" "$RUN/journal" | sed -n 's/^[0-9]* restore-failed //p')
  daemons=''
  while read -r kind name rest; do
    miss_daemon "$kind" "$name"
    [ -n "$REPLY" ] || continue
    case " $daemons " in *" $REPLY "*) ;; *) daemons="$daemons $REPLY" ;; esac
  done <<HOSTNET_MISSES
$misses
HOSTNET_MISSES
  REPLY=$daemons
}

# daemon_answers DAEMON: within 2 s (nmcli would wait for a starting daemon on D-Bus for 25 s, and systemd puts
# no limit on a oneshot's start: each poll holds multi-user.target).
daemon_answers() {
  case $1 in
    ovsdb-server) ovs-vsctl --timeout=2 list-br > /dev/null 2>&1 ;;
    NetworkManager)
      if has timeout; then set -- timeout 2 nmcli; else set -- nmcli; fi
      "$@" -t -f RUNNING general 2>/dev/null | grep -qx running
      ;;
    *) return 1 ;;
  esac
}

# wait_for DAEMON...: until each answers, a second apart, 75 times at most in all (the boot hook's 75 s, plus the
# polls' own time), and not once a contact's restore has taken the run over.
wait_for() {
  for d in "$@"; do
    until daemon_answers "$d"; do
      deferred_restore || return 0
      [ "$waited" -lt 75 ] || return 1
      sleep 1
      waited=$((waited + 1))
    done
  done
}

# retry_stopped WHY...: says in the journal why the boot hook leaves the restore deferred, unless a contact's
# restore has taken it over meanwhile.
retry_stopped() {
  lock 0 2>/dev/null || return 0
  if deferred_restore; then journal restore-retry-stopped "$@"; fi
  unlock
}

retry_deferred_restore() {
  waited=0
  tries=0
  while deferred_restore; do
    waited_for
    set -- $REPLY
    if [ "$#" -eq 0 ]; then retry_stopped permanent; return 0; fi
    if [ "$tries" -ge 5 ]; then retry_stopped tries "$@"; return 0; fi
    wait_for "$@" || { retry_stopped daemon-down "$@"; return 0; }
    tries=$((tries + 1))
    recover_stale_run up
  done
}
`;
