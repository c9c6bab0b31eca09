/**
 * What a restore puts back of the OVS port membership the run found: a port row only conf.db held (an operator's
 * `ovs-vsctl add-port cloudbr0 eth0`, no file names it) is gone for good once an activation's ifdown hook runs
 * `del-port` on it, and neither the restored files nor the planner's undo (which knows only the ports its own steps
 * delete) makes it again: on a management bridge the host is cut off. Each port hostnet owns that the snapshot
 * ($RUN/ovs-ports) shows on a bridge is checked after the steps: on no bridge while its device exists, it is added
 * back (membership only: the snapshot holds no settings, and a plain port row is what the operator's add-port
 * made); anything else that differs (on another bridge, its device or bridge gone, OVS not answering) is a miss, so
 * the journal never says `restored` while the membership differs from the snapshot. Ports hostnet does not own (a
 * VM's tap that left with its VM) are not the run's to put back. Uses journal and miss from the restore.
 */
export const OVS_MEMBERSHIP_RESTORE_SNIPPET = String.raw`
restore_ovs_membership() {
  [ -f "$RUN/ovs-ports" ] && [ ! -f "$RUN/ovs-down" ] && journal_has step-start || return 0
  while read -r om_b om_p; do
    valid_word "$om_b" && valid_word "$om_p" && owned "$om_p" || continue
    om_now=$(vs port-to-br "$om_p" 2>/dev/null) || om_now=''
    [ "$om_now" != "$om_b" ] || continue
    if [ -z "$om_now" ] && ip link show dev "$om_p" > /dev/null 2>&1 && vs br-exists "$om_b" 2>/dev/null \
      && vs --no-wait --may-exist add-port "$om_b" "$om_p" 2>/dev/null; then
      journal restored-port "$om_b" "$om_p"
    else
      [ -n "$om_now" ] || om_now=none
      miss ovs-port "$om_b" "$om_p" "now:$om_now"
    fi
  done < "$RUN/ovs-ports"
}
`;
