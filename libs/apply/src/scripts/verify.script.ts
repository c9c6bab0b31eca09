import { COMMON_SNIPPET } from './common.snippet';
import { LIVE_STATE_SNIPPET } from './live-state.snippet';
import { RECOVER_SNIPPET } from './recover.snippet';

/**
 * Verification in one round trip. stdin: `run <id>`, `extend <seconds>`, `gateway <ipv4>` (each
 * optional). It first ends a run that can no longer end by itself (recover.snippet.ts). Having
 * reached the host on a fresh connection proves the management path, so it then pushes the run's
 * rollback deadline to now + seconds (only once every step has ended, never shorter; both measured on the time
 * since boot, see deadline_left), and prints the
 * live state, the run's journal, each written file's hash now, and one gateway ping.
 * On a simulated host (HOSTNET_ROOT set) the ping runs only when the host provides its own `ping`
 * stand-in under HOSTNET_ROOT, so tests never reach a real address.
 */
export const VERIFY_SCRIPT =
  'set -eu\n' +
  COMMON_SNIPPET +
  LIVE_STATE_SNIPPET +
  RECOVER_SNIPPET +
  String.raw`
gw=''
run=''
ext=''
while IFS=' ' read -r k v; do
  case $k in
    gateway) gw=$v ;;
    run) valid_word "$v" && run=$v ;;
    extend) case $v in ''|*[!0-9]*) ;; *) ext=$v ;; esac ;;
  esac
done
case $gw in *[!0-9.]*) gw='' ;; esac
# A contact like facts: a run whose apply script died (a reboot, the OOM killer) is restored first,
# so the controller waiting for its steps sees the restore instead of waiting out the step budget.
( recover_stale_run contact )
RUN="$S/backups/$run"
if [ -n "$run" ] && [ -n "$ext" ] && [ -f "$RUN/journal" ] && lock 5 2>/dev/null; then
  if [ "$(state_field runId)" = "$run" ] && [ "$(state_field phase)" = armed ] && journal_has steps-done; then
    deadline_left
    if [ "$REPLY" -lt $(( ext * 100 )) ]; then
      deadline_in "$ext"
      set_deadline
      set_phase armed "$DEADLINE"
      journal extended "$DEADLINE"
    fi
  fi
  unlock
fi
# An apply of this run that never armed may still be at work (its connection was lost, not its script):
# 'running' while anything holds the run lock; once the lock is free the run is fenced, so an apply that
# had not taken the lock yet stops there (apply.script.ts) and "never armed, host unchanged" stays true.
# 'unknown' when the fence could not be written (a full disk): in a subshell, as a failed redirection
# ends the shell that makes it.
applying=''
if [ -n "$run" ] && ! journal_has armed; then
  applying=$(
    if lock 0 2>/dev/null; then
      journal_has armed || { mkdir -p "$RUN" && : > "$RUN/abandoned"; } 2>/dev/null || true
      if [ -e "$RUN/abandoned" ]; then echo ended; else echo unknown; fi
    else
      echo running
    fi
  ) || applying=unknown
fi
printf '@@hostnet:verify 1\n'
print_live
if [ -n "$applying" ]; then
  sec apply
  echo "$applying"
fi
if [ -n "$run" ] && [ -f "$RUN/journal" ]; then
  sec journal
  cat "$RUN/journal"
  sec written
  sed -n 's/^[0-9]* wrote \(.*\) \([0-9a-f]*\)$/\2 \1/p' "$RUN/journal" | while read -r want p; do
    if [ -f "$R$p" ]; then have=$(sha256sum < "$R$p"); before_space "$have"; have=$REPLY; else have=absent; fi
    printf '%s %s %s\n' "$want" "$have" "$p"
  done
fi
sec ping
if [ -z "$gw" ]; then
  echo 'skipped no-gateway'
else
  pingbin=$(command -v ping 2>/dev/null || true)
  if [ -n "$R" ]; then
    case $pingbin in "$R"/*) ;; *) pingbin='' ;; esac
  fi
  if [ -z "$pingbin" ]; then
    echo 'skipped no-ping'
  elif "$pingbin" -c1 -W1 "$gw" > /dev/null 2>&1; then
    echo 'ok'
  else
    echo 'failed'
  fi
fi
sec end
`;
