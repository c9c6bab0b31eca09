# (ip's sh prelude: .sim/bin/ip runs .sim/lib/client-ip.bash after it) The whole-host JSON forms a
# facts script uses are served from files pre-rendered at every state change (.sim/ip-cache), so they
# cost a `cat`, not a server round trip.
sim=${0%/bin/ip}
case "$*" in
  '-j link show' | '-j link' | '-json link show') f=link ;;
  '-j -d link show' | '-d -j link show' | '-j -d link' | '-d -j link' | '-j -details link show') f=link-d ;;
  '-j addr show' | '-j addr' | '-j address show' | '-j a' | '-json addr show') f=addr ;;
  '-j -d addr show' | '-d -j addr show' | '-j -d addr' | '-d -j addr' | '-j -details addr show') f=addr-d ;;
  '-j route show' | '-j route' | '-j -4 route show' | '-4 -j route show' | '-j r') f=route ;;
  *) f= ;;
esac
if [ -n "$f" ] && [ -f "$sim/ip-cache/$f.json" ]; then exec cat "$sim/ip-cache/$f.json"; fi
