import { COMMON_SNIPPET } from './common.snippet';
import { APPLY_PAYLOAD_SNIPPET } from './apply-payload.snippet';
import { IN_OWN_SESSION_SNIPPET } from './recover.snippet';

/**
 * Apply in one round trip. stdin: the framed payload of apply-payload.encoder.ts, which also carries the run's
 * restore.sh and the boot hook (run-scripts.ts). Under the host's run
 * lock it backs up what it will change, arms the rollback watcher, writes files atomically and runs the
 * steps, writing each effect to the run's journal first. Any failure (backup, write, step, or the
 * script itself stopping) restores at once and answers `failed`; the deadline starts again when the last
 * step has ended, so slow activation never eats the controller's time to verify. One JSON result line.
 */
export const APPLY_SCRIPT =
  'set -u\n' +
  COMMON_SNIPPET +
  IN_OWN_SESSION_SNIPPET +
  APPLY_PAYLOAD_SNIPPET +
  String.raw`
trap '' HUP PIPE
answered=''
mech=''
failed_what=''
answer() {
  answered=1
  printf '%s\n' "$1"
}
reject() {
  answer "{\"status\":\"rejected\",\"reason\":\"$1\"}"
  exit 2
}

read_payload
has flock || reject "flock (util-linux) is required on the host"
has sha256sum || reject "sha256sum (coreutils) is required on the host"
# A reboot kills the timer: the boot hook (run-scripts.ts, from the payload) restores an armed run before the
# network starts and finishes once its daemons are up what that could not do yet. On disk, with the links that
# enable it, before the first network file is written (a power loss on a first run). A hook that cannot be
# installed stops the run before any write: a reboot inside the window would otherwise keep the change unverified.
install_boot_hook() {
  [ -z "$R" ] || return 0
  HOOK_WHY="boot-hook $S/recover.sh not written"
  cp "$RUN/recover.sh" "$S/recover.sh.tmp" && mv -f "$S/recover.sh.tmp" "$S/recover.sh" || return 1
  set -- "$S/recover.sh" "$S"
  if [ "$PID1" = systemd ]; then
    U=/etc/systemd/system
    for u in hostnet-recover.service hostnet-resume.service; do
      HOOK_WHY="boot-hook $U/$u not written"
      cmp -s "$RUN/$u" "$U/$u" || cp "$RUN/$u" "$U/$u" || return 1
      # every run: an enable that failed once, or an operator's disable, would leave the hook off for good
      HOOK_WHY="boot-hook $u not enabled (systemctl enable $u failed)"
      systemctl is-enabled -q "$u" 2>/dev/null 9>&- || systemctl enable "$u" > /dev/null 2>&1 9>&- || return 1
    done
    set -- "$@" "$U" "$U"/hostnet-re*.service "$U"/sysinit.target.wants "$U"/multi-user.target.wants
  elif [ -d /etc/cron.d ]; then
    c=/etc/cron.d/hostnet-recover
    l='@reboot root /bin/sh /var/lib/hostnet/recover.sh cron'
    HOOK_WHY="boot-hook $c not written"
    grep -qxF "$l" "$c" 2>/dev/null || echo "$l" 2>/dev/null > "$c" || return 1
    set -- "$@" /etc/cron.d "$c"
  fi
  for f in "$@"; do shift; [ ! -e "$f" ] || set -- "$@" "$f"; done
  flush "$@"
}

PID1=''
if [ -z "$R" ]; then read -r PID1 2>/dev/null < /proc/1/comm || true; fi
journal begin "$spec"
record_self "$RUN/apply.pid"
lock 10 || {
  journal failed lock
  answer "{\"status\":\"busy\",\"runId\":\"$(state_field runId)\",\"phase\":\"lock-held\"}"
  exit 0
}
journal_note locked "$$"
# A verify found this run unarmed with the lock free and answered "unchanged": keep it true.
[ ! -e "$RUN/abandoned" ] || { journal failed abandoned; reject "run $run was given up before it took the run lock"; }
phase=$(state_field phase)
# kept apart from REPLY, which journal overwrites
state_value runId
state_run=$REPLY
if [ "$phase" = armed ] || [ "$phase" = rolling-back ]; then
  unlock
  journal failed busy
  answer "{\"status\":\"busy\",\"runId\":\"$state_run\",\"phase\":\"$phase\"}"
  exit 0
fi
# Planned from facts the host no longer matches (another run came and went since): nothing is touched.
now_run=$state_run
now_phase=$phase
[ -n "$now_run" ] || now_run=-
[ -n "$now_phase" ] || now_phase=-
if [ "$now_run" != "$SEEN_RUN" ] || [ "$now_phase" != "$SEEN_PHASE" ]; then
  unlock
  journal failed stale
  answer "{\"status\":\"stale\",\"runId\":\"$state_run\",\"phase\":\"$phase\"}"
  exit 0
fi

# The journal line comes before the effect, so a run stopped anywhere can be judged from it.
stop_run() {
  failed_what=$1
  journal failed "$1"
  unlock
  if [ "$(state_field runId)" = "$run" ]; then
    in_own_session sh "$RUN/restore.sh" "$RUN" now "$1" > "$RUN/restore-now.log" 2>&1 9>&-
  fi
  result failed
  exit 0
}
on_exit() {
  if [ -z "$answered" ]; then stop_run "script-exit"; fi
}
trap on_exit EXIT
trap 'stop_run signal' TERM INT

plan_changes
journal_note planned "$CHANGES_N" "$STEPS_N"
# The backups and the manifest reach the disk with the rest of the run's files before it is armed (below).
set -- "$RUN/manifest" "$RUN/journal"
while read -r kind mode path; do
  # A link would come back from its backup as a plain file: refused before anything changes.
  if [ -L "$R$path" ]; then
    journal failed "symlink $path"
    reject "$path is a symbolic link, which hostnet would replace by a file and could not restore as a link; fix: replace the link by a copy of the file it points to"
  fi
  if [ -e "$R$path" ]; then
    parent_dir "$path"
    { [ -d "$RUN/files$REPLY" ] || mkdir -p "$RUN/files$REPLY"; } && cp -p "$R$path" "$RUN/files$path" \
      || stop_run "backup $path"
    set -- "$@" "$RUN/files$path"
    echo "saved $path" >> "$RUN/manifest" || stop_run "manifest $path"
    journal_note backed-up "$path"
  else
    echo "absent $path" >> "$RUN/manifest" || stop_run "manifest $path"
    journal_note absent "$path"
    # directories the write will make: the restore takes them away again once empty
    parent_dir "$path"
    while [ -n "$REPLY" ] && [ ! -d "$R$REPLY" ]; do echo "$REPLY" >> "$RUN/new-dirs"; parent_dir "$REPLY"; done
  fi
done < "$RUN/changes"
snapshot_live || stop_run "snapshot$SL_WHY"
# The boot this run is armed in: a contact that finds its timer dead in another boot restores it (recover.snippet.ts)
if read -r boot < /proc/sys/kernel/random/boot_id 2>/dev/null; then echo "$boot" > "$RUN/boot-id"; fi
# Everything a restore reads reaches the disk before the run is armed, in one sync: the backups, manifest
# and journal, restore.sh and its steps, the owns list and the live snapshot (a power loss after the first
# write must find a whole restore at boot, not an empty restore.sh).
for f in "$RUN"/* "$RUN"/restore-steps/* "$RUN"/undo-steps/*; do [ ! -f "$f" ] || set -- "$@" "$f"; done
flush "$@" "$RUN" || stop_run "backup sync"
set --

deadline_in $(( secs + STEP_BUDGET ))
deadline=$DEADLINE
write_state "$run" "$spec" armed "$deadline" "$(state_field appliedSpecHash)" || stop_run state
set_deadline || stop_run deadline
mech=''
if [ "$PID1" = systemd ] && has systemd-run; then
  # KillMode=process: a restore's ifup starts dhclient in the unit, which must outlive it (as in both boot units)
  if systemd-run --unit="hostnet-rollback-$run" --quiet -p KillMode=process /bin/sh "$RUN/restore.sh" "$RUN" watch timer \
    < /dev/null > /dev/null 2>&1 9>&-; then
    mech=systemd-run
    echo "hostnet-rollback-$run" > "$RUN/timer.unit"
  fi
fi
if [ -z "$mech" ]; then
  mech=nohup
  if has setsid; then mech=setsid; fi
  if [ "$mech" = setsid ]; then
    setsid sh "$RUN/restore.sh" "$RUN" watch timer < /dev/null > "$RUN/restore.log" 2>&1 9>&- &
  else
    nohup sh "$RUN/restore.sh" "$RUN" watch timer < /dev/null > "$RUN/restore.log" 2>&1 9>&- &
  fi
fi
journal armed "$deadline" "$mech"
install_boot_hook || stop_run "$HOOK_WHY"

# "writing" and the new content reach the disk in one sync, before the rename that is the effect.
while read -r kind mode path; do
  if [ "$kind" = write ]; then
    journal_note writing "$path" || stop_run "journal $path"
    parent_dir "$path"
    dir="$R$REPLY"
    tmp="$dir/.hostnet-$run.tmp"
    { { [ -d "$dir" ] || mkdir -p "$dir"; } && cp "$RUN/new$path" "$tmp" && chmod "$mode" "$tmp" \
      && flush "$RUN/journal" "$tmp" && mv -f "$tmp" "$R$path"; } 2> "$RUN/write.err" || { rm -f "$tmp"; stop_run "write $path"; }
    hash=$(sha256sum < "$R$path")
    before_space "$hash"
    journal_note wrote "$path" "$REPLY"
  else
    journal writing "$path" || stop_run "journal $path"
    rm -f "$R$path" 2> "$RUN/write.err" || stop_run "remove $path"
    journal removed "$path"
  fi
done < "$RUN/changes"

# Only the first step-start announces an effect restore acts on (journal_has step-start: re-activate); the
# later ones reach the disk with the next synced line, a sync process fewer per step (EL hosts run a dozen).
started=''
for f in "$RUN"/steps/*; do
  [ -f "$f" ] || continue
  IFS= read -r sname < "$f"
  if [ -z "$started" ]; then journal step-start "$sname" || stop_run journal; started=1; else journal_note step-start "$sname"; fi
  run_step "$f" "$RUN/step.pid" > "$f.log" 2>&1
  rc=$?
  journal_note step-end "$sname" "$rc"
  if [ "$rc" -ne 0 ]; then
    tail -c 2000 "$f.log" > "$RUN/failed-output"
    stop_run "step $sname"
  fi
done

deadline_in "$secs"
deadline=$DEADLINE
set_deadline
set_phase armed "$deadline"
journal steps-done "$deadline"
unlock
result armed
`;
