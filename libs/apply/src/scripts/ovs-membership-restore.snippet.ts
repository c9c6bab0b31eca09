/**
 * The settings a port row holds that a restore compares a port it adds back with, as 'port CSV' and 'interface
 * CSV' lines (the name first): every row's (the apply's snapshot) or one name's, in one ovs-vsctl call (it prints
 * a blank line between the two tables). Only columns OVS 2.5 (CentOS 7) has already, and none vswitchd writes
 * itself; mtu_request is put back apart (restore_link_state).
 */
export const OVS_PORT_ROWS_SNIPPET = String.raw`
ovs_port_rows() {
  opr=$(vs --format=csv --no-headings --columns=name,tag,trunks,vlan_mode,qos,mac,bond_mode,lacp,bond_updelay,bond_downdelay,bond_fake_iface,other_config,external_ids list port "$@" \
    -- --columns=name,type,options,ingress_policing_rate,ingress_policing_burst,mac,ofport_request,other_config,external_ids list interface "$@") || return 1
  [ -n "$opr" ] || return 0
  opr_t=port
  printf '%s\n' "$opr" | while IFS= read -r opr_l; do
    if [ -z "$opr_l" ]; then opr_t=interface; else printf '%s %s\n' "$opr_t" "$opr_l"; fi
  done
}
`;

/**
 * What a restore puts back of the OVS port membership the run found: a port row only conf.db held (an operator's
 * `ovs-vsctl add-port cloudbr0 eth0`, no file names it) is gone for good once an activation's ifdown hook runs
 * `del-port` on it, and neither the restored files nor the planner's undo (which knows only the ports its own steps
 * delete) makes it again: on a management bridge the host is cut off. Each port hostnet owns that the snapshot
 * ($RUN/ovs-ports) shows on a bridge is checked after the steps: on no bridge while its device exists, it is added
 * back, and its row compared with the snapshot's ($RUN/ovs-port-rows): a tag, trunk or other setting the plain
 * add-port could not give back is a miss (the membership, which keeps the host reachable, stays). Anything else that
 * differs (on another bridge, its device or bridge gone, OVS not answering) is a miss too, so the journal never says
 * `restored` while the membership differs from the snapshot. Ports hostnet does not own (a VM's tap that left with
 * its VM) are not the run's to put back. Uses journal and miss from the restore.
 */
export const OVS_MEMBERSHIP_RESTORE_SNIPPET =
  OVS_PORT_ROWS_SNIPPET +
  String.raw`
# ovs_row_was NAME: the snapshot's port and interface lines for NAME (its CSV name bare or quoted), in REPLY.
ovs_row_was() {
  REPLY=''
  [ -f "$RUN/ovs-port-rows" ] || return 0
  while IFS= read -r orw_l; do
    case $orw_l in
      "port $1,"* | "port \"$1\","* | "interface $1,"* | "interface \"$1\","*) REPLY="$REPLY$orw_l
" ;;
    esac
  done < "$RUN/ovs-port-rows"
}

restore_ovs_membership() {
  [ -f "$RUN/ovs-ports" ] && [ ! -f "$RUN/ovs-down" ] && journal_has step-start || return 0
  while read -r om_b om_p; do
    valid_word "$om_b" && valid_word "$om_p" && owned "$om_p" || continue
    om_now=$(vs port-to-br "$om_p" 2>/dev/null) || om_now=''
    [ "$om_now" != "$om_b" ] || continue
    if [ -z "$om_now" ] && ip link show dev "$om_p" > /dev/null 2>&1 && vs br-exists "$om_b" 2>/dev/null \
      && vs --no-wait --may-exist add-port "$om_b" "$om_p" 2>/dev/null; then
      ovs_row_was "$om_p"
      om_was=$REPLY
      if [ -n "$om_was" ] && [ "$(ovs_port_rows "$om_p" 2>/dev/null)
" = "$om_was" ]; then
        journal restored-port "$om_b" "$om_p"
      else
        miss ovs-port-settings "$om_b" "$om_p" "re-added without the settings $RUN/ovs-port-rows holds for it: set them back by hand"
      fi
    else
      [ -n "$om_now" ] || om_now=none
      miss ovs-port "$om_b" "$om_p" "now:$om_now"
    fi
  done < "$RUN/ovs-ports"
}
`;
