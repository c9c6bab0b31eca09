import { COMMON_SNIPPET } from './common.snippet';

/**
 * Restores one run's backup. Usage: `sh restore.sh <runDir> <delaySeconds|now>`.
 * Written into the run's backup dir by the apply script and started detached (the armed timer),
 * or run at once after a failed step or a failed verification. It only acts while state.json says
 * this run is `armed`, so a confirm that won the lock turns a late timer into a no-op.
 */
export const RESTORE_SCRIPT =
  'set -u\n' +
  COMMON_SNIPPET +
  String.raw`
RUN=$1
DELAY=$2
run=$(basename "$RUN")
STEP_TIMEOUT=$(cat "$RUN/step-timeout" 2>/dev/null || echo 120)
if [ "$DELAY" != now ]; then
  echo $$ > "$RUN/timer.pid"
  if [ "$DELAY" -gt 0 ]; then sleep "$DELAY"; fi
fi

lock || exit 1
if [ "$(state_field runId)" != "$run" ] || [ "$(state_field phase)" != armed ]; then
  unlock
  echo "hostnet restore: run $run is not armed; nothing to do"
  exit 0
fi
spec=$(state_field specHash)
applied=$(state_field appliedSpecHash)
write_state "$run" "$spec" rolling-back "$(state_field deadline)" "$applied"
unlock

while read -r kind path; do
  case $kind in
    saved)
      mkdir -p "$(dirname "$R$path")"
      cp -p "$RUN/files$path" "$R$path.hostnet-restore" && mv -f "$R$path.hostnet-restore" "$R$path"
      ;;
    absent)
      rm -f "$R$path"
      ;;
  esac
done < "$RUN/manifest"

# Undo live OVS steps: drop bridges/ports the run added (--no-wait: ovsdb is the source of truth).
if [ -f "$RUN/ovs-bridges" ] && has ovs-vsctl; then
  for b in $(vs list-br 2>/dev/null); do
    if ! grep -qx "$b" "$RUN/ovs-bridges"; then vs --no-wait --if-exists del-br "$b" || true; fi
  done
  for b in $(vs list-br 2>/dev/null); do
    for p in $(vs list-ports "$b" 2>/dev/null); do
      if ! grep -qx "$b $p" "$RUN/ovs-ports"; then vs --no-wait --if-exists del-port "$b" "$p" || true; fi
    done
  done
fi

# Linux bridges the run added are not in the restored files, so no activation would take them down:
# left in place, one keeps the management address and its route (seen on real hosts, test/lab).
# ifupdown's record of them goes too, or a later ifup would think them configured.
if [ -f "$RUN/linux-bridges" ] && has ip; then
  for b in $(ip -o link show type bridge 2>/dev/null | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p'); do
    if ! grep -qx "$b" "$RUN/linux-bridges"; then
      ip link del "$b" 2>/dev/null || true
      rm -f "/run/network/ifstate.$b"
      if [ -f /run/network/ifstate ]; then sed -i "/^$b=/d" /run/network/ifstate; fi
    fi
  done
fi

for f in "$RUN"/restore-steps/*; do
  if [ -f "$f" ]; then
    run_step "$f" || echo "hostnet restore: step $f exited $?"
  fi
done

lock || true
write_state "$run" "$spec" rolled-back "$(date +%s)" "$applied"
unlock
echo "hostnet restore: run $run rolled back"
`;
