import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * A private ovsdb-server for the enclosing describe block: started before its tests, after it adds the network
 * namespace `ns` (the test's own, deleted with it), stopped after them. `ovs` runs ovs-vsctl on it without waiting
 * for a vswitchd; `wrapper` is an ovs-vsctl script that does the same, for a stand-in root's .sim/bin.
 */
export function usePrivateOvsdb(prefix: string, ns: string): { dir: string; ovs: (...args: string[]) => string; wrapper: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ovs = (...args: string[]): string => execFileSync('ovs-vsctl', [`--db=unix:${dir}/db.sock`, '--no-wait', ...args]).toString();
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
    startPrivateOvsdb(dir);
    ovs('init');
  });
  afterAll(() => stopPrivateOvsdb(dir, ns));
  return { dir, ovs, wrapper: `#!/bin/sh\nexec /usr/bin/ovs-vsctl --db=unix:${dir}/db.sock --no-wait "$@"\n` };
}
