import { renderHost, RENDER_TARGETS } from '@hostnet/render';
import type { RenderTargetId } from '@hostnet/render';
import { GOLDEN_CASES } from '../../libs/render/test/fixtures/reference-intents';

/** Options for the render benchmark. */
export interface RenderBenchOptions {
  /** Measuring time per phase (baseline, render), default 1000 ms. */
  durationMs?: number;
  /** Targets to include, default all. */
  targets?: readonly RenderTargetId[];
}

/** Figures from one benchmark run (single thread, so "per second on one core"). */
export interface RenderBenchResult {
  /** Intents rendered (validation + all files + steps) per second. */
  intentsPerSecond: number;
  /** JSON.stringify of the same intents per second: a fixed-cost baseline measured in the same run. */
  baselineOpsPerSecond: number;
  /** intentsPerSecond / baselineOpsPerSecond: comparable across machines. */
  ratio: number;
  targets: RenderTargetId[];
}

function measure(durationMs: number, op: (i: number) => unknown): number {
  let sink = 0;
  for (let i = 0; i < 200; i++) sink ^= op(i) ? 1 : 0; // warm-up
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let n = 0;
  while (process.hrtime.bigint() < deadline) {
    for (let k = 0; k < 50; k++, n++) sink ^= op(n) ? 1 : 0;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === -1) console.log(sink); // keeps the work observable to the optimiser
  return n / seconds;
}

/** Renders the reference intents round-robin over the chosen targets and reports throughput. */
export async function runRenderBench(opts: RenderBenchOptions = {}): Promise<RenderBenchResult> {
  const durationMs = opts.durationMs ?? 1000;
  const targets = [...(opts.targets ?? RENDER_TARGETS)];
  const cases = GOLDEN_CASES.filter((c) => targets.includes(c.target));
  if (cases.length === 0) throw new Error(`no reference intent for targets ${targets.join(', ')}`);
  const baselineOpsPerSecond = measure(durationMs, (i) => JSON.stringify(cases[i % cases.length].intent).length);
  const intentsPerSecond = measure(durationMs, (i) => {
    const c = cases[i % cases.length];
    return renderHost(c.intent, c.target).files.length;
  });
  return { intentsPerSecond, baselineOpsPerSecond, ratio: intentsPerSecond / baselineOpsPerSecond, targets };
}
