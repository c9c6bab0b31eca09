# (ovs-vsctl's sh prelude: .sim/bin/ovs-vsctl runs .sim/lib/client-ovs-vsctl.bash after it) The
# read-only queries the facts and apply scripts make are served from files pre-rendered at every state
# change (.sim/ovs-cache, see ovs-render.js), so they cost a `cat`, not a server round trip. Anything
# else, and every call while a failCommand fault is armed, goes to the server.
sim=${0%/*}
sim=${sim%/*}
f=
# the scripts' calls carry ovs-vsctl's --timeout first; the simulated tool needs none
case ${1:-} in --timeout=*) shift ;; esac
case "$*" in
  list-br) f=list-br ;;
  'br-to-parent '* | 'br-to-vlan '* | 'list-ports '*) if [ "$#" -eq 2 ]; then f="$1.$2"; fi ;;
  '-f csv list bridge') f=rows.bridge ;;
  '-f csv list port') f=rows.port ;;
  '-f csv list interface') f=rows.interface ;;
  '--columns=name,mtu_request --format=csv --no-headings list interface') f=list.interface ;;
  # print_live's three tables in one chained call (live-state.snippet.ts print_ovs_tables)
  '-f csv -- list bridge -- list port -- list interface') f=rows.tables ;;
esac
# A chain of cached reads (`-- br-to-parent B -- br-to-vlan B -- list-ports B …`, as ovs_bridge_chain asks): the
# cached answers in order, or the server when one is missing.
chain_files() {
  chain=
  while [ "$#" -gt 0 ]; do
    [ "$1" = -- ] || { chain=; return; }
    shift
    case "${1:-} ${2:-}" in
      'br-to-parent '?* | 'br-to-vlan '?* | 'list-ports '?*) chain="$chain $1.$2"; shift 2 ;;
      *) chain=; return ;;
    esac
  done
}
# A failCommand fault armed in faults.json: read by the shell, not grep (a process per call).
fail_armed() {
  [ -f "$sim/faults.json" ] || return 1
  while IFS= read -r l || [ -n "$l" ]; do
    case $l in *failCommand*) return 0 ;; esac
  done < "$sim/faults.json"
  return 1
}
case ${1:-} in --) [ -z "$f" ] && chain_files "$@" ;; esac
case $f in *[!A-Za-z0-9._-]* | .*) f= ;; esac
if [ -n "$f" ] && ! fail_armed; then
  # a file removed between the test and the read (its bridge just went away) falls through to the server
  cat "$sim/ovs-cache/$f" 2>/dev/null && exit 0
fi
if [ -n "${chain:-}" ] && ! fail_armed; then
  out=
  whole=1
  for c in $chain; do
    case $c in *[!A-Za-z0-9._-]* | .*) whole=; break ;; esac
    # every line of the answer (list-ports has one per port, or none)
    { while IFS= read -r line || [ -n "$line" ]; do out="$out$line
"; done < "$sim/ovs-cache/$c"; } 2>/dev/null || { whole=; break; }
  done
  if [ -n "$whole" ]; then printf '%s' "$out"; exit 0; fi
fi
