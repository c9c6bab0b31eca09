import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * An ovsdb-server of our own in `dir` (database, socket, pid, log), for tests that run ovs-vsctl against
 * real OVS without a vswitchd: point ovs-vsctl at it with OVS_RUNDIR=dir or --db=unix:dir/db.sock.
 */
export function startPrivateOvsdb(dir: string): void {
  execFileSync('ovsdb-tool', ['create', `${dir}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']);
  execFileSync('ovsdb-server', [`${dir}/conf.db`, `--remote=punix:${dir}/db.sock`, `--pidfile=${dir}/ovsdb.pid`, `--unixctl=${dir}/ovsdb.ctl`, '--detach', `--log-file=${dir}/ovsdb.log`], { stdio: 'ignore' });
}

/** Stops it, then deletes the test's network namespace and `dir`, whatever the stop did. */
export function stopPrivateOvsdb(dir: string, netns: string): void {
  try {
    execFileSync('sh', ['-c', `kill $(cat ${dir}/ovsdb.pid)`]);
  } finally {
    execFileSync('ip', ['netns', 'del', netns]);
    rmSync(dir, { recursive: true, force: true });
  }
}
