import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync, appendFileSync, chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RESTORE_SH_AS_WRITTEN } from '@hostnet/apply';
import { type LeanHostDir, sha256 } from './lean-host-dir';
import { LeanDecline } from './lean-live';
import { type LeanPayload, readLeanPayload } from './lean-apply-payload';

/** The simulated host's stand-in tools, run in this process (what a step's argv starts). */
export interface LeanTools {
  /** A step's argv, as run_step runs it (under timeout, stdin empty). */
  run(argv: string[], timeoutSeconds: number): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The run's restore.sh in a real shell (`now`, after a failed step), as the apply script runs it. */
  restoreNow(runDir: string, why: string): Promise<void>;
}

interface Change {
  kind: 'write' | 'remove';
  mode: string;
  path: string;
}

/**
 * apply.script.ts's transaction on a simulated host, in-process: the same run directory, journal,
 * state.json, backups and written files, and the same result line. What it does not do is start the
 * rollback watcher (a shell that wakes every second until the run is confirmed): on a lean host a run the
 * controller never confirms stays armed until a facts contact, which the script answers, re-arms a real
 * watcher (recover.snippet.ts). Anything the script would refuse, or answer `busy`, goes to the script.
 */
export async function leanApply(host: LeanHostDir, stdin: string, tools: LeanTools): Promise<string> {
  const payload = readLeanPayload(stdin);
  const runDir = host.runDir(payload.run);
  const state = host.state();
  if (existsSync(runDir)) throw new LeanDecline('the run exists: the script rejects it');
  if (state.phase === 'armed' || state.phase === 'rolling-back') throw new LeanDecline('a run is armed: the script answers busy');
  const empty = payload.steps.find((s) => s.kind === 'steps' && s.argv.length === 0);
  if (empty) throw new LeanDecline(`step ${empty.name} has no command`);

  writeRunDir(runDir, payload);
  const { run, spec } = payload;
  host.journal(run, 'begin', spec);
  host.touchRunLock();
  host.journal(run, 'locked', String(process.pid));
  const changes = planChanges(host, runDir, payload);
  const stepCount = payload.steps.filter((s) => s.kind === 'steps').length;
  host.journal(run, 'planned', String(changes.length), String(stepCount));
  backUp(host, runDir, run, changes);
  snapshotLive(host, runDir);

  const stepBudget = stepCount * (payload.stepTimeout + 5);
  let deadline = Math.floor(Date.now() / 1000) + payload.rollbackSeconds + stepBudget;
  host.setDeadline(run, deadline);
  host.writeState(run, spec, 'armed', String(deadline), state.appliedSpecHash ?? '');
  host.journal(run, 'armed', String(deadline), 'lean');

  // each write's stderr goes to write.err (empty when every write succeeded)
  if (changes.length > 0) writeFileSync(join(runDir, 'write.err'), '');
  for (const change of changes) {
    host.journal(run, 'writing', change.path);
    if (change.kind === 'remove') {
      rmSync(host.at(change.path), { force: true });
      host.journal(run, 'removed', change.path);
      continue;
    }
    const dir = dirname(host.at(change.path));
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.hostnet-${run}.tmp`);
    copyFileSync(join(runDir, 'new', change.path), tmp);
    chmodSync(tmp, parseInt(change.mode, 8));
    renameSync(tmp, host.at(change.path));
    host.journal(run, 'wrote', change.path, sha256(readFileSync(host.at(change.path))));
  }

  const steps: { name: string; exitCode: number; durationMs: number }[] = [];
  for (const step of payload.steps.filter((s) => s.kind === 'steps')) {
    host.journal(run, 'step-start', step.name);
    const started = Date.now();
    const result = await tools.run(step.argv, payload.stepTimeout);
    writeFileSync(join(runDir, 'steps', `${step.file}.log`), result.stdout + result.stderr);
    host.journal(run, 'step-end', step.name, String(result.code));
    steps.push({ name: step.name, exitCode: result.code, durationMs: Date.now() - started });
    if (result.code !== 0) {
      const output = Buffer.from(result.stdout + result.stderr).subarray(-2000);
      writeFileSync(join(runDir, 'failed-output'), output);
      host.journal(run, 'failed', 'step', step.name);
      await tools.restoreNow(runDir, `step ${step.name}`);
      return resultLine(host, run, 'failed', `step ${step.name}`, steps, changes, output.toString('base64'));
    }
  }

  deadline = Math.floor(Date.now() / 1000) + payload.rollbackSeconds;
  host.setDeadline(run, deadline);
  const now = host.state();
  host.writeState(run, now.specHash ?? '', 'armed', String(deadline), now.appliedSpecHash ?? '');
  host.journal(run, 'steps-done', String(deadline));
  return resultLine(host, run, 'armed', '', steps, changes, '');
}

/** read_payload's files: new/, the step files, writes, removes, owns, step-timeout, and restore.sh. */
function writeRunDir(runDir: string, payload: LeanPayload): void {
  for (const dir of ['new', 'files', 'steps', 'restore-steps']) mkdirSync(join(runDir, dir), { recursive: true });
  writeFileSync(join(runDir, 'step-timeout'), `${payload.stepTimeout}\n`);
  writeFileSync(join(runDir, 'writes'), payload.writes.map((w) => `${w.mode} ${w.path}\n`).join(''));
  writeFileSync(join(runDir, 'removes'), payload.removes.map((p) => `${p}\n`).join(''));
  writeFileSync(join(runDir, 'owns'), payload.owns.map((n) => `${n}\n`).join(''));
  for (const write of payload.writes) {
    mkdirSync(dirname(join(runDir, 'new', write.path)), { recursive: true });
    writeFileSync(join(runDir, 'new', write.path), write.content);
  }
  for (const step of payload.steps) {
    mkdirSync(join(runDir, step.kind), { recursive: true });
    writeFileSync(join(runDir, step.kind, step.file), [step.name, step.phase, ...step.argv].map((l) => `${l}\n`).join(''));
  }
  writeFileSync(join(runDir, 'restore.sh'), RESTORE_SH_AS_WRITTEN);
}

/** plan_changes: a write whose content and mode the file already has is left alone. */
function planChanges(host: LeanHostDir, runDir: string, payload: LeanPayload): Change[] {
  const changes: Change[] = [];
  for (const write of payload.writes) {
    if (host.isFile(write.path)) {
      const same = sha256(readFileSync(host.at(write.path))) === sha256(write.content);
      const mode = (statSync(host.at(write.path)).mode & 0o7777).toString(8);
      if (same && mode === parseInt(write.mode, 8).toString(8)) continue;
    }
    changes.push({ kind: 'write', mode: write.mode, path: write.path });
  }
  for (const path of payload.removes) if (existsSync(host.at(path))) changes.push({ kind: 'remove', mode: '-', path });
  writeFileSync(join(runDir, 'changes'), changes.map((c) => `${c.kind} ${c.mode} ${c.path}\n`).join(''));
  writeFileSync(join(runDir, 'manifest'), '');
  return changes;
}

/** The backups (cp -p), the manifest and the directories a write will make, deepest first. */
function backUp(host: LeanHostDir, runDir: string, run: string, changes: Change[]): void {
  for (const change of changes) {
    if (existsSync(host.at(change.path))) {
      const backup = join(runDir, 'files', change.path);
      mkdirSync(dirname(backup), { recursive: true });
      copyFileSync(host.at(change.path), backup);
      const stat = statSync(host.at(change.path));
      chmodSync(backup, stat.mode & 0o7777);
      utimesSync(backup, stat.atime, stat.mtime);
      appendFileSync(join(runDir, 'manifest'), `saved ${change.path}\n`);
      host.journal(run, 'backed-up', change.path);
    } else {
      appendFileSync(join(runDir, 'manifest'), `absent ${change.path}\n`);
      host.journal(run, 'absent', change.path);
      for (let dir = dirname(change.path); dir !== '' && dir !== '/' && !existsSync(host.at(dir)); dir = dirname(dir)) {
        appendFileSync(join(runDir, 'new-dirs'), `${dir}\n`);
      }
    }
  }
}

/** snapshot_live: the OVS bridges and ports before the run, from the answers the host's ovs-vsctl serves. */
function snapshotLive(host: LeanHostDir, runDir: string): void {
  const sim = join(host.rootDir, '.sim');
  if (!existsSync(join(sim, 'bin/ovs-vsctl'))) return;
  const ovs = join(sim, 'ovs-cache');
  const read = (name: string): string => {
    try {
      return readFileSync(join(ovs, name), 'utf8');
    } catch {
      throw new LeanDecline(`no cached answer ${name}`);
    }
  };
  const listing = read('list-br');
  const bridges = listing.split(/\s+/).filter(Boolean);
  writeFileSync(join(runDir, 'ovs-bridges'), listing);
  const ports = bridges.flatMap((b) => read(`list-ports.${b}`).split('\n').filter(Boolean).map((p) => `${b} ${p}\n`));
  writeFileSync(join(runDir, 'ovs-ports'), ports.join(''));
  writeFileSync(join(runDir, 'ovs-mtu-requests'), read('list.interface'));
}

function resultLine(host: LeanHostDir, run: string, status: string, failed: string, steps: { name: string; exitCode: number; durationMs: number }[], changes: Change[], output: string): string {
  const stepsJson = steps.map((s) => `{"name":"${s.name}","exitCode":${s.exitCode},"durationMs":${s.durationMs}}`).join(',');
  const changesJson = changes.map((c) => `{"kind":"${c.kind}","path":"${c.path}"}`).join(',');
  return `{"status":"${status}","runId":"${run}","failed":"${failed}","phase":"${host.state().phase ?? ''}","mechanism":"","deadline":${host.deadline(run)},"steps":[${stepsJson}],"changes":[${changesJson}],"outputBase64":"${output}"}\n`;
}

