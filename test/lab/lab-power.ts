import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabHost } from './lab';
import { runCommand } from './lab-process';

/**
 * A lab host's "reboot" as far as hostnet can tell: every process of the host dies (rollback timer,
 * apply/verify/confirm scripts, their steps, SSH sessions) except what stands for the machine itself
 * (the sshd listener the host runs as, its OVS daemons); then the boot hook hostnet installed runs,
 * the way its init system would run it. Files and live network state are left as they are.
 */

/** Processes that stand for the machine, not for anything running on it. */
const MACHINE = new Set(['ovsdb-server', 'ovs-vswitchd']);

const initPid = (host: LabHost) => Number(readFileSync(join(host.stateDir, 'init.pid'), 'utf8').trim());

/** Every process in the host's network namespace (pids are shared with this machine). */
export async function hostProcesses(host: LabHost, pattern = '.'): Promise<{ pid: number; cmdline: string }[]> {
  const r = await runCommand(['pgrep', '--ns', String(initPid(host)), '--nslist', 'net', '-a', '-f', pattern]);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ pid: Number(line.slice(0, line.indexOf(' '))), cmdline: line.slice(line.indexOf(' ') + 1) }));
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

const gone = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z';
  } catch {
    return true;
  }
};

/** SIGKILLs every process of the host but the machine's own; what was killed, by command line. */
export async function killHostProcesses(lab: Lab, name: string): Promise<string[]> {
  const host = lab.host(name);
  const init = initPid(host);
  const killed: string[] = [];
  // twice: a dying script's parent may start one more child before it is killed itself
  for (let round = 0; round < 2; round += 1) {
    const victims = (await hostProcesses(host)).filter((p) => p.pid !== init && p.pid !== process.pid && !MACHINE.has(comm(p.pid)));
    for (const p of victims) {
      try {
        process.kill(p.pid, 'SIGKILL');
        killed.push(p.cmdline.slice(0, 400));
      } catch {
        // already gone
      }
    }
    const deadline = Date.now() + 5_000;
    while (victims.some((p) => !gone(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
  return killed;
}

/** The SSH sessions of a host (children of its sshd listener): killing them drops every connection. */
export async function dropSshSessions(lab: Lab, name: string): Promise<number> {
  const r = await runCommand(['pgrep', '-P', String(initPid(lab.host(name)))]);
  const pids = r.stdout.split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}

/**
 * The boot hook hostnet installed on a host: the command line its init system runs early at boot, and (systemd)
 * the one it runs once the network daemons are up (hostnet-resume.service); cron's one line does both.
 */
export interface BootHook {
  via: 'systemd' | 'cron';
  file: string;
  command: string;
  afterDaemons?: string;
}

const UNIT = '/etc/systemd/system/hostnet-recover.service';
const RESUME_UNIT = '/etc/systemd/system/hostnet-resume.service';
const CRON = '/etc/cron.d/hostnet-recover';

export async function installedBootHook(lab: Lab, name: string): Promise<BootHook | undefined> {
  const read = async (path: string) => {
    const r = await lab.hostExec(name, ['cat', path]);
    return r.code === 0 ? r.stdout : undefined;
  };
  const execStart = (unit: string | undefined) => (unit && /^ExecStart=(.+)$/m.exec(unit)?.[1])?.trim();
  const exec = execStart(await read(UNIT));
  if (exec) {
    const afterDaemons = execStart(await read(RESUME_UNIT));
    return { via: 'systemd', file: UNIT, command: exec, ...(afterDaemons ? { afterDaemons } : {}) };
  }
  const cron = await read(CRON);
  const reboot = cron && /^@reboot\s+root\s+(.+)$/m.exec(cron)?.[1];
  if (reboot) return { via: 'cron', file: CRON, command: reboot.trim() };
  return undefined;
}

/**
 * Runs the hook's command as its init system would at boot: only the environment it gives
 * (systemd: its default PATH; cron: PATH=/usr/bin:/bin), from /; then, for systemd, the command it runs once
 * the network daemons are up (the lab's run all along).
 */
export async function runBootHook(lab: Lab, name: string, hook: BootHook): Promise<{ code: number; output: string }> {
  const path = hook.via === 'systemd' ? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' : '/usr/bin:/bin';
  let output = '';
  for (const command of [hook.command, ...(hook.afterDaemons ? [hook.afterDaemons] : [])]) {
    const r = await lab.hostExec(name, ['env', '-i', `PATH=${path}`, 'HOME=/root', 'LOGNAME=root', 'SHELL=/bin/sh', 'sh', '-c', `cd / && ${command}`], { timeoutMs: 180_000 });
    output += `${r.stdout}${r.stderr}`;
    if (r.code !== 0) return { code: r.code, output };
  }
  return { code: 0, output };
}

/**
 * Kill everything hostnet runs on the host, then run its boot hook: what a reboot does to an armed
 * run. While it is "down" the host's sshd accepts no new session (its listener is stopped), as a
 * rebooting host answers none; it takes connections again once the boot hook has run.
 */
export async function rebootHost(lab: Lab, name: string): Promise<{ killed: string[]; hook?: BootHook; boot?: { code: number; output: string } }> {
  const listener = initPid(lab.host(name));
  process.kill(listener, 'SIGSTOP');
  try {
    const killed = await killHostProcesses(lab, name);
    const hook = await installedBootHook(lab, name);
    return { killed, ...(hook ? { hook, boot: await runBootHook(lab, name, hook) } : {}) };
  } finally {
    process.kill(listener, 'SIGCONT');
  }
}
