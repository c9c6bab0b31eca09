import type { LabHost } from '../../lab/lab';
import type { StepInfo } from './lab-round.types';

/**
 * Which step of a host's run a step phase of the lab matrix means. Step lists differ per target
 * (20 on CentOS 7 network-scripts, 13 on Ubuntu ifupdown), so the lab matrix names three on each:
 *   first-step  the first (an OVS bridge is added)
 *   mgmt-step   the one that moves the management address (ifup of cloudbr0; `service networking restart`)
 *   last-step   the last
 */
export const STEP_PHASES = ['first-step', 'mgmt-step', 'last-step'] as const;
const MGMT_STEPS = ['activate-ifup-cloudbr0', 'networking-restart'];

export function stepOf(phase: string, steps: StepInfo[]): StepInfo | undefined {
  if (phase === 'first-step') return steps[0];
  if (phase === 'last-step') return steps.at(-1);
  if (phase === 'mgmt-step') return steps.find((s) => MGMT_STEPS.includes(s.name)) ?? steps[Math.floor(steps.length / 2)];
  return undefined;
}

/** The gate phase (lab-gates.ts) for a matrix phase on a host with these steps. */
export function gatePhase(phase: string, steps: StepInfo[]): string {
  const step = stepOf(phase, steps);
  return step ? `step:${step.name}` : phase;
}

/**
 * The one-shot lab fault file that makes the step fail (`fail`) or never return (`hang`), when the
 * step runs a lab stand-in that honours one: network-scripts' `ifup NAME` on EL personas
 * (test/lab/standins/el-ifup). Elsewhere the step runs a real tool: undefined.
 */
export function stepFaultFile(kind: 'fail' | 'hang', host: LabHost, step: StepInfo | undefined): string | undefined {
  if (!step || host.netcfg !== 'network-scripts' || step.argv[0] !== 'ifup' || !step.argv[1]) return undefined;
  return `/run/lab/${kind}-ifup-${step.argv[1].replace(/^.*\/(ifcfg-)?/, '')}`;
}
