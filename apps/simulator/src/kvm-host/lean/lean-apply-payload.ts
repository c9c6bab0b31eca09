import { LeanDecline } from './lean-live';
import { isWord, pathProblem } from '@hostnet/apply';
import { readLines } from './lean-read-lines';

/** One step file of the run directory: name, phase, argv (read_payload in apply-payload.snippet.ts). */
export interface LeanStep {
  kind: 'steps' | 'restore-steps' | 'undo-steps';
  /** The file's name in its directory: the payload's step count, three digits. */
  file: string;
  name: string;
  phase: string;
  argv: string[];
}

export interface LeanPayload {
  run: string;
  spec: string;
  rollbackSeconds: number;
  stepTimeout: number;
  /** The run id and phase the payload was planned from (`-` for none): the script answers `stale` otherwise. */
  seen: { run: string; phase: string };
  writes: { mode: string; path: string; content: Buffer }[];
  removes: string[];
  owns: string[];
  steps: LeanStep[];
  /** The run's own scripts (restore.sh, the boot hook), written into the run directory by name. */
  scripts: { name: string; content: Buffer }[];
}

/** The `script` names read_payload accepts. */
const SCRIPT_NAMES = new Set(['restore.sh', 'recover.sh', 'hostnet-recover.service', 'hostnet-resume.service']);

const isDecimal = (value: string): boolean => /^(0|[1-9]\d*)$/.test(value);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** read_payload, declining (the script then answers `rejected`) wherever the script would reject. */
export function readLeanPayload(stdin: string): LeanPayload {
  const lines = readLines(stdin);
  let at = 0;
  const next = (): string => {
    const line = lines[at++];
    if (line === undefined) throw new LeanDecline('the payload is truncated');
    return line;
  };
  const field = (key: string, accepts: (value: string) => boolean): string => {
    const line = next();
    const space = line.indexOf(' ');
    const value = space < 0 ? '' : line.slice(space + 1);
    if (line.slice(0, space) !== key || !accepts(value)) throw new LeanDecline(`a payload line the script rejects: ${key}`);
    return value;
  };
  if (next() !== 'hostnet-apply 1') throw new LeanDecline('bad payload header');
  const payload: LeanPayload = {
    run: field('run', isWord),
    spec: field('spec', isWord),
    // a leading zero would make the shell's arithmetic read the number as octal
    rollbackSeconds: Number(field('rollback', isDecimal)),
    stepTimeout: Number(field('step-timeout', isDecimal)),
    seen: seenLine(field('seen', () => true)),
    writes: [],
    removes: [],
    owns: [],
    steps: [],
    scripts: [],
  };
  let count = 0;
  for (;;) {
    const line = next();
    if (line === 'end') {
      if (!payload.scripts.some((s) => s.name === 'restore.sh' && s.content.length > 0)) throw new LeanDecline('a payload without restore.sh');
      return payload;
    }
    const space = line.indexOf(' ');
    const [word, rest] = space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)];
    if (word === 'file' && space >= 0) {
      const modeEnd = rest.indexOf(' ');
      const mode = modeEnd < 0 ? rest : rest.slice(0, modeEnd);
      const path = modeEnd < 0 ? rest : rest.slice(modeEnd + 1);
      const b64 = next();
      if (!/^[0-7]+$/.test(mode) || pathProblem(path) !== undefined || !BASE64.test(b64)) throw new LeanDecline('a file line the script rejects');
      payload.writes.push({ mode, path, content: Buffer.from(b64, 'base64') });
    } else if (word === 'remove' && space >= 0) {
      if (pathProblem(rest) !== undefined) throw new LeanDecline('a remove line the script rejects');
      payload.removes.push(rest);
    } else if (word === 'own' && space >= 0) {
      if (!isWord(rest)) throw new LeanDecline('an own line the script rejects');
      payload.owns.push(rest);
    } else if (word === 'step' || word === 'restore-step' || word === 'undo-step') {
      const parts = line.split(/[ \t\n]+/).filter(Boolean);
      if (parts.length !== 3 || !isWord(parts[1]!) || !isWord(parts[2]!)) throw new LeanDecline('a step line the script rejects');
      count += 1;
      const kind = word === 'restore-step' ? 'restore-steps' : word === 'undo-step' ? 'undo-steps' : 'steps';
      payload.steps.push({ kind, file: `${Math.floor(count / 100)}${Math.floor(count / 10) % 10}${count % 10}`, name: parts[2]!, phase: parts[1]!, argv: [] });
    } else if (word === 'script' && space >= 0) {
      const [name, length, ...more] = rest.split(' ');
      const b64 = next();
      if (more.length > 0 || !SCRIPT_NAMES.has(name!) || !isDecimal(length ?? '') || Number(length) !== b64.length || !BASE64.test(b64)) {
        throw new LeanDecline('a script line the script rejects');
      }
      payload.scripts.push({ name: name!, content: Buffer.from(b64, 'base64') });
    } else if (word === 'arg' && space >= 0) {
      const step = payload.steps.at(-1);
      if (!step) throw new LeanDecline('an arg outside a step');
      step.argv.push(rest);
    } else throw new LeanDecline('an unknown payload line');
  }
}

/** `seen <run> <phase>`: two words, as read_payload checks them. */
function seenLine(value: string): LeanPayload['seen'] {
  const words = value.split(' ');
  if (words.length !== 2 || !words.every(isWord)) throw new LeanDecline('a payload line the script rejects: seen');
  return { run: words[0]!, phase: words[1]! };
}
