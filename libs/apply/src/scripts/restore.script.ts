import { OVS_BRIDGE_CHAIN_SNIPPET } from './ovs-bridge-chain.snippet';
import { OVS_OFFLINE_SNIPPET } from './ovs-offline.snippet';
import { OVS_MEMBERSHIP_RESTORE_SNIPPET } from './ovs-membership-restore.snippet';
import { COMMON_SNIPPET } from './common.snippet';

/**
 * What a restore asks before it removes a link or bridge the run created: does hostnet own the name (the
 * run's owns list, names matched whole, never as a pattern), and what does it not own that hangs off it.
 */
export const LINK_OWNERSHIP_SNIPPET = String.raw`
owned() {
  grep -qxF "$1" "$RUN/owns"
}

# link_names [ARGS]: the names of the links ip lists (with ARGS: those, e.g. master BR), one per line.
link_names() {
  ip -o link show "$@" 2>/dev/null | sed -n "s/^[0-9]*: \([^:@]*\).*/\1/p"
}

# foreign_on_link L: devices hostnet does not own enslaved to L or stacked on it (a VM's tap, a VLAN the
# agent made), in REPLY: deleting L would take them along. ovs-system is the kernel's, there while OVS lets
# go of a port the run made.
foreign_on_link() {
  REPLY=''
  for fd in $(link_names master "$1") $(ls "/sys/class/net/$1" 2>/dev/null | sed -n "s/^upper_//p"); do
    [ "$fd" = ovs-system ] || owned "$fd" || REPLY="$REPLY $fd"
  done
}
`;

/**
 * What a restore asks before it deletes an OVS bridge the run created: a real bridge's del-br takes the fake
 * bridges on it along, with their ports (ovs-vsctl lists those under the fake bridge, not the real one).
 */
export const OVS_OWNERSHIP_SNIPPET =
  OVS_BRIDGE_CHAIN_SNIPPET +
  String.raw`
# ovs_fake_bridges: "FAKE PARENT" lines in $RUN/ovs-fakes-now, every parent from one chained call (ovs_bridge_chain),
# else bridge by bridge; fakes_unreadable set when a parent cannot be read. Resets gone (the bridges deleted since).
ovs_fake_bridges() {
  fakes_unreadable=''
  gone=' '
  : > "$RUN/ovs-fakes-now"
  ofb_all=$(vs list-br 2>/dev/null) || ofb_all=''
  if ovs_bridge_chain $ofb_all; then
    printf '%s' "$OVS_ROWS" | while read -r fb fp _; do [ "$fp" = "$fb" ] || echo "$fb $fp"; done >> "$RUN/ovs-fakes-now"
    return 0
  fi
  for fb in $ofb_all; do
    fp=$(vs br-to-parent "$fb" 2>/dev/null) || { fakes_unreadable=1; continue; }
    [ "$fp" = "$fb" ] || echo "$fb $fp" >> "$RUN/ovs-fakes-now"
  done
}

# fake_parent B: true when B is a fake bridge.
fake_parent() {
  while read -r fb fp; do [ "$fb" != "$1" ] || return 0; done < "$RUN/ovs-fakes-now"
  return 1
}

# ovs_foreign B: what hostnet does not own on bridge B and on the fake bridges on it still there (the fake bridges
# themselves included), in REPLY; fails when a port list cannot be read.
ovs_foreign() {
  REPLY=''
  of_on=$1
  while read -r fb fp; do
    case $gone in *" $fb "*) continue ;; esac
    [ "$fp" != "$1" ] || of_on="$of_on $fb"
  done < "$RUN/ovs-fakes-now"
  for fb in $of_on; do
    [ "$fb" = "$1" ] || owned "$fb" || REPLY="$REPLY $fb"
    of_ports=$(vs list-ports "$fb" 2>/dev/null) || return 1
    for fp in $of_ports; do owned "$fp" || REPLY="$REPLY $fp"; done
  done
}
`;

/**
 * What a restore puts back of the links' own state besides their files: MTUs (the restored files may name
 * none, and nothing else would lower a raised one) and down links (enslaving a NIC sets it up, and neither
 * the restored files nor deleting the run's bond takes it back down). Only on links hostnet owns: a VM's tap
 * caught down at the snapshot (its VM starting) or a tap name reused since is not the run's to change.
 * Uses journal and miss from the restore.
 */
