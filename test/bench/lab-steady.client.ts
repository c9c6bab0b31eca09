import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab';
import type { LabSteadyConfig, LabSteadyReport } from './lab-steady.types';

/** The steady-state driver as `npm run build` emits it (the bench runs from dist). */
export const LAB_STEADY_DRIVER = join(__dirname, 'lab-steady.driver.js');

/**
 * Runs api + worker once inside the lab's namespace (test/bench/lab-steady.driver.ts), then the timed
 * runs one after the other on the same hosts, and returns the driver's report.
 */
export async function runLabSteady(lab: Lab, config: Omit<LabSteadyConfig, 'stateDir'>): Promise<LabSteadyReport> {
  if (!existsSync(LAB_STEADY_DRIVER)) throw new Error(`${LAB_STEADY_DRIVER} is missing: run \`npm run build\` first`);
  const path = join(lab.inventory.stateDir, `steady-${process.pid}-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify({ ...config, stateDir: lab.inventory.stateDir } satisfies LabSteadyConfig), { mode: 0o600 });
  try {
    const r = await lab.execInLab([process.execPath, LAB_STEADY_DRIVER, path], { timeoutMs: config.timeoutMs * (config.runs.length + 1) + 30_000 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('LAB-STEADY '));
    if (r.code !== 0 || !line) throw new Error(`lab steady driver exited ${r.code}: ${r.stderr.trim().slice(-3000)}`);
    return JSON.parse(line.slice('LAB-STEADY '.length)) as LabSteadyReport;
  } finally {
    rmSync(path, { force: true });
  }
}
