import { COMMON_SNIPPET } from './common.snippet';

/**
 * Confirm or roll back an armed run in one round trip. stdin: `run <id>`, `spec <hash>`,
 * `action confirm|rollback`. Confirm wins only while state.json says the run is still `armed`
 * (under the same lock the restore script takes), then stops the timer and prunes old backups.
 */
export const CONFIRM_SCRIPT =
  'set -eu\n' +
  COMMON_SNIPPET +
  String.raw`
out() {
  printf '{"status":"%s","runId":"%s","phase":"%s"}\n' "$1" "$run" "$(state_field phase)"
}
IFS=' ' read -r k run; [ "$k" = run ] && valid_word "$run" || { echo '{"status":"rejected"}'; exit 2; }
IFS=' ' read -r k spec; [ "$k" = spec ] && valid_word "$spec" || { echo '{"status":"rejected"}'; exit 2; }
IFS=' ' read -r k action; [ "$k" = action ] || { echo '{"status":"rejected"}'; exit 2; }
RUN="$S/backups/$run"

cancel_timer() {
  pid=$(cat "$RUN/timer.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then kill -s TERM -- "-$pid" 2>/dev/null || kill -s TERM "$pid" 2>/dev/null || true; fi
  if [ -f "$RUN/timer.unit" ]; then
    systemctl stop "$(cat "$RUN/timer.unit").timer" >/dev/null 2>&1 || true
  fi
}

case $action in
  confirm)
    lock
    if [ "$(state_field runId)" = "$run" ] && [ "$(state_field phase)" = armed ]; then
      write_state "$run" "$spec" applied "$(state_field deadline)" "$spec"
      unlock
      cancel_timer
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
    sh "$RUN/restore.sh" "$RUN" now > "$RUN/restore-now.log" 2>&1 || true
    cancel_timer
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
