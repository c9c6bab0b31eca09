import { readFileSync } from 'node:fs';
import { deadlineIn, type LeanHostDir } from './lean-host-dir';
import { LeanDecline, liveNetwork, section, stateSection } from './lean-live';
import { contentSha256, isWord } from '@hostnet/apply';
import { readLines } from './lean-read-lines';

/** Whether the host answers a gateway ping (the ping stand-in, when the persona has ping). */
export type LeanPing = (gateway: string) => Promise<'ok' | 'failed' | 'skipped no-ping'>;

/**
 * verify.script.ts's answer. A run this model applied has no watcher to check (see lean-apply.ts), so
 * its contact recovers nothing, as the script's finds its watcher alive; any other armed or
 * rolling-back run goes to the script, whose recovery may act on it.
 */
export async function leanVerify(host: LeanHostDir, stdin: string, leanRuns: ReadonlySet<string>, ping: LeanPing): Promise<string> {
  let gateway = '';
  let run = '';
  let extend = '';
  for (const line of readLines(stdin)) {
    const [key = '', ...rest] = line.split(' ');
    // `IFS=' ' read -r k v`: spaces around the value go, anything else (a carriage return) stays
    const value = rest.join(' ').replace(/^ +| +$/g, '');
    if (key === 'gateway') gateway = value;
    else if (key === 'run' && isWord(value)) run = value;
    else if (key === 'extend' && /^\d+$/.test(value)) {
      // the shell's arithmetic would read a leading zero as octal
      if (/^0\d/.test(value)) throw new LeanDecline('an extension with a leading zero');
      extend = value;
    }
  }
  if (/[^0-9.]/.test(gateway)) gateway = '';
  const state = host.state();
  if ((state.phase === 'armed' || state.phase === 'rolling-back') && !leanRuns.has(state.runId ?? '')) throw new LeanDecline('a run the verify script may recover');
  // An apply the model declined runs in a shell and holds the real run lock: only the script can fence it.
  if (run && !host.journalHas(run, 'armed')) throw new LeanDecline('a run that never armed: the script fences it under the run lock');

  // everything that may decline comes before the extension, which writes
  const network = liveNetwork(host);
  const journal = run ? host.journalText(run) : undefined;
  if (run && extend && journal !== undefined) host.touchRunLock();
  if (run && extend && journal !== undefined && state.runId === run && state.phase === 'armed' && host.journalHas(run, 'steps-done')) {
    if (host.deadlineLeftCs(run) < Number(extend) * 100) {
      const deadline = deadlineIn(Number(extend));
      host.setDeadline(run, deadline);
      host.writeState(run, state.specHash ?? '', 'armed', String(deadline.epoch), state.appliedSpecHash ?? '');
      host.journal(run, 'extended', String(deadline.epoch));
    }
  }
  let out = '@@hostnet:verify 1\n' + network + stateSection(host);
  const now = run ? host.journalText(run) : undefined;
  if (now !== undefined) {
    out += section('journal') + now + section('written');
    for (const line of now.split('\n')) {
      const wrote = /^[0-9]* wrote (.*) ([0-9a-f]*)$/.exec(line);
      if (!wrote) continue;
      const [, path = '', want = ''] = wrote;
      const have = host.isFile(path) ? contentSha256(readFileSync(host.at(path))) : 'absent';
      out += `${want} ${have} ${path}\n`;
    }
  }
  out += section('ping') + (gateway === '' ? 'skipped no-gateway' : await ping(gateway)) + '\n';
  return out + section('end');
}
