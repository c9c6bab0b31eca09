import { OVS_BRIDGE_CHAIN_SNIPPET } from './ovs-bridge-chain.snippet';
import { OVS_OFFLINE_SNIPPET } from './ovs-offline.snippet';
import { OVS_PORT_ROWS_SNIPPET } from './ovs-membership-restore.snippet';

/**
 * The apply script's parts that only prepare: reading the framed payload into the run directory,
 * deciding what differs, recording what exists before the run, and printing the one result line.
 */
export const APPLY_PAYLOAD_SNIPPET =
  OVS_BRIDGE_CHAIN_SNIPPET +
  OVS_OFFLINE_SNIPPET +
  OVS_PORT_ROWS_SNIPPET +
  String.raw`
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
  IFS=' ' read -r k SEEN_RUN SEEN_PHASE; [ "$k" = seen ] && valid_word "$SEEN_RUN" && valid_word "$SEEN_PHASE" || reject "bad seen line"
  RUN="$S/backups/$run"
  [ ! -e "$RUN" ] || reject "run $run already exists on this host"
  mkdir -p "$RUN/new" "$RUN/files" "$RUN/steps" "$RUN/restore-steps" || reject "cannot create $RUN"
  : > "$RUN/writes"; : > "$RUN/removes"; : > "$RUN/owns"
  echo "$STEP_TIMEOUT" > "$RUN/step-timeout"
  n=0
  STEPS_N=0
  cur=''
  line=''
  while IFS= read -r line; do
    case $line in
      'file '*)
        # the path is the rest of the line: a NetworkManager file name may hold spaces (valid_path).
        # Parameter expansions, not cut: a process per payload line cost seconds on a loaded host.
        after_space "$line"
        rest=$REPLY
        before_space "$rest"
        mode=$REPLY
        after_space "$rest"
        path=$REPLY
        case $mode in ''|*[!0-7]*) reject "bad mode" ;; esac
        valid_path "$path" || reject "path not allowed"
        IFS= read -r b64 || reject "missing content"
        parent_dir "$path"
        [ -d "$RUN/new$REPLY" ] || mkdir -p "$RUN/new$REPLY"
        printf '%s\n' "$b64" | base64 -d > "$RUN/new$path" || reject "bad base64"
        echo "$mode $path" >> "$RUN/writes"
        ;;
      'remove '*)
        after_space "$line"
        path=$REPLY
        valid_path "$path" || reject "path not allowed"
        echo "$path" >> "$RUN/removes"
        ;;
      'own '*)
        after_space "$line"
        name=$REPLY
        valid_word "$name" || reject "bad owned interface name"
        echo "$name" >> "$RUN/owns"
        ;;
      'step '*|'restore-step '*|'undo-step '*)
        set -- $line
        [ "$#" -eq 3 ] || reject "bad step line"
        valid_word "$2" && valid_word "$3" || reject "bad step name"
        n=$((n + 1))
        case $1 in
          restore-step) dir=restore-steps ;;
          undo-step) dir=undo-steps; [ -d "$RUN/undo-steps" ] || mkdir "$RUN/undo-steps" ;;
          *) dir=steps; STEPS_N=$((STEPS_N + 1)) ;;
        esac
        cur="$RUN/$dir/$(( n / 100 ))$(( n / 10 % 10 ))$(( n % 10 ))"
        printf '%s\n%s\n' "$3" "$2" > "$cur"
        ;;
      'arg '*)
        [ -n "$cur" ] || reject "arg outside a step"
        after_space "$line"
        printf '%s\n' "$REPLY" >> "$cur"
        ;;
      'script '*)
        # head reads exactly the base64 line's length: read takes a byte per system call, and these lines hold
        # some 20 KB (0.29 s a payload against 0.04 s with head, measured on the loaded CI VM)
        set -- $line
        [ "$#" -eq 3 ] || reject "bad script line"
        case $2 in restore.sh|recover.sh|hostnet-recover.service|hostnet-resume.service) ;; *) reject "bad script name" ;; esac
        case $3 in ''|*[!0-9]*) reject "bad script length" ;; esac
        head -c "$3" | base64 -d > "$RUN/$2" || reject "bad base64"
        IFS= read -r b64 && [ -z "$b64" ] || reject "bad script length"
        ;;
      end) break ;;
      *) reject "unknown payload line" ;;
    esac
  done
  [ "$line" = end ] || reject "payload truncated"
  [ -s "$RUN/restore.sh" ] || reject "payload without restore.sh"
  set +f
  STEP_BUDGET=$(( STEPS_N * (STEP_TIMEOUT + 5) ))
}

# Only what differs is backed up and written, so unchanged files keep their mtimes.
plan_changes() {
  : > "$RUN/manifest"
  : > "$RUN/changes"
  CHANGES_N=0
  # Every existing target and its new content hashed in one sha256sum, and their modes read in one stat
  # (three processes a file before). A target missing from either answer (gone meanwhile) counts as changed.
  set --
  while read -r mode path; do
    if [ -f "$R$path" ]; then set -- "$@" "$R$path" "$RUN/new$path"; fi
  done < "$RUN/writes"
  hashes=''
  modes=''
  if [ "$#" -gt 0 ]; then
    hashes="
$(sha256sum -- "$@" 2>/dev/null || true)
"
    modes="
$(stat -L -c '%a %n' -- "$@" 2>/dev/null || true)
"
  fi
  set --
  while read -r mode path; do
    listed_value "$hashes" "  $R$path"
    old=$REPLY
    listed_value "$hashes" "  $RUN/new$path"
    new=$REPLY
    listed_value "$modes" " $R$path"
    if [ -n "$old" ] && [ "$old" = "$new" ] && [ "$REPLY" = "$(printf '%o' "0$mode")" ]; then
      continue
    fi
    echo "write $mode $path" >> "$RUN/changes"
    CHANGES_N=$((CHANGES_N + 1))
  done < "$RUN/writes"
  while read -r path; do
    if [ -e "$R$path" ]; then echo "remove - $path" >> "$RUN/changes"; CHANGES_N=$((CHANGES_N + 1)); fi
  done < "$RUN/removes"
}

# Every OVS bridge's ports as 'bridge port' lines: from one chained call (ovs_bridge_chain), else bridge by bridge.
print_bridge_ports() {
  brs=''
  while read -r b; do brs="$brs $b"; done < "$RUN/ovs-bridges"
  set -- $brs
  if ovs_bridge_chain "$@"; then
    printf '%s' "$OVS_PORTS" | while read -r _ b p; do printf '%s %s\n' "$b" "$p"; done
    return 0
  fi
  for b in "$@"; do
    # a bridge gone since list-br (br-exists answers 2) has no ports to keep
    pp=$(vs list-ports "$b") || { vs br-exists "$b"; [ $? = 2 ] && continue; return 1; }
    for p in $pp; do echo "$b $p"; done
  done
}

# What exists before the run, so a restore removes only what this run created (and only names it owns).
# Fails (status 1, why in SL_WHY) when a list it takes cannot be read: a port or link missing from it would look
# like the run's own and be deleted by a restore, so the caller stops the run before it is armed.
snapshot_live() {
  SL_WHY=''
  rm -f "$RUN/ovs-down"
  if has ovs-vsctl && vs list-br > "$RUN/ovs-bridges" 2>/dev/null; then
    print_bridge_ports > "$RUN/ovs-ports" || return 1
  elif has ovs-vsctl; then
    # Installed, its database not answering: OVS not started, whose bridges the database file holds (ovs-offline.snippet.ts).
    # A server that runs and does not answer may serve another file, and a socket left by a crash is no OVS merely not
    # started: nothing read here would be sure.
    if ovsdb_server_running; then SL_WHY=': ovsdb-server runs or its socket is there, and it does not answer'; return 1; fi
    ovs_offline_read "$RUN" || { SL_WHY=': the OVS database file cannot be read'; return 1; }
    # the restore's cue: OVS was not running before the run
    echo down > "$RUN/ovs-down" || return 1
  else
    rm -f "$RUN/ovs-bridges"
  fi
  if [ -f "$RUN/ovs-bridges" ] && [ ! -f "$RUN/ovs-down" ]; then
    vs --columns=name,mtu_request --format=csv --no-headings list interface > "$RUN/ovs-mtu-requests" 2>/dev/null \
      || rm -f "$RUN/ovs-mtu-requests"
    # what a restore compares a port it adds back with (restore_ovs_membership); without it, such a port is a miss
    ovs_port_rows > "$RUN/ovs-port-rows" 2>/dev/null || rm -f "$RUN/ovs-port-rows"
  fi
  if [ -z "$R" ] && has ip; then
    # one read of the links for the three lists; ifup and nmcli only ever set an MTU a file names, and
    # enslaving a NIC sets it up, so a restore puts MTUs and down links back itself (restore.script.ts)
    sl_links=$(ip -o link show 2>/dev/null) || return 1
    printf '%s\n' "$sl_links" | sed -n -e h -e 's/^[0-9]*: \([^:@]*\).*/\1/w '"$RUN/links" \
      -e g -e 's/^[0-9]*: \([^:@]*\)[^ ]* .* mtu \([0-9]*\) .*/\1 \2/w '"$RUN/link-mtus" \
      -e g -e '/<\([^>]*,\)\{0,1\}UP[,>]/!s/^[0-9]*: \([^:@]*\).*/\1/w '"$RUN/links-down" \
      || return 1
  fi
  # The bridge netfilter switches a sysctl-bridge step sets: a restore sets them back as they were, also on a
  # first run, whose drop-in a restore deletes without unloading it. Absent while br_netfilter is not loaded.
  printf '' > "$RUN/bridge-nf" || return 1 # not ':', a special builtin whose failed redirection ends the script
  for sl_k in iptables ip6tables arptables; do
    sl_p="$R/proc/sys/net/bridge/bridge-nf-call-$sl_k"
    sl_v=''
    # procfs answers a read past offset 0 with EOF: dash, reading byte by byte, sees no newline (status 1)
    if [ -r "$sl_p" ]; then read -r sl_v < "$sl_p" || true; fi
    if [ -n "$sl_v" ]; then printf '%s %s\n' "$sl_k" "$sl_v" >> "$RUN/bridge-nf" || return 1; fi
  done
}

step_json() {
  if [ -n "$steps_json" ]; then steps_json="$steps_json,"; fi
  steps_json="$steps_json{\"name\":\"$1\",\"exitCode\":$2,\"durationMs\":$3}"
}

result() {
  # One read of the journal, no process per step (a sed per step cost seconds on a loaded host). Steps
  # run one at a time, so each step-start is closed by its step-end; a start left open never ended.
  steps_json=''
  open_step=''
  while read -r ms event sn code rest; do
    case $event in
      step-start)
        [ -z "$open_step" ] || step_json "$open_step" -1 0
        open_step=$sn
        t0=$ms
        ;;
      step-end)
        if [ "$sn" = "$open_step" ]; then
          step_json "$sn" "$code" $(( ms - t0 ))
          open_step=''
        fi
        ;;
    esac
  done < "$RUN/journal" 2>/dev/null
  [ -z "$open_step" ] || step_json "$open_step" -1 0
  changes_json=''
  while read -r kind mode path; do
    if [ -n "$changes_json" ]; then changes_json="$changes_json,"; fi
    changes_json="$changes_json{\"kind\":\"$kind\",\"path\":\"$path\"}"
  done < "$RUN/changes"
  out=''
  if [ -s "$RUN/failed-output" ]; then out=$(base64 < "$RUN/failed-output" | tr -d '\n'); fi
  if [ -s "$RUN/write.err" ] && [ -z "$out" ]; then out=$(tail -c 2000 "$RUN/write.err" | base64 | tr -d '\n'); fi
  deadline_value
  answer "{\"status\":\"$1\",\"runId\":\"$run\",\"failed\":\"$failed_what\",\"phase\":\"$(state_field phase)\",\"mechanism\":\"$mech\",\"deadline\":$REPLY,\"steps\":[$steps_json],\"changes\":[$changes_json],\"outputBase64\":\"$out\"}"
}
`;
