/**
 * Prints the live network sections (`ip -j` and OVS), shared by the facts and verify scripts so both
 * see the host through exactly the same commands.
 */
export const LIVE_STATE_SNIPPET = String.raw`
sec() {
  printf '\n@@hostnet:%s\n' "$1"
}

print_live() {
  sec ip-link
  ip -j -d link show 2>/dev/null || echo '[]'
  sec ip-addr
  ip -j addr show 2>/dev/null || echo '[]'
  sec ip-route
  ip -j route show 2>/dev/null || echo '[]'
  if has ovs-vsctl && vs list-br >/dev/null 2>&1; then
    sec ovs
    for b in $(vs list-br); do
      printf 'bridge %s %s %s %s\n' "$b" "$(vs br-to-parent "$b")" "$(vs br-to-vlan "$b")" \
        "$(vs get bridge "$b" datapath_type 2>/dev/null || true)"
      for p in $(vs list-ports "$b"); do printf 'port %s %s\n' "$b" "$p"; done
    done
    vs -f csv --data=bare --no-headings --columns=name,interfaces list port | sed 's/^/portrow /'
    vs -f csv --data=bare --no-headings --columns=_uuid,name list interface | sed 's/^/iface /'
    vs -f csv --data=bare --no-headings --columns=name,bond_mode,lacp,tag,other_config list port | sed 's/^/portcfg /'
    vs -f csv --data=bare --no-headings --columns=name,type,other_config,options list interface | sed 's/^/ifacecfg /'
  fi
  sec state
  if [ -f "$S/state.json" ]; then cat "$S/state.json"; fi
}
`;
