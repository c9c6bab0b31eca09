# (ip's sh prelude: .sim/bin/ip runs .sim/lib/client-ip.bash after it) The whole-host forms a facts script
# uses are served from files pre-rendered at every state change (.sim/ip-cache), so they cost a `cat`, not a
# server round trip: the JSON ones, or on a persona whose ip has no JSON (CentOS 7's iproute2 4.11, see
# ip-render.js legacyIp) the text ones, and its refusal of -j.
sim=${0%/bin/ip}
case "$*" in
  '-j link show' | '-j link' | '-json link show') f=link.json ;;
  '-j -d link show' | '-d -j link show' | '-j -d link' | '-d -j link' | '-j -details link show') f=link-d.json ;;
  '-j addr show' | '-j addr' | '-j address show' | '-j a' | '-json addr show') f=addr.json ;;
  '-j -d addr show' | '-d -j addr show' | '-j -d addr' | '-d -j addr' | '-j -details addr show') f=addr-d.json ;;
  '-j route show' | '-j route' | '-j -4 route show' | '-4 -j route show' | '-j r') f=route.json ;;
  '-V') f=version.txt ;;
  '-o -d link show') f=link-d-o.txt ;;
  '-o addr show') f=addr-o.txt ;;
  '-4 route show') f=route-4.txt ;;
  *) f= ;;
esac
if [ -n "$f" ] && [ -f "$sim/ip-cache/$f" ]; then exec cat "$sim/ip-cache/$f"; fi
case "$1" in
  -j | -json | --json)
    if [ -f "$sim/ip-cache/version.txt" ]; then
      printf 'Option "%s" is unknown, try "ip -help".\n' "$1" >&2
      exit 255
    fi
    ;;
esac
