/**
 * One chained ovs-vsctl read of every bridge's parent, VLAN and ports, shared by what facts and verify
 * print (live-state.snippet.ts) and by what apply records before it changes anything (apply-payload.snippet.ts),
 * so both read the same answer the same way.
 */
export const OVS_BRIDGE_CHAIN_SNIPPET = String.raw`
# ovs_bridge_chain BRIDGE...: OVS_ROWS gets a 'B parent vlan' line and OVS_PORTS a 'port B P' line per port,
# for every bridge, from one ovs-vsctl call. The answer is read bridge by bridge: its parent (a bridge), its
# VLAN, then its ports up to the next line that names a bridge, which list-ports never prints (OVS keeps one
# namespace for ports and bridges' own ports; a fake bridge's port belongs to the fake bridge). Returns 1 on
# an answer of any other shape (a bridge went away meanwhile): the caller asks bridge by bridge.
ovs_bridge_chain() {
  OVS_ROWS=''
  OVS_PORTS=''
  [ "$#" -gt 0 ] || return 0
  oc_brs=$*
  set --
  for b in $oc_brs; do set -- "$@" -- br-to-parent "$b" -- br-to-vlan "$b" -- list-ports "$b"; done
  oc_out=$(vs "$@" 2>/dev/null) || oc_out=''
  [ -n "$oc_out" ] || return 1
  set -- $oc_brs
  oc_want=parent
  while IFS= read -r oc_line; do
    if [ "$oc_want" = ports ]; then
      case " $oc_brs " in
        *" $oc_line "*) oc_want=parent ;;
        *) OVS_PORTS="$OVS_PORTS""port $oc_cur $oc_line
"; continue ;;
      esac
    fi
    if [ "$oc_want" = parent ]; then
      [ "$#" -gt 0 ] || return 1
      oc_cur=$1
      shift
      oc_parent=$oc_line
      oc_want=vlan
    else
      case $oc_line in '' | *[!0-9]*) return 1 ;; esac
      OVS_ROWS="$OVS_ROWS$oc_cur $oc_parent $oc_line
"
      oc_want=ports
    fi
  done <<HOSTNET_OVS_CHAIN
$oc_out
HOSTNET_OVS_CHAIN
  [ "$#" -eq 0 ] && [ "$oc_want" = ports ]
}
`;
