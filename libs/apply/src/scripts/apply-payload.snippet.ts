/**
 * The apply script's parts that only prepare: reading the framed payload into the run directory,
 * deciding what differs, recording what exists before the run, and printing the one result line.
 */
export const APPLY_PAYLOAD_SNIPPET = String.raw`
read_payload() {
  set -f
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
  mkdir -p "$RUN/new" "$RUN/files" "$RUN/steps" "$RUN/restore-steps" || reject "cannot create $RUN"
  : > "$RUN/writes"; : > "$RUN/removes"; : > "$RUN/owns"
  echo "$STEP_TIMEOUT" > "$RUN/step-timeout"
  n=0
  cur=''
  line=''
  while IFS= read -r line; do
    case $line in
      'file '*)
        # the path is the rest of the line: a NetworkManager file name may hold spaces (valid_path)
        mode=$(printf '%s\n' "$line" | cut -d' ' -f2)
        path=$(printf '%s\n' "$line" | cut -d' ' -f3-)
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
      'own '*)
        name=$(printf '%s' "$line" | cut -c5-)
        valid_word "$name" || reject "bad owned interface name"
        echo "$name" >> "$RUN/owns"
        ;;
      'step '*|'restore-step '*|'undo-step '*)
        set -- $line
        [ "$#" -eq 3 ] || reject "bad step line"
        valid_word "$2" && valid_word "$3" || reject "bad step name"
        n=$((n + 1))
        case $1 in restore-step) dir=restore-steps ;; undo-step) dir=undo-steps; mkdir -p "$RUN/undo-steps" ;; *) dir=steps ;; esac
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
  STEP_BUDGET=$(( $(ls "$RUN/steps" | wc -l) * (STEP_TIMEOUT + 5) ))
}

# Only what differs is backed up and written, so unchanged files keep their mtimes.
plan_changes() {
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
}

# What exists before the run, so a restore removes only what this run created (and only names it owns).
snapshot_live() {
  if has ovs-vsctl && vs list-br > "$RUN/ovs-bridges" 2>/dev/null; then
    : > "$RUN/ovs-ports"
    for b in $(cat "$RUN/ovs-bridges"); do
      for p in $(vs list-ports "$b"); do echo "$b $p" >> "$RUN/ovs-ports"; done
    done
  else
    rm -f "$RUN/ovs-bridges"
  fi
  if [ -f "$RUN/ovs-bridges" ]; then
    vs --columns=name,mtu_request --format=csv --no-headings list interface > "$RUN/ovs-mtu-requests" 2>/dev/null \
      || rm -f "$RUN/ovs-mtu-requests"
  fi
  if [ -z "$R" ] && has ip; then
    ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' > "$RUN/links" || rm -f "$RUN/links"
    # ifup and nmcli only ever set an MTU a file names, so a restore puts these back itself (restore.script.ts)
    ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: \([^:@]*\)[^ ]* .* mtu \([0-9]*\) .*/\1 \2/p' > "$RUN/link-mtus" \
      || rm -f "$RUN/link-mtus"
  fi
}

result() {
  steps_json=''
  for f in "$RUN"/steps/*; do
    [ -f "$f.log" ] || continue
    sn=$(sed -n 1p "$f")
    t0=$(sed -n "s/^\([0-9]*\) step-start $sn$/\1/p" "$RUN/journal" | tail -n 1)
    end=$(sed -n "s/^\([0-9]*\) step-end $sn \([0-9]*\)$/\1 \2/p" "$RUN/journal" | tail -n 1)
    rc=-1; ms=0
    if [ -n "$end" ]; then rc=$(echo "$end" | cut -d' ' -f2); ms=$(( $(echo "$end" | cut -d' ' -f1) - t0 )); fi
    steps_json="$steps_json$(if [ -n "$steps_json" ]; then printf ','; fi){\"name\":\"$sn\",\"exitCode\":$rc,\"durationMs\":$ms}"
  done
  changes_json=''
  while read -r kind mode path; do
    changes_json="$changes_json$(if [ -n "$changes_json" ]; then printf ','; fi){\"kind\":\"$kind\",\"path\":\"$path\"}"
  done < "$RUN/changes"
  out=''
  if [ -s "$RUN/failed-output" ]; then out=$(base64 < "$RUN/failed-output" | tr -d '\n'); fi
  if [ -s "$RUN/write.err" ] && [ -z "$out" ]; then out=$(tail -c 2000 "$RUN/write.err" | base64 | tr -d '\n'); fi
  answer "{\"status\":\"$1\",\"runId\":\"$run\",\"failed\":\"$failed_what\",\"phase\":\"$(state_field phase)\",\"mechanism\":\"$mech\",\"deadline\":$(cat "$RUN/deadline" 2>/dev/null || echo 0),\"steps\":[$steps_json],\"changes\":[$changes_json],\"outputBase64\":\"$out\"}"
}
`;
