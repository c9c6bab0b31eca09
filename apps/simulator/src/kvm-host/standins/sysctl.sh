#!/bin/sh
# Stand-in for sysctl: the real one would change this machine's kernel settings. Records the call
# and, for `-p FILE`, echoes the settings it would load (like sysctl does), reading FILE under the root.
echo "sysctl $*" >> "$HOSTNET_ROOT/.sim/sysctl.log"
file=""
for a in "$@"; do case "$a" in -*) ;; *) file="$a" ;; esac; done
if [ -n "$file" ]; then
  [ -f "$HOSTNET_ROOT$file" ] || { echo "sysctl: cannot open \"$file\": No such file or directory" >&2; exit 255; }
  grep -v '^[[:space:]]*#' "$HOSTNET_ROOT$file" | grep '=' | sed 's/[[:space:]]*=[[:space:]]*/ = /'
fi
exit 0