export const LINK_STATE_RESTORE_SNIPPET = String.raw`
restore_link_state() {
  # OVS first (its mtu_request drives the kernel MTU of its ports), then each link that still exists, twice,
  # because a VLAN or bridge port cannot exceed its parent until the parent is back.
  if [ -f "$RUN/ovs-mtu-requests" ] && has ovs-vsctl; then
    while IFS=, read -r name want; do
      name=$(echo "$name" | tr -d '"'); valid_word "$name" && owned "$name" || continue
      now=$(vs --if-exists get interface "$name" mtu_request 2>/dev/null) || continue
      [ -n "$now" ] && [ "$now" != "$want" ] || continue
      if [ "$want" = '[]' ]; then vs --no-wait clear interface "$name" mtu_request; else vs --no-wait set interface "$name" "mtu_request=$want"; fi \
        && journal restored-mtu-request "$name" "$want" || miss mtu-request "$name"
    done < "$RUN/ovs-mtu-requests"
  fi
  if [ -f "$RUN/link-mtus" ] && has ip; then
    for pass in 1 2; do
      while read -r l want; do
        valid_word "$l" && owned "$l" || continue
        now=$(ip -o link show dev "$l" 2>/dev/null | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
        [ -n "$now" ] && [ "$now" != "$want" ] || continue
        if ip link set dev "$l" mtu "$want" 2>/dev/null; then journal restored-mtu "$l" "$want"; elif [ "$pass" = 2 ]; then miss mtu "$l" "$want"; fi
      done < "$RUN/link-mtus"
    done
  fi
  if [ -f "$RUN/links-down" ] && has ip; then
    while read -r l; do
      valid_word "$l" && owned "$l" || continue
      flags=$(ip -o link show dev "$l" 2>/dev/null) || continue
      case $flags in
        *'<UP,'*|*',UP,'*|*',UP>'*|*'<UP>'*) if ip link set dev "$l" down 2>/dev/null; then journal restored-down "$l"; else miss down "$l"; fi ;;
      esac
    done < "$RUN/links-down"
  fi
}
`;

/**
 * Restores one run. Usage: `sh restore.sh <runDir> watch|now|resume|boot|early|up <why>`.
 * - watch: the armed rollback timer. Re-reads the deadline on disk every second (the apply script moves
 *   it to "last step ended + rollback seconds", the controller extends it while it verifies) and exits
 *   as soon as the run is no longer armed (confirmed).
 * - now: a failed step, write or verification; resume: a run found dead or half-restored; boot: the same from the
 *   boot hook, before the network and its daemons: what it cannot do yet is left for later (restore-deferred);
 *   early: the same before network-pre.target (the systemd boot unit), files only: its steps are left to up;
 *   up: the boot hook once the daemons are up, deferring the same way (recover.snippet.ts tries it again).
 * It stops the run's processes first (now: once it holds the run lock), then under the lock puts back the
 * backed-up files, removes only the interfaces this run created and owns (never VM taps or the agent's
 * bridges), re-runs the planner's undo steps and the restore activation, journaling every effect.
 */
