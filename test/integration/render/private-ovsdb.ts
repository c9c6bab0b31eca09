import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type ToolRun } from './tool-harness';

/**
 * A private ovsdb-server in `dir` (socket, pidfile and log there, no ovs-vswitchd, no namespace):
 * enough for ovs-vsctl to accept or refuse a command line and to read back what it stored.
 * Commands run with --no-wait, as there is no vswitchd to wait for.
 */
export function startPrivateOvsdb(dir: string): { vsctl: (args: string[]) => ToolRun; stop: () => void } {
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir };
  const db = join(dir, 'conf.db');
  const created = run(['ovsdb-tool', 'create', db, '/usr/share/openvswitch/vswitch.ovsschema'], { env });
  if (created.status !== 0) throw new Error(`ovsdb-tool create: ${created.stderr}`);
  // It detaches; its stdio must not be our pipes or spawnSync would wait for it.
  const server = spawnSync('ovsdb-server', [db, `--remote=punix:${join(dir, 'db.sock')}`, `--pidfile=${join(dir, 'ovsdb.pid')}`, '--detach', `--log-file=${join(dir, 'ovsdb.log')}`], { env, stdio: 'ignore', timeout: 20_000 });
  if (server.status !== 0) throw new Error(`ovsdb-server failed to start (see ${dir})`);
  const vsctl = (args: string[]) => run(['ovs-vsctl', '--no-wait', ...args], { env });
  vsctl(['init']);
  const stop = () => {
    try {
      process.kill(Number(readFileSync(join(dir, 'ovsdb.pid'), 'utf8').trim()), 'SIGTERM');
    } catch {
      // never started
    }
  };
  return { vsctl, stop };
}
