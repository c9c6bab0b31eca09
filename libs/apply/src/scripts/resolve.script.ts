import { RESOLVE_REASON_CHARS } from '@hostnet/contracts';
import { COMMON_SNIPPET } from './common.snippet';

/**
 * An operator's explicit resolve of a run stuck on the host, in one round trip. stdin lines:
 * `action rollback|status`, `why <text>` (journaled; re-filtered here to a plain charset),
 * `wait <seconds>` (how long to wait for the restore), `run <id>` (status: the run asked about).
 * - rollback: only a run that state.json shows `armed` or `rolling-back` is touched. A live apply
 *   still inside its deadline is refused, never killed; past its deadline the restore (`resume`)
 *   stops it. The restore runs detached (a re-activation may cut this very connection) with why
 *   `operator: <why>`, and is waited for up to `wait` seconds. Any other phase changes nothing.
 * - status: the evidence of run <id> now (after a connection lost while waiting).
 * stdout: sections `resolve` (one JSON line), `state`, `journal`, `restored`
 * (`<backup sha|absent> <current sha|absent|present> <path>` per file the restore put back), `end`.
 */
export const RESOLVE_SCRIPT =
  'set -u\n' +
  COMMON_SNIPPET +
  String.raw`
trap '' HUP PIPE
sec() {
  printf '\n@@hostnet:%s\n' "$1"
}
action=''
why=''
asked=''
wait_s=30
while IFS=' ' read -r k v; do
  case $k in
    action) action=$v ;;
    run) valid_word "$v" && asked=$v ;;
    why) why=$(printf '%s' "$v" | tr -cd '${RESOLVE_REASON_CHARS}' | cut -c1-400) ;;
    wait) case $v in ''|*[!0-9]*) ;; *) wait_s=$v ;; esac ;;
  esac
done
[ -n "$why" ] || why=unspecified
run=''
RUN=''
mode=''
before=''

restored_files() {
  while read -r kind path; do
    journal_line "restored-file $path" || continue
    if [ "$kind" = saved ]; then
      was=$(sha256sum < "$RUN/files$path" | cut -d' ' -f1)
      if [ -f "$R$path" ]; then now=$(sha256sum < "$R$path" | cut -d' ' -f1); else now=absent; fi
    else
      was=absent
      if [ -e "$R$path" ]; then now=present; else now=absent; fi
    fi
    printf '%s %s %s\n' "$was" "$now" "$path"
  done < "$RUN/manifest"
}

# finish STATUS DETAIL: the answer and the evidence; DETAIL never holds a quote or a backslash.
finish() {
  sec resolve
  printf '{"status":"%s","runId":"%s","before":"%s","phase":"%s","mode":"%s","detail":"%s"}\n' "$1" "$run" "$before" "$(state_field phase)" "$mode" "$2"
  sec state
  if [ -f "$S/state.json" ]; then cat "$S/state.json"; fi
  if [ -n "$RUN" ] && [ -f "$RUN/journal" ]; then
    sec journal
    cat "$RUN/journal"
    if [ -f "$RUN/manifest" ]; then
      sec restored
      restored_files
    fi
  fi
  sec end
  exit 0
}

pending() {
  case $(state_field phase) in armed|rolling-back) return 0 ;; esac
  return 1
}

# How run $run stands once its restore had its time.
report_end() {
  [ "$(state_field runId)" = "$run" ] || finish failed "the host holds another run now, not $run"
  case $(state_field phase) in
    armed|rolling-back) finish in-progress "the restore of run $run is still under way" ;;
    rolled-back)
      if journal_has restore-incomplete; then finish incomplete "run $run rolled back incompletely: see restore-failed in the journal"; fi
      finish rolled-back "run $run rolled back to the configuration it replaced"
      ;;
    *) finish nothing-to-resolve "run $run is $(state_field phase): nothing was rolled back" ;;
  esac
}

[ -f "$S/state.json" ] || finish nothing-to-resolve 'hostnet never ran on this host: nothing to resolve, nothing changed'
run=$(state_field runId)
valid_word "$run" || { run=''; finish failed 'state.json names no valid run id: inspect /var/lib/hostnet by hand'; }
RUN="$S/backups/$run"

case $action in
  status)
    [ "$asked" = "$run" ] || finish failed "the host holds run $run now, not the run asked about"
    report_end
    ;;
  rollback) ;;
  *) finish failed 'unknown action: expected rollback or status' ;;
esac

phase=$(state_field phase)
before=$phase
pending || finish nothing-to-resolve "run $run is $phase: nothing is stuck, nothing was changed"
[ -f "$RUN/restore.sh" ] || finish failed "run $run has no restore script on the host: restore its backups by hand"
mode=now
if [ "$phase" = rolling-back ]; then mode=resume; fi
if alive "$RUN/apply.pid"; then
  deadline_left
  if [ "$REPLY" -gt 0 ]; then
    finish refused "the apply of run $run is still running, $(( (REPLY + 99) / 100 )) s before its deadline: not killed; resolve again after it"
  fi
  # Past its deadline: the restore's resume mode stops it first.
  mode=resume
else
  # A live restore or confirm holds the lock: it is ending the run already.
  lock 10 2>/dev/null || finish refused "another hostnet process holds the run lock of run $run (a restore or confirm under way): try again shortly"
  if [ "$(state_field runId)" != "$run" ] || ! pending; then
    unlock
    finish nothing-to-resolve "run $run ended meanwhile: nothing was changed"
  fi
  unlock
fi

if has setsid; then
  setsid sh "$RUN/restore.sh" "$RUN" "$mode" "operator: $why" < /dev/null > "$RUN/restore-operator.log" 2>&1 9>&- &
else
  nohup sh "$RUN/restore.sh" "$RUN" "$mode" "operator: $why" < /dev/null > "$RUN/restore-operator.log" 2>&1 9>&- &
fi
rpid=$!
running() {
  case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) in Z|X|'') return 1 ;; esac
  return 0
}
n=0
while running "$rpid" && [ "$n" -lt "$wait_s" ]; do
  sleep 1
  n=$((n + 1))
done
report_end
`;
