import { COMMON_SNIPPET } from './common.snippet';
import { RESTORE_SCRIPT } from './restore.script';

/**
 * Apply in one round trip. stdin: the framed payload of apply-payload.encoder.ts. Backs up what it
 * will change, records `armed` in state.json, starts the detached rollback timer, writes files
 * atomically, runs the steps in order, and prints one JSON result line (apply-result.parser.ts).
 */
export const APPLY_SCRIPT =
  'set -eu\n' +
  COMMON_SNIPPET +
  String.raw`
trap '' HUP PIPE
# No globbing while payload words are split; re-enabled once the payload is parsed.
set -f
reject() {
  printf '{"status":"rejected","reason":"%s"}\n' "$1"
  exit 2
}

IFS= read -r magic || reject "empty payload"
[ "$magic" = "hostnet-apply 1" ] || reject "bad payload header"
IFS=' ' read -r k run; [ "$k" = run ] && valid_word "$run" || reject "bad run id"
IFS=' ' read -r k spec; [ "$k" = spec ] && valid_word "$spec" || reject "bad spec hash"
IFS=' ' read -r k secs; [ "$k" = rollback ] || reject "bad rollback line"
case $secs in ''|*[!0-9]*) reject "bad rollback seconds" ;; esac
IFS=' ' read -r k STEP_TIMEOUT; [ "$k" = step-timeout ] || reject "bad step-timeout line"
case $STEP_TIMEOUT in ''|*[!0-9]*) reject "bad step timeout" ;; esac

RUN="$S/backups/$run"
[ ! -e "$RUN" ] || reject "run $run already exists on this host"
mkdir -p "$RUN/new" "$RUN/files" "$RUN/steps" "$RUN/restore-steps"
: > "$RUN/writes"
: > "$RUN/removes"
echo "$STEP_TIMEOUT" > "$RUN/step-timeout"
n=0
cur=''
while IFS= read -r line; do
  case $line in
    'file '*)
      set -- $line
      [ "$#" -eq 3 ] || reject "bad file line"
      mode=$2; path=$3
      case $mode in ''|*[!0-7]*) reject "bad mode" ;; esac
      valid_path "$path" || reject "path not allowed"
      IFS= read -r b64 || reject "missing content"
      mkdir -p "$(dirname "$RUN/new$path")"
      printf '%s\n' "$b64" | base64 -d > "$RUN/new$path" || reject "bad base64"
      echo "$mode $path" >> "$RUN/writes"
      ;;
    'remove '*)
      path=$(printf '%s' "$line" | cut -c8-)
      valid_path "$path" || reject "path not allowed"
      echo "$path" >> "$RUN/removes"
      ;;
    'step '*|'restore-step '*)
      set -- $line
      [ "$#" -eq 3 ] || reject "bad step line"
      valid_word "$2" && valid_word "$3" || reject "bad step name"
      n=$((n + 1))
      dir=steps
      if [ "$1" = restore-step ]; then dir=restore-steps; fi
      cur="$RUN/$dir/$(printf '%03d' "$n")"
      printf '%s\n%s\n' "$3" "$2" > "$cur"
      ;;
    'arg '*)
      [ -n "$cur" ] || reject "arg outside a step"
      printf '%s\n' "$line" | cut -c5- >> "$cur"
      ;;
    end) break ;;
    *) reject "unknown payload line" ;;
  esac
done
[ "$line" = end ] || reject "payload truncated"
set +f

# Only what differs is backed up and written, so unchanged files keep their mtimes.
: > "$RUN/manifest"
: > "$RUN/changes"
while read -r mode path; do
  if [ -f "$R$path" ] && [ "$(sha256sum < "$R$path")" = "$(sha256sum < "$RUN/new$path")" ] \
    && [ "$(stat -c %a "$R$path")" = "$(printf '%o' "0$mode")" ]; then
    continue
  fi
  echo "write $mode $path" >> "$RUN/changes"
done < "$RUN/writes"
while read -r path; do
  if [ -e "$R$path" ]; then echo "remove - $path" >> "$RUN/changes"; fi
done < "$RUN/removes"
while read -r kind mode path; do
  if [ -e "$R$path" ]; then
    mkdir -p "$(dirname "$RUN/files$path")"
    cp -p "$R$path" "$RUN/files$path"
    echo "saved $path" >> "$RUN/manifest"
  else
    echo "absent $path" >> "$RUN/manifest"
  fi
done < "$RUN/changes"
if has ovs-vsctl && vs list-br > "$RUN/ovs-bridges" 2>/dev/null; then
  : > "$RUN/ovs-ports"
  for b in $(cat "$RUN/ovs-bridges"); do
    for p in $(vs list-ports "$b"); do echo "$b $p" >> "$RUN/ovs-ports"; done
  done
else
  rm -f "$RUN/ovs-bridges"
fi
# Linux bridges the run creates are undone the same way on real hosts (see restore.script.ts).
if [ -z "$R" ] && has ip; then
  ip -o link show type bridge 2>/dev/null | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' > "$RUN/linux-bridges" || rm -f "$RUN/linux-bridges"
fi
cat > "$RUN/restore.sh" <<'HOSTNET_RESTORE_EOF'
RESTORE_BODY
HOSTNET_RESTORE_EOF

lock || reject "state lock busy"
phase=$(state_field phase)
if [ "$phase" = armed ] || [ "$phase" = rolling-back ]; then
  unlock
  printf '{"status":"busy","runId":"%s","phase":"%s"}\n' "$(state_field runId)" "$phase"
  exit 0
fi
deadline=$(( $(date +%s) + secs ))
write_state "$run" "$spec" armed "$deadline" "$(state_field appliedSpecHash)"
unlock

mech=''
if [ -z "$R" ] && [ "$(cat /proc/1/comm 2>/dev/null || true)" = systemd ] && has systemd-run; then
  if systemd-run --unit="hostnet-rollback-$run" --on-active="$secs" --timer-property=AccuracySec=1s \
    /bin/sh "$RUN/restore.sh" "$RUN" 0 >/dev/null 2>&1; then
    mech=systemd-run
    echo "hostnet-rollback-$run" > "$RUN/timer.unit"
  fi
fi
if [ -z "$mech" ]; then
  if has setsid; then
    setsid nohup sh "$RUN/restore.sh" "$RUN" "$secs" < /dev/null > "$RUN/restore.log" 2>&1 &
    mech=setsid
  else
    nohup sh "$RUN/restore.sh" "$RUN" "$secs" < /dev/null > "$RUN/restore.log" 2>&1 &
    mech=nohup
  fi
  echo $! > "$RUN/timer.pid"
fi

while read -r kind mode path; do
  if [ "$kind" = write ]; then
    mkdir -p "$(dirname "$R$path")"
    tmp="$(dirname "$R$path")/.hostnet-$run.tmp"
    cp "$RUN/new$path" "$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$R$path"
  else
    rm -f "$R$path"
  fi
done < "$RUN/changes"

steps_json=''
failed=''
for f in "$RUN"/steps/*; do
  [ -f "$f" ] || continue
  t0=$(now_ms)
  set +e
  run_step "$f" > "$f.log" 2>&1
  rc=$?
  set -e
  t1=$(now_ms)
  steps_json="$steps_json$(if [ -n "$steps_json" ]; then printf ','; fi){\"name\":\"$sname\",\"exitCode\":$rc,\"durationMs\":$((t1 - t0))}"
  if [ "$rc" -ne 0 ]; then failed=$sname; break; fi
done

changes_json=''
while read -r kind mode path; do
  changes_json="$changes_json$(if [ -n "$changes_json" ]; then printf ','; fi){\"kind\":\"$kind\",\"path\":\"$path\"}"
done < "$RUN/changes"

if [ -n "$failed" ]; then
  sh "$RUN/restore.sh" "$RUN" now > "$RUN/restore-now.log" 2>&1 || true
  pid=$(cat "$RUN/timer.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then kill -s TERM -- "-$pid" 2>/dev/null || kill -s TERM "$pid" 2>/dev/null || true; fi
  printf '{"status":"failed","runId":"%s","failedStep":"%s","phase":"%s","mechanism":"%s","deadline":%s,"steps":[%s],"changes":[%s]}\n' \
    "$run" "$failed" "$(state_field phase)" "$mech" "$deadline" "$steps_json" "$changes_json"
  exit 0
fi
printf '{"status":"armed","runId":"%s","phase":"armed","mechanism":"%s","deadline":%s,"steps":[%s],"changes":[%s]}\n' \
  "$run" "$mech" "$deadline" "$steps_json" "$changes_json"
`.replace('RESTORE_BODY', () => RESTORE_SCRIPT.trimEnd());
