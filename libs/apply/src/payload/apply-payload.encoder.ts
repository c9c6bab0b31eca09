import type { ApplyStep, RenderedFile } from '@hostnet/render';
import type { RunStateSeen } from '../domain/host-facts';
import { RUN_SCRIPTS } from '../scripts/run-scripts';
import { assertHostPath, assertWord } from './path-policy';

/** What `seen` holds when the host had no state.json: no hostnet run ever reached it. */
const NO_RUN_SEEN = '-';

/** Everything the apply script receives on stdin. */
export interface ApplyPayload {
  runId: string;
  specHash: string;
  rollbackSeconds: number;
  stepTimeoutSeconds: number;
  /**
   * The host's run state (state.json) as this run's facts found it, or null when it had none. The host
   * refuses the payload as `stale` when its state is no longer that under the run lock: a payload planned
   * from older facts (a worker that lost its BullMQ job and resumed after another run) never lands.
   */
  seen: RunStateSeen | null;
  files: RenderedFile[];
  removes: string[];
  steps: ApplyStep[];
  restoreSteps: ApplyStep[];
  /** Steps that undo the live changes `steps` make (the transition planner's inverse), run first on restore. */
  undoSteps?: ApplyStep[];
  /** Interface names this run manages: a restore removes only these, and only when the run created them. */
  owns?: string[];
}

/**
 * Encodes the apply payload as line frames: a header (ending with `seen <runId> <phase>`), `file <mode> <path>` + one base64 line,
 * `remove <path>`, `own <ifname>`, `step|restore-step|undo-step <phase> <name>` + `arg <word>` lines,
 * `script <name> <length>` + one base64 line of that length for each of the run's own scripts (run-scripts.ts),
 * then `end`. File content
 * travels only as base64, so nothing in it is ever seen by a shell; paths and words are validated
 * here and again on the host.
 */
export function encodeApplyPayload(payload: ApplyPayload): string {
  assertWord(payload.runId, 'runId');
  assertWord(payload.specHash, 'specHash');
  assertSeconds(payload.rollbackSeconds, 'rollbackSeconds');
  assertSeconds(payload.stepTimeoutSeconds, 'stepTimeoutSeconds');
  const seenState = payload.seen ?? { runId: NO_RUN_SEEN, phase: NO_RUN_SEEN };
  assertWord(seenState.runId, 'seen.runId');
  assertWord(seenState.phase, 'seen.phase');
  const lines = [
    'hostnet-apply 1',
    `run ${payload.runId}`,
    `spec ${payload.specHash}`,
    `rollback ${payload.rollbackSeconds}`,
    `step-timeout ${payload.stepTimeoutSeconds}`,
    `seen ${seenState.runId} ${seenState.phase}`,
  ];
  const seen = new Set<string>();
  payload.files.forEach((file, i) => {
    assertHostPath(file.path, `files[${i}].path`);
    if (seen.has(file.path)) throw new Error(`files[${i}].path: ${file.path} is listed twice`);
    seen.add(file.path);
    if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o7777) {
      throw new Error(`files[${i}].mode: ${file.mode} is not an octal file mode (e.g. 0o644)`);
    }
    lines.push(`file ${file.mode.toString(8)} ${file.path}`, Buffer.from(file.content, 'utf8').toString('base64'));
  });
  payload.removes.forEach((path, i) => {
    assertHostPath(path, `removes[${i}]`);
    if (seen.has(path)) throw new Error(`removes[${i}]: ${path} is also written`);
    lines.push(`remove ${path}`);
  });
  (payload.owns ?? []).forEach((name, i) => {
    assertWord(name, `owns[${i}]`);
    lines.push(`own ${name}`);
  });
  payload.steps.forEach((step, i) => lines.push(...encodeStep('step', step, `steps[${i}]`)));
  (payload.undoSteps ?? []).forEach((step, i) => lines.push(...encodeStep('undo-step', step, `undoSteps[${i}]`)));
  payload.restoreSteps.forEach((step, i) => lines.push(...encodeStep('restore-step', step, `restoreSteps[${i}]`)));
  lines.push(...RUN_SCRIPT_FRAMES, 'end');
  return `${lines.join('\n')}\n`;
}

/** The run's own scripts framed once: they are the same in every payload (about 22 kB of base64). */
const RUN_SCRIPT_FRAMES: readonly string[] = RUN_SCRIPTS.flatMap((script) => {
  const b64 = Buffer.from(script.content, 'utf8').toString('base64');
  return [`script ${script.name} ${b64.length}`, b64];
});

function encodeStep(kind: string, step: ApplyStep, field: string): string[] {
  assertWord(step.name, `${field}.name`);
  assertWord(step.phase, `${field}.phase`);
  if (step.argv.length === 0) throw new Error(`${field}.argv: a step needs at least the command`);
  step.argv.forEach((arg, j) => {
    if (/[\u0000-\u001f\u007f]/.test(arg)) {
      throw new Error(`${field}.argv[${j}]: contains a control character or newline`);
    }
  });
  return [`${kind} ${step.phase} ${step.name}`, ...step.argv.map((arg) => `arg ${arg}`)];
}

function assertSeconds(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 86_400) {
    throw new Error(`${field}: ${value} must be a whole number of seconds between 1 and 86400`);
  }
}
