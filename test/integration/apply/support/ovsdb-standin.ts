import { writeFileSync } from 'node:fs';
import type { SimRoot } from './sim-root';

/**
 * An ovs-vsctl over a bridge list in .sim/ovs-bridges, whose database is down while .sim/ovsdb-down exists (a
 * host booting, before ovsdb-server starts). Every call that reaches the database is logged in .sim/ovs-calls.log.
 */
export function installOvsdbStandin(root: SimRoot): void {
  writeFileSync(
    root.path('.sim/bin/ovs-vsctl'),
    `#!/bin/sh
[ -f "$HOSTNET_ROOT/.sim/ovsdb-down" ] && { echo 'ovs-vsctl: unix:/run/openvswitch/db.sock: database connection failed (No such file or directory)' >&2; exit 1; }
B="$HOSTNET_ROOT/.sim/ovs-bridges"; touch "$B"
echo "$*" >> "$HOSTNET_ROOT/.sim/ovs-calls.log"
while case $1 in --) false ;; --*) true ;; *) false ;; esac; do shift; done
case $1 in
  list-br) cat "$B" ;;
  add-br) echo "$2" >> "$B" ;;
  del-br) grep -vxF "$2" "$B" > "$B.new"; mv "$B.new" "$B" ;;
esac
exit 0
`,
    { mode: 0o755 },
  );
}
