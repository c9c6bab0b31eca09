import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab';
import type { LabRunConfig, LabRunReport } from './lab-run.types';

/**
 * The driver as `npm run build` emits it: beside this file when this file runs from dist (the
 * bench), under dist/ when it runs from the sources (jest; npm test builds first).
 */
export const LAB_DRIVER =
  [join(__dirname, 'lab-pipeline.driver.js'), join(__dirname, '../../../dist/test/lab/e2e/lab-pipeline.driver.js')].find((p) =>
    existsSync(p),
  ) ?? join(__dirname, '../../../dist/test/lab/e2e/lab-pipeline.driver.js');

/**
 * Runs the whole pipeline (CloudStack simulator, Redis, api, worker) against a lab, inside the lab's
 * network namespace, and returns the driver's report.
 */
export async function runLabPipeline(lab: Lab, config: Omit<LabRunConfig, 'stateDir'>): Promise<LabRunReport> {
  if (!existsSync(LAB_DRIVER)) throw new Error(`${LAB_DRIVER} is missing: run \`npm run build\` first (npm test does)`);
  const path = join(lab.inventory.stateDir, `run-${process.pid}-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify({ ...config, stateDir: lab.inventory.stateDir }), { mode: 0o600 });
  try {
    const r = await lab.execInLab(['node', LAB_DRIVER, path], { timeoutMs: config.timeoutMs + (config.relabel?.timeoutMs ?? 0) + 30_000 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('LAB-REPORT '));
    if (r.code !== 0 || !line) throw new Error(`lab driver exited ${r.code}: ${r.stderr.trim().slice(-3000)}`);
    return JSON.parse(line.slice('LAB-REPORT '.length)) as LabRunReport;
  } finally {
    rmSync(path, { force: true });
  }
}

/**
 * Starts the same pipeline in the background, for scenarios that stop it half-way (the worker dies
 * with the driver): `kill()` SIGKILLs api, worker, simulator and all. Its private Redis and temp
 * files live in the lab (namespace, state dir), so lab.down() removes what a killed driver leaves.
 */
export function startLabPipeline(lab: Lab, config: Omit<LabRunConfig, 'stateDir'>): { kill: () => void; exited: Promise<number | null> } {
  if (!existsSync(LAB_DRIVER)) throw new Error(`${LAB_DRIVER} is missing: run \`npm run build\` first (npm test does)`);
  const path = join(lab.inventory.stateDir, `run-${process.pid}-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify({ ...config, stateDir: lab.inventory.stateDir }), { mode: 0o600 });
  const child = spawn('ip', ['netns', 'exec', lab.inventory.labNamespace, process.execPath, LAB_DRIVER, path], {
    env: { ...process.env, TMPDIR: lab.inventory.stateDir },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { kill: () => child.kill('SIGKILL'), exited };
}