export const RESTORE_SCRIPT =
  'set -u\n' +
  COMMON_SNIPPET +
  String.raw`
RUN=$1
MODE=$2
set +u
WHY=$3
set -u
run=$(basename "$RUN")
STEP_TIMEOUT=120
read -r STEP_TIMEOUT 2>/dev/null < "$RUN/step-timeout" || true
case $STEP_TIMEOUT in ''|*[!0-9]*) STEP_TIMEOUT=120 ;; esac
armed_here() {
  state_value runId
  [ "$REPLY" = "$run" ] || return 1
  state_value phase
  [ "$REPLY" = armed ]
}

# The watcher follows the time since boot (deadline_left), not the wall clock: an NTP step back must not keep a
# broken network an hour longer, nor one forward roll back a run the controller is still verifying. Reads of
# /proc and the run's files each second, no date process (the wall clock only for a deadline without its line 2).
watch_deadline() {
  while armed_here; do
    deadline_left
    [ "$REPLY" -gt 0 ] || break
    sleep 1
  done
}
if [ "$MODE" = watch ]; then
  record_self "$RUN/timer.pid"
  watch_deadline
  armed_here || exit 0
fi

stop_pid() {
  if alive "$1"; then
    read -r p rest < "$1"
    kill -s "$2" "$p" 2>/dev/null || true
  fi
}
# stop_step PIDFILE: the step recorded there, asked to end, then killed after 10 s.
stop_step() {
  stop_pid "$1" TERM
  n=0
  while alive "$1" && [ "$n" -lt 10 ]; do sleep 1; n=$((n + 1)); done
  stop_pid "$1" KILL
}
# The timer stops a hung apply and its step before it takes the lock, which the apply holds while a step runs; a
# restore's steps record their pids apart, so it never stops one of those: a rollback the controller started at
# once (now) runs its steps under the lock, and the timer waits for it. Under the lock, any step still running is
# one a dead apply or restore left.
if [ "$MODE" != now ]; then stop_pid "$RUN/apply.pid" KILL; fi
if [ "$MODE" = watch ]; then stop_step "$RUN/step.pid"; fi
lock 600 || exit 1
# A verify that held the lock while the deadline passed has moved it on: the run is watched again, not rolled back.
if [ "$MODE" = watch ]; then
  while armed_here && deadline_left && [ "$REPLY" -gt 0 ]; do
    unlock
    watch_deadline
    armed_here || exit 0
    lock 600 || exit 1
  done
fi
stop_step "$RUN/step.pid"
stop_step "$RUN/restore-step.pid"
phase=$(state_field phase)
if [ "$(state_field runId)" != "$run" ] || { [ "$phase" != armed ] && [ "$phase" != rolling-back ]; }; then
  unlock
  echo "hostnet restore: run $run is not armed; nothing to do"
  exit 0
fi
set_phase rolling-back "$(state_field deadline)"
journal restore-start "$MODE" "$WHY"
incomplete=''
miss() {
  incomplete=1
  journal restore-failed "$@"
}

# Only files the run began to write are put back: the others were never touched.
while read -r kind path; do
  journal_line "writing $path" || continue
  # the temp copy the write makes beside its file (apply.script.ts), left when the run stopped before the rename
  parent_dir "$path"
  rm -f "$R$REPLY/.hostnet-$run.tmp"
  case $kind in
    saved)
      mkdir -p "$(dirname "$R$path")" && cp -p "$RUN/files$path" "$R$path.hostnet-restore" \
        && flush "$R$path.hostnet-restore" && mv -f "$R$path.hostnet-restore" "$R$path" \
        || { rm -f "$R$path.hostnet-restore"; miss file "$path"; continue; }
      ;;
    absent)
      rm -f "$R$path" || { miss file "$path"; continue; }
      ;;
  esac
  journal restored-file "$path"
done < "$RUN/manifest"
# Directories the run made for its new files, deepest first, each only if nothing is left in it.
if [ -f "$RUN/new-dirs" ]; then
  sort -r -u "$RUN/new-dirs" | while read -r d; do rmdir "$R$d" 2>/dev/null || true; done
fi

` +
  LINK_OWNERSHIP_SNIPPET +
  OVS_OWNERSHIP_SNIPPET +
  OVS_OFFLINE_SNIPPET +
  OVS_MEMBERSHIP_RESTORE_SNIPPET +
  LINK_STATE_RESTORE_SNIPPET +
  String.raw`
# ovs_offline_unchanged: the database file, read without a server, holds no bridge or port hostnet owns beyond those
# it held at the snapshot (OVS was down then): the run made nothing in it.
ovs_offline_unchanged() {
  mkdir -p "$RUN/ovs-now" && ovs_offline_read "$RUN/ovs-now" || return 1
  while read -r ou_b; do
    owned "$ou_b" && ! grep -qxF "$ou_b" "$RUN/ovs-bridges" && return 1
  done < "$RUN/ovs-now/ovs-bridges"
  while read -r ou_b ou_p; do
    owned "$ou_p" && ! grep -qxF "$ou_b $ou_p" "$RUN/ovs-ports" && return 1
  done < "$RUN/ovs-now/ovs-ports"
  return 0
}

# OVS: drop only the bridges and ports this run added and owns; a bridge that meanwhile holds a port
# hostnet does not own (a VM's tap) is kept and said so. The only place that deletes a bridge the run made: the
# planner's undo steps do not, so none takes a VM's tap along. The run's steps began and the database does not
# answer now (at boot, before ovsdb-server starts): a miss, not a bridge list without the run's own; unless OVS was
# down at the snapshot too (ovs-down) and its database file holds nothing the run made: then there is nothing to undo.
if [ -f "$RUN/ovs-bridges" ] && journal_has step-start && ! vs list-br > /dev/null 2>&1; then
  if [ ! -f "$RUN/ovs-down" ] || ! ovs_offline_unchanged; then miss ovs list-br; fi
elif [ -f "$RUN/ovs-bridges" ]; then
  for b in $(vs list-br 2>/dev/null); do
    for p in $(vs list-ports "$b" 2>/dev/null); do
      if ! grep -qxF "$b $p" "$RUN/ovs-ports" && owned "$p"; then
        vs --no-wait --if-exists del-port "$b" "$p" && journal removed-port "$b" "$p" || miss port "$b" "$p"
      fi
    done
  done
  made=''
  for b in $(vs list-br 2>/dev/null); do
    if ! grep -qxF "$b" "$RUN/ovs-bridges" && owned "$b"; then made="$made $b"; fi
  done
  if [ -n "$made" ]; then
    ovs_fake_bridges
    # fake bridges first: the del-br of a real bridge takes the fake bridges on it along
    for pass in fake real; do
      for b in $made; do
        if fake_parent "$b"; then [ "$pass" = fake ] || continue; else [ "$pass" = real ] || continue; fi
        # a list that cannot be read keeps the bridge: it may hold a VM's tap
        if [ "$pass" = real ] && [ -n "$fakes_unreadable" ]; then
          journal kept-bridge "$b" "fake bridges unreadable"
        elif ! ovs_foreign "$b"; then
          journal kept-bridge "$b" "ports unreadable"
        elif [ -n "$REPLY" ]; then
          journal kept-bridge "$b" "ports$REPLY"
        else
          vs --no-wait --if-exists del-br "$b" && { gone="$gone$b "; journal removed-bridge "$b"; } || miss bridge "$b"
        fi
      done
    done
  fi
  # Down before the run, running now (an activation started it). A restore does not stop it: its daemons serve every
  # bridge on the host, those the database held before the run included, and whatever joined them since (a VM's tap,
  # the agent's bridge); ovs-vswitchd's exit (ovs-ctl stop) leaves the kernel datapath and its ports behind, so no
  # stop puts the live state back as it was; and the unit (openvswitch, openvswitch-switch, ovs-ctl) and who started
  # it (the run's activation, an operator) differ from host to host. Left running, and the journal says so.
  if [ -f "$RUN/ovs-down" ] && journal_has step-start; then
    journal kept-ovs "running: it was down before the run and a restore does not stop it (every bridge on the host shares it); stop it once nothing uses it"
  fi
fi

# Linux links this run created and owns: no restored file names them, so no activation would take
# them down, and one left up keeps the management address and its route (seen on real hosts).
kept_links=''
if [ -f "$RUN/links" ] && has ip; then
  for l in $(link_names); do
    if ! grep -qxF "$l" "$RUN/links" && owned "$l"; then
      foreign_on_link "$l"
      if [ -n "$REPLY" ]; then
        journal kept-link "$l" "devices$REPLY"
        kept_links="$kept_links $l"
        continue
      fi
      # gone meanwhile counts as removed: an OVS bridge dropped above leaves its port device to ovs-vswitchd
      { ip link del "$l" 2>/dev/null || ! ip link show dev "$l" >/dev/null 2>&1; } && journal removed-link "$l" || miss link "$l"
      rm -f "$R/run/network/ifstate.$l"
      if [ -f "$R/run/network/ifstate" ]; then sed -i "/^$l=/d" "$R/run/network/ifstate"; fi
    fi
  done
fi

# kept_excluded STEP: REPLY is the step file to run. ifupdown2's ifreload downs (and so deletes) every interface
# gone from the files since it brought it up, a kept link with the VM taps on it included: those are excluded.
kept_excluded() {
  REPLY=$1
  [ -n "$kept_links" ] && [ "$(sed -n 3p "$1")" = ifreload ] || return 0
  { cat "$1" && for k in $kept_links; do printf -- '-X\n%s\n' "$k"; done; } > "$RUN/kept-step" && REPLY="$RUN/kept-step"
}

# NetworkManager deletes a bridge or bond it made once its profile is gone and reloaded, with the VM taps on it: a
# kept link it manages is out of its hands while the steps run, and handed back after them (it then holds the device
# with no profile: bridge and taps stay). Seen on the lab's real NetworkManager. A link it leaves alone (an ifupdown
# or networkd bridge, an unmanaged device) is not touched: handing it back would give it to NetworkManager.
nm_held=''
if [ -n "$kept_links" ] && [ "$MODE" != early ] && has nmcli && journal_has step-start; then
  nm=nmcli
  if has timeout; then nm='timeout 10 nmcli'; fi
  for k in $kept_links; do
    nm_state=$($nm -g GENERAL.STATE device show "$k" 2>/dev/null) || continue
    case $nm_state in ''|'10 '*|*'(unmanaged)'*) continue ;; esac
    if $nm device set "$k" managed no > /dev/null 2>&1; then nm_held="$nm_held $k"; journal_note unmanaged-link "$k"; fi
  done
fi

# Re-activation only when the run activated anything: restored files alone need none. Not before the network
# (early): the boot's own network start brings the restored files up, and the boot hook's up runs these steps.
if [ "$MODE" = early ] && journal_has step-start; then miss steps before-network; fi
for f in "$RUN"/undo-steps/* "$RUN"/restore-steps/*; do
  [ "$MODE" != early ] || break
  case $f in *.log) continue ;; esac
  journal_has step-start || break
  if [ -f "$f" ]; then
    IFS= read -r sname < "$f"
    kept_excluded "$f"
    run_step "$REPLY" "$RUN/restore-step.pid" > "$f.log" 2>&1 && journal restored-step "$sname" || miss step "$sname" "$?"
  fi
done

for k in $nm_held; do
  $nm device set "$k" managed yes > /dev/null 2>&1 && journal_note managed-link "$k" || miss nm-managed "$k"
done
# after the steps: a restore activation's own ifdown may take a port off again (its hook's del-port)
[ "$MODE" = early ] || restore_ovs_membership
[ "$MODE" = early ] || restore_link_state

# The bridge netfilter switches the run's sysctl-bridge step set to its drop-in's 0, as they were: a restored
# (or deleted) drop-in does not set them back. Only after that step started, and only a switch still at 0: one
# set otherwise since (an operator, a container runtime) is not the run's to undo.
if [ -f "$RUN/bridge-nf" ] && journal_line 'step-start sysctl-bridge'; then
  while read -r k want; do
    case $k in iptables|ip6tables|arptables) ;; *) continue ;; esac
    case $want in 0|1) ;; *) continue ;; esac
    p="$R/proc/sys/net/bridge/bridge-nf-call-$k"
    now=''
    if [ -r "$p" ]; then read -r now < "$p" || true; fi # no newline for dash from procfs (apply-payload.snippet.ts)
    [ "$now" = 0 ] && [ "$want" != 0 ] || continue
    if echo "$want" 2>/dev/null > "$p"; then journal restored-sysctl "bridge-nf-call-$k" "$want"; else miss sysctl "bridge-nf-call-$k"; fi
  done < "$RUN/bridge-nf"
fi

# At boot the restore runs before the network and its daemons (ovsdb-server, NetworkManager): the files are
# back, and what it could not do is done once they are up (the boot hook's up) or at the next contact, either of
# which resumes a run left rolling-back.
if [ -n "$incomplete" ] && { [ "$MODE" = boot ] || [ "$MODE" = early ] || [ "$MODE" = up ]; }; then
  journal restore-deferred
  unlock
  exit 0
fi
now_ms
set_phase rolled-back "$(( NOW_MS / 1000 ))"
if [ -n "$incomplete" ]; then journal restore-incomplete; else journal restored; fi
unlock
echo "hostnet restore: run $run rolled back$(if [ -n "$incomplete" ]; then echo ' (incomplete, see journal)'; fi)"
`;
