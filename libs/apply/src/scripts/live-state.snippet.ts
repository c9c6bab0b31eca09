import { OVS_BRIDGE_CHAIN_SNIPPET } from './ovs-bridge-chain.snippet';

/**
 * Prints the live network sections (`ip -j`, or an older ip's one-line text, and OVS), shared by the facts and verify scripts so both
 * see the host through exactly the same commands.
 */
export const LIVE_STATE_SNIPPET =
  OVS_BRIDGE_CHAIN_SNIPPET +
  String.raw`
sec() {
  printf '\n@@hostnet:%s\n' "$1"
}

# print_file FILE: FILE's lines (a small one: os-release, state.json) by the shell's read, not a cat process.
print_file() {
  while IFS= read -r pf_line || [ -n "$pf_line" ]; do printf '%s\n' "$pf_line"; done < "$1"
}

# prefix_lines WORD: each line of stdin after WORD and a space, without a sed process.
prefix_lines() {
  while IFS= read -r pf_line || [ -n "$pf_line" ]; do printf '%s %s\n' "$1" "$pf_line"; done
}

# print_ports BRIDGE: one 'port B P' line per port of the bridge.
print_ports() {
  for p in $(vs list-ports "$1"); do printf 'port %s %s\n' "$1" "$p"; done
}

# print_ovs_bridges BRIDGE...: one 'bridge B parent vlan' line and its 'port B P' lines per bridge, from one
# chained call (ovs_bridge_chain); a real bridge's datapath type is read from its Bridge row (print_ovs_tables).
# When the chain's answer does not read, bridge by bridge.
print_ovs_bridges() {
  [ "$#" -gt 0 ] || return 0
  if ! ovs_bridge_chain "$@"; then
    for b in "$@"; do
      printf 'bridge %s %s %s\n' "$b" "$(vs br-to-parent "$b")" "$(vs br-to-vlan "$b")"
      print_ports "$b"
    done
    return 0
  fi
  printf '%s' "$OVS_ROWS" | while read -r b parent vlan; do
    printf 'bridge %s %s %s\n' "$b" "$parent" "$vlan"
    while read -r _ pb pp; do
      if [ "$pb" = "$b" ]; then printf 'port %s %s\n' "$b" "$pp"; fi
    done <<HOSTNET_OVS_PORTS
$OVS_PORTS
HOSTNET_OVS_PORTS
  done
}

# print_ovs_tables: every Bridge, Port and Interface row, whole, after an 'ovstables' line, as ovs-vsctl prints
# them: each table's first line its heading (columns are found by name, whatever columns this OVS has: before
# 2.6 no mtu_request, later ones more; a column the controller does not know is seen, not skipped), a blank
# line before every table after the first. One ovs-vsctl call, printed as it came: its lines are never blank (a
# newline in a value is printed escaped), so the parser tells the tables apart; read line by line here, 200 VM
# taps' rows (160 kB) cost 0.3 s. An ovs-vsctl that prints no such separator gets a call per table, each line
# after its table's word ('ovsbridge', 'ovsport', 'ovsiface'). In ovs-vsctl's default data format: --data=bare
# prints a map's pairs joined by spaces and strings raw, so a value would not read back.
print_ovs_tables() {
  ot=$(vs -f csv -- list bridge -- list port -- list interface 2>/dev/null) || ot=''
  ot_nl='
'
  case $ot in
    *"$ot_nl$ot_nl"*"$ot_nl$ot_nl"*)
      printf 'ovstables\n%s\n' "$ot"
      return 0
      ;;
  esac
  vs -f csv list bridge | prefix_lines ovsbridge
  vs -f csv list port | prefix_lines ovsport
  vs -f csv list interface | prefix_lines ovsiface
}

print_live() {
  sec ip-link
  if ip -j -d link show 2>/dev/null; then
    sec ip-addr
    ip -j addr show 2>/dev/null || echo '[]'
    sec ip-route
    ip -j route show 2>/dev/null || echo '[]'
  else
    # iproute2 before 4.14 (CentOS 7's 4.11) has no -j: its one-line text, read into the same live state
    # (ip-text.parser.ts); what it printed instead goes with it, so an ip that reads as neither is named
    sec ip-version
    ip -V 2>&1 || true
    sec ip-text-link
    ip -o -d link show 2>&1 || true
    sec ip-text-addr
    ip -o addr show 2>&1 || true
    sec ip-text-route
    ip -4 route show 2>&1 || true
  fi
  if has ovs-vsctl && brs=$(vs list-br 2>/dev/null); then
    sec ovs
    print_ovs_bridges $brs
    print_ovs_tables
  fi
  sec state
  if [ -f "$S/state.json" ]; then print_file "$S/state.json"; fi
}
`;
