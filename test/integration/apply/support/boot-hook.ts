import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { ApplyStep } from '@hostnet/render';
import { readPidFile } from '../../../support/host-files';
import { bridgePlan } from './bridge-plan';
import { alive, applyWithoutConfirm } from './host-scripts';
import { LocalHostSession } from './local-host-session';
import { installOvsdbStandin } from './ovsdb-standin';
import type { SimRoot } from './sim-root';

/** The run the boot hook specs arm and "reboot", and its directory under the simulated root. */
export const RUN = 'resumed-1';
export const RUN_DIR = `var/lib/hostnet/backups/${RUN}`;
export const OVS_STEP: ApplyStep = { name: 'ovs-add-br-cloudbr0', argv: ['ovs-vsctl', 'add-br', 'cloudbr0'], phase: 'live' };

/** The run's journal events, without their times. */
export function events(root: SimRoot): string[] {
  return root.read(`${RUN_DIR}/journal`).trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));
}

/** The live state the stand-ins keep (links, addresses, routes, OVS bridges) and the network file. */
export function hostTruth(root: SimRoot): Record<string, string> {
  const truth: Record<string, string> = { interfaces: root.read('etc/network/interfaces') };
  for (const f of readdirSync(root.path('.sim/live'))) truth[f] = root.read(`.sim/live/${f}`);
  truth.ovsBridges = root.exists('.sim/ovs-bridges') ? root.read('.sim/ovs-bridges') : '';
  return truth;
}

/** Runs a command line of the boot hook (a unit's ExecStart, cron's) on the simulated host, as its init system would. */
export function runHook(root: SimRoot, command: string, timeoutMs = 60_000) {
  return new LocalHostSession(root.dir).exec(command.replace(' /var/lib/hostnet/', ' "$HOSTNET_ROOT"/var/lib/hostnet/'), { timeoutMs });
}

/**
 * Applies a run that adds the OVS bridge cloudbr0 (and EXTRA_STEPS), then "reboots": its timer is gone and
 * ovsdb-server is down. The host's files and live state before the run.
 */
export async function armedRunRebooted(root: SimRoot, extraSteps: ApplyStep[] = []): Promise<Record<string, string>> {
  installOvsdbStandin(root);
  const before = hostTruth(root);
  const rendered = bridgePlan('x', { extraSteps: [OVS_STEP, ...extraSteps] }).render({} as never);
  await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, RUN, 'spec0', 60, ['cloudbr0', 'eth0']);
  if (root.state().phase !== 'armed' || JSON.stringify(hostTruth(root)) === JSON.stringify(before)) throw new Error('the run did not arm its change');
  // what the apply installs on a real host (install_boot_hook): recover.sh from the run directory
  copyFileSync(root.path(`${RUN_DIR}/recover.sh`), root.path('var/lib/hostnet/recover.sh'));
  const timer = readPidFile(root.path(`${RUN_DIR}/timer.pid`));
  process.kill(timer, 'SIGKILL');
  // a signal lands a moment after kill(2) returns: a hook run at once could still find the timer alive
  while (alive(timer)) await new Promise((r) => setTimeout(r, 10));
  writeFileSync(root.path('.sim/ovsdb-down'), '');
  return before;
}
