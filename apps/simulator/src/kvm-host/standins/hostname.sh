#!/bin/sh
# Stand-in for hostname: prints the simulated host's etc/hostname; setting it is not simulated.
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$#" -eq 0 ] || [ "$1" = "-s" ] || [ "$1" = "--short" ]; then
  exec cat "$root/etc/hostname"
fi
echo "hostname: only reading the hostname is simulated" >&2
exit 1
