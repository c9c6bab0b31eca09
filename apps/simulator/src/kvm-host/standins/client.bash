#!/bin/bash
# Stand-in for @TOOL@ on a simulated host (generated from standins/client.bash): a client of the
# simulator's stand-in server, which runs the tool's logic in its own process, so a command costs a bash
# start instead of a node start. bash speaks TCP itself (/dev/tcp), loopback only.
#   request: NUL-terminated fields: protocol, token, .sim dir, tool, HOSTNET_SIM_CONN, HOSTNET_SIM_CONTROL,
#            argc, argv...                       (no tool served this way reads stdin)
#   answer:  "CODE ERRLEN OUTLEN\n", then ERRLEN bytes of stderr, then OUTLEN bytes of stdout.
# The server answers once the tool is done. If this process dies first (killed by a rollback timer, a
# reboot, stop()), its connection closes and the server drops the command unfinished: an activation
# killed during its latency changes nothing, as when it was a process of its own.
exec 3<>/dev/tcp/127.0.0.1/@PORT@ || exit 255
printf '%s\0' hostnet-sim-1 @TOKEN@ @SIM@ @TOOL@ "${HOSTNET_SIM_CONN-}" "${HOSTNET_SIM_CONTROL-}" "$#" "$@" >&3
if ! IFS=' ' read -r code errlen outlen <&3; then
  echo "hostnet-sim: @TOOL@: the simulator's stand-in server closed the connection" >&2
  exit 255
fi
if [ "$errlen" -gt 0 ]; then LC_ALL=C IFS= read -r -d '' -N "$errlen" err <&3; printf '%s' "$err" >&2; fi
@FINISH@
