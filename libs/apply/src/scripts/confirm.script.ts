import { COMMON_SNIPPET } from './common.snippet';
import { IN_OWN_SESSION_SNIPPET } from './recover.snippet';

/**
 * Confirm or roll back an armed run in one round trip. stdin: `run <id>`, `spec <hash>`,
 * `action confirm|rollback`. Confirm wins only under the run lock, while state.json says the run is
 * still `armed` and its journal shows every step ended (`busy` while a step runs, `incomplete` when
 * the apply stopped before its last step); the timer sees the run confirmed and exits.
 */
export const CONFIRM_SCRIPT =
  'set -eu\n' +
  COMMON_SNIPPET +
  IN_OWN_SESSION_SNIPPET +
  String.raw`
out() {
  printf '{"status":"%s","runId":"%s","phase":"%s"}\n' "$1" "$run" "$(state_field phase)"
}
IFS=' ' read -r k run; [ "$k" = run ] && valid_word "$run" || { echo '{"status":"rejected"}'; exit 2; }
IFS=' ' read -r k spec; [ "$k" = spec ] && valid_word "$spec" || { echo '{"status":"rejected"}'; exit 2; }
IFS=' ' read -r k action; [ "$k" = action ] || { echo '{"status":"rejected"}'; exit 2; }
RUN="$S/backups/$run"

case $action in
  confirm)
    lock 5 2>/dev/null || { out busy; exit 0; }
    if [ "$(state_field runId)" = "$run" ] && [ "$(state_field phase)" = armed ]; then
      if ! journal_has steps-done; then unlock; out incomplete; exit 0; fi
      # the journal line first, as for every effect: a confirm that cannot write it (a full disk) leaves the run armed
      # for its timer, never applied with no "confirmed" in its journal
      journal confirmed
      write_state "$run" "$spec" applied "$(state_field deadline)" "$spec"
      unlock
      if alive "$RUN/timer.pid"; then read -r p rest < "$RUN/timer.pid"; kill -s TERM "$p" 2>/dev/null || true; fi
      ls -1t "$S/backups" | sed 1,10d | while IFS= read -r old; do rm -rf "$S/backups/$old"; done
      out confirmed
    elif [ "$(state_field runId)" = "$run" ] && [ "$(state_field phase)" = applied ]; then
      unlock
      out confirmed
    else
      unlock
      out not-armed
      exit 3
    fi
    ;;
  rollback)
    [ -f "$RUN/restore.sh" ] && in_own_session sh "$RUN/restore.sh" "$RUN" now controller > "$RUN/restore-now.log" 2>&1 || true
    if [ "$(state_field runId)" = "$run" ] && [ "$(state_field phase)" = rolled-back ]; then
      out rolled-back
    else
      out not-armed
      exit 3
    fi
    ;;
  *) echo '{"status":"rejected"}'; exit 2 ;;
esac
`;
