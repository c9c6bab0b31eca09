import { exactly, type GateAction, type GateRule } from './host-gates';

/** Phases the matrix injects at: the host's (facts … confirm, one per step) and api's (reconnect, enable). */
export const CLOUDSTACK_PHASES = ['reconnect', 'enable'] as const;

/**
 * Which step phases a matrix injects at: `every` step, or the `ends` (first, second, middle, last) for
 * the fast part in npm test, where a surgical activation makes a dozen steps of one kind.
 */
export type StepSample = 'every' | 'ends';

export function sampleSteps(phases: string[], steps: number, sample: StepSample): string[] {
  if (sample === 'every') return phases;
  const keep = new Set([1, 2, Math.ceil(steps / 2), steps].map((n) => `step${n}`));
  return phases.filter((p) => !/^step\d+$/.test(p) || keep.has(p));
}

/** Phases of a run on a host whose clean run made `steps` step calls. */
export function hostPhases(steps: number): string[] {
  return ['facts', 'backup', 'write', ...Array.from({ length: steps }, (_, i) => `step${i + 1}`), 'verify', 'confirm'];
}

/**
 * The gate rule that catches a run entering `phase` on a host whose clean run made `stepCalls`:
 * the facts/apply/verify/confirm scripts starting (`sh -c … hostnet-<name>`), the `nth` copy into the run's
 * backup (backup) or into a `.hostnet-<run>.tmp` file (write), the step's own command.
 */
export function phaseRule(phase: string, stepCalls: string[], action: GateAction, nth = 1): GateRule {
  const step = /^step(\d+)$/.exec(phase);
  if (step) {
    const call = stepCalls[Number(step[1]) - 1];
    if (!call) throw new Error(`phase ${phase}: the clean run made only ${stepCalls.length} step calls`);
    const [tool, ...args] = call.split(' ');
    return { tool: tool!, pattern: exactly(args.join(' ')), action, nth };
  }
  switch (phase) {
    case 'facts':
    case 'apply':
    case 'verify':
    case 'confirm':
      return { tool: 'sh', pattern: exactly(`hostnet-${phase}`), action, nth };
    case 'backup':
      return { tool: 'cp', pattern: '/backups/[^ ]+/files/[^ ]+$', action, nth };
    case 'write':
      return { tool: 'cp', pattern: '/\\.hostnet-[^ /]+\\.tmp$', action, nth };
    default:
      throw new Error(`phase ${phase} has no gate on the host`);
  }
}

/** The rule that makes the `nth` write of a file fail: its move from the temp file into place. */
export function failedWriteRule(nth: number): GateRule {
  return { tool: 'mv', pattern: '/\\.hostnet-[^ /]+\\.tmp /', action: 'fail', nth };
}
