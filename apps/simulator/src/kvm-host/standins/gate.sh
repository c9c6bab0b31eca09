#!/bin/sh
# Fault gate in front of @TOOL@ (installed by test/faults/host-gates.ts; @REAL@ is the command it
# stands in front of). Every call is logged to $HOSTNET_ROOT/.sim/gates/calls.log. Each rule file
# .sim/gates/<id>.rule holds four lines: tool, action, n, extended regex. The regex is matched against
# the call's arguments (for `sh -c SCRIPT NAME` against NAME only); the n-th matching call acts, once:
#   fail   exit 1 with a stderr line        hang   never return (until killed, e.g. by `timeout`)
#   pause  wait until <id>.release exists   drop   drop this SSH connection, then run the command
# and marks <id>.hit. Everything else runs the real command unchanged (stdin included).
G="$HOSTNET_ROOT/.sim/gates"
subject="$*"
if [ "$#" -ge 3 ] && [ "$1" = -c ]; then subject=$3; fi
if [ -d "$G" ]; then
  printf '%s %s\n' '@TOOL@' "$subject" >> "$G/calls.log"
  for rule in "$G"/*.rule; do
    [ -f "$rule" ] || continue
    { IFS= read -r tool; IFS= read -r action; IFS= read -r nth; IFS= read -r pattern; } < "$rule"
    [ "$tool" = '@TOOL@' ] || continue
    printf '%s\n' "$subject" | grep -Eq -- "$pattern" || continue
    id=${rule%.rule}
    k=1
    while ! mkdir "$id.m$k" 2>/dev/null; do k=$((k + 1)); done
    [ "$k" -eq "$nth" ] || continue
    echo "$$" > "$id.hit"
    case $action in
      fail) echo "hostnet-sim gate: injected failure of @TOOL@ $subject" >&2; exit 1 ;;
      hang) exec sleep 86400 ;;
      pause) while [ ! -e "$id.release" ]; do sleep 0.05; done ;;
      drop) @NODE@ "$HOSTNET_ROOT/.sim/lib/drop-connection.js" ;;
    esac
  done
fi
exec @REAL@ "$@"
