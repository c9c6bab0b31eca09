/**
 * Prints the live network sections (`ip -j` and OVS), shared by the facts and verify scripts so both
 * see the host through exactly the same commands.
 */
export const LIVE_STATE_SNIPPET = String.raw`
sec() {
  printf '\n@@hostnet:%s\n' "$1"
}

# print_ports BRIDGE: one 'port B P' line per port of the bridge.
print_ports() {
  for p in $(vs list-ports "$1"); do printf 'port %s %s\n' "$1" "$p"; done
}

# print_ovs_bridges BRIDGE...: one 'bridge B parent vlan [datapath_type]' line and its 'port B P' lines per
# bridge. Each bridge's parent and VLAN, and every real bridge's datapath type, come from one chained
# ovs-vsctl call each (a call a query cost four per bridge); a chain that fails (a bridge went away
# meanwhile) falls back to asking bridge by bridge.
print_ovs_bridges() {
  [ "$#" -gt 0 ] || return 0
  brs=$*
  set --
  n=0
  for b in $brs; do set -- "$@" -- br-to-parent "$b" -- br-to-vlan "$b"; n=$((n + 2)); done
  pv=$(vs "$@" 2>/dev/null) || pv=''
  set -- $pv
  if [ "$#" -ne "$n" ]; then
    for b in $brs; do
      printf 'bridge %s %s %s %s\n' "$b" "$(vs br-to-parent "$b")" "$(vs br-to-vlan "$b")" \
        "$(vs get bridge "$b" datapath_type 2>/dev/null || true)"
      print_ports "$b"
    done
    return 0
  fi
  rows=''
  gets=''
  for b in $brs; do
    rows="$rows$b $1 $2
"
    if [ "$1" = "$b" ]; then gets="$gets -- get bridge $b datapath_type"; fi
    shift 2
  done
  dps=''
  if [ -n "$gets" ]; then dps=$(vs $gets 2>/dev/null || true); fi
  set -- $dps
  printf '%s' "$rows" | while read -r b parent vlan; do
    dp=''
    if [ "$parent" = "$b" ] && [ "$#" -gt 0 ]; then dp=$1; shift; fi
    printf 'bridge %s %s %s %s\n' "$b" "$parent" "$vlan" "$dp"
    print_ports "$b"
  done
}

print_live() {
  sec ip-link
  ip -j -d link show 2>/dev/null || echo '[]'
  sec ip-addr
  ip -j addr show 2>/dev/null || echo '[]'
  sec ip-route
  ip -j route show 2>/dev/null || echo '[]'
  if has ovs-vsctl && brs=$(vs list-br 2>/dev/null); then
    sec ovs
    print_ovs_bridges $brs
    vs -f csv --data=bare --no-headings --columns=name,interfaces list port | sed 's/^/portrow /'
    vs -f csv --data=bare --no-headings --columns=_uuid,name list interface | sed 's/^/iface /'
    vs -f csv --data=bare --no-headings --columns=name,bond_mode,lacp,tag,other_config list port | sed 's/^/portcfg /'
    vs -f csv --data=bare --no-headings --columns=name,type,other_config,options list interface | sed 's/^/ifacecfg /'
  fi
  sec state
  if [ -f "$S/state.json" ]; then cat "$S/state.json"; fi
}
`;
