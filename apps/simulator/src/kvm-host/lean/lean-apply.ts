import { appendFileSync, chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contentSha256 } from '@hostnet/apply';
import { BOOT_ID } from './lean-clock';
import { deadlineIn, type LeanHostDir } from './lean-host-dir';
import { LeanDecline } from './lean-live';
import { type LeanPayload, readLeanPayload } from './lean-apply-payload';
import type { LeanStepResult } from './lean-steps';

/** What a lean apply needs of the host beyond its files. */
export interface LeanApplyContext {
  /** `has NAME`: the command is on the host's PATH. */
  onPath(name: string): boolean;
  /** How long the host's activations take (a step timeout shorter than that is the script's to meet). */
  applyLatencyMs: number;
  /** The run's directory and journal exist: a contact from now on must find the run the lean model's. */
  started(run: string): void;
  /** A step's argv, as run_step runs it (under timeout, stdin empty). */
  run(argv: string[], timeoutSeconds: number): Promise<LeanStepResult>;
  /** Runs the steps as one series (LeanSteps.series). */
  series<T>(fn: () => Promise<T>): Promise<T>;
  /** The run's restore.sh in a real shell (`now`), as the apply script's stop_run runs it. */
  restoreNow(runDir: string, why: string): Promise<void>;
}

interface Change {
  kind: 'write' | 'remove';
  mode: string;
  path: string;
}

/** The OVS bridges and ports before the run (snapshot_live), read before anything is written. */
interface OvsSnapshot {
  bridges: string;
  ports: string;
  mtuRequests: string;
  /** ovs_port_rows (ovs-membership-restore.snippet.ts): the port rows, then the interface rows, each line after its table's name. */
  portRows: string;
}

type StepTiming = { name: string; exitCode: number; durationMs: number };

/**
 * apply.script.ts's transaction on a simulated host, in-process: the same run directory, journal,
 * state.json, backups and written files, and the same result line. Its rollback watcher is a timer
 * (lean-watcher.ts), which the result reports as no mechanism. Whatever the script would refuse or answer
 * `busy`, or do otherwise than this does, goes to the script before anything is written; a failure after
 * that runs the real restore.sh, as the script's stop_run does.
 */
export async function leanApply(host: LeanHostDir, stdin: string, ctx: LeanApplyContext): Promise<string> {
  const payload = readLeanPayload(stdin);
  const runDir = host.runDir(payload.run);
  const state = host.state();
  refuseWhatTheScriptDoesOtherwise(host, payload, runDir, state, ctx);
  const ovs = ovsSnapshot(host);

  writeRunDir(runDir, payload);
  ctx.started(payload.run);
  const { run, spec } = payload;
  host.journal(run, 'begin', spec);
  host.touchRunLock();
  host.journal(run, 'locked', String(process.pid));
  const steps: StepTiming[] = [];
  let changes: Change[] = [];
  try {
    changes = planChanges(host, runDir, payload);
    const stepCount = payload.steps.filter((s) => s.kind === 'steps').length;
    host.journal(run, 'planned', String(changes.length), String(stepCount));
    backUp(host, runDir, run, changes);
    if (ovs) {
      writeFileSync(join(runDir, 'ovs-bridges'), ovs.bridges);
      writeFileSync(join(runDir, 'ovs-ports'), ovs.ports);
      writeFileSync(join(runDir, 'ovs-mtu-requests'), ovs.mtuRequests);
      writeFileSync(join(runDir, 'ovs-port-rows'), ovs.portRows);
    }
    // the script's record of the bridge netfilter switches: a simulated host has no $R/proc/sys, so none
    writeFileSync(join(runDir, 'bridge-nf'), '');
    if (BOOT_ID !== undefined) writeFileSync(join(runDir, 'boot-id'), BOOT_ID);
    let deadline = deadlineIn(payload.rollbackSeconds + stepCount * (payload.stepTimeout + 5));
    host.setDeadline(run, deadline);
    host.writeState(run, spec, 'armed', String(deadline.epoch), state.appliedSpecHash ?? '');
    host.journal(run, 'armed', String(deadline.epoch), 'lean');
    writeChanges(host, runDir, run, changes);

    const failed = await ctx.series(async () => {
      for (const step of payload.steps.filter((s) => s.kind === 'steps')) {
        host.journal(run, 'step-start', step.name);
        const started = Date.now();
        const result = await ctx.run(step.argv, payload.stepTimeout);
        writeFileSync(join(runDir, 'steps', `${step.file}.log`), result.output);
        host.journal(run, 'step-end', step.name, String(result.code));
        steps.push({ name: step.name, exitCode: result.code, durationMs: Date.now() - started });
        if (result.code !== 0) return { name: step.name, output: result.output.subarray(-2000) };
      }
      return undefined;
    });
    if (failed) {
      writeFileSync(join(runDir, 'failed-output'), failed.output);
      return await stopRun(host, ctx, run, `step ${failed.name}`, steps, changes, failed.output.toString('base64'));
    }

    deadline = deadlineIn(payload.rollbackSeconds);
    host.setDeadline(run, deadline);
    const now = host.state();
    host.writeState(run, now.specHash ?? '', 'armed', String(deadline.epoch), now.appliedSpecHash ?? '');
    host.journal(run, 'steps-done', String(deadline.epoch));
    return resultLine(host, run, 'armed', '', steps, changes, '');
  } catch (error) {
    // the script's EXIT trap: whatever stopped it half-way is restored
    return stopRun(host, ctx, run, 'script-exit', steps, changes, Buffer.from(String((error as Error).message)).toString('base64'));
  }
}

/** Declines, before anything is written, every payload and host the script would answer otherwise. */
function refuseWhatTheScriptDoesOtherwise(host: LeanHostDir, payload: LeanPayload, runDir: string, state: ReturnType<LeanHostDir['state']>, ctx: LeanApplyContext): void {
  if (existsSync(runDir)) throw new LeanDecline('the run exists: the script rejects it');
  if (state.phase === 'armed' || state.phase === 'rolling-back') throw new LeanDecline('a run is armed: the script answers busy');
  if ((state.runId || '-') !== payload.seen.run || (state.phase || '-') !== payload.seen.phase) throw new LeanDecline('planned from another run state: the script answers stale');
  if (!ctx.onPath('flock') || !ctx.onPath('sha256sum')) throw new LeanDecline('the script rejects a host without flock or sha256sum');
  const paths = [...payload.writes.map((w) => w.path), ...payload.removes];
  if (new Set(payload.writes.map((w) => w.path)).size !== payload.writes.length) throw new LeanDecline('a path written twice');
  for (const path of paths) {
    let stat;
    try {
      stat = lstatSync(host.at(path));
    } catch {
      continue;
    }
    if (!stat.isFile()) throw new LeanDecline(`${path} is there but not a regular file`);
  }
  for (const step of payload.steps.filter((s) => s.kind === 'steps')) {
    if (step.argv.length === 0) throw new LeanDecline(`step ${step.name} has no command`);
  }
  if (ctx.applyLatencyMs >= payload.stepTimeout * 1000) throw new LeanDecline('an activation outlasts the step timeout');
}

/** stop_run: `failed` journaled, the real restore.sh run now, and the `failed` result. */
async function stopRun(host: LeanHostDir, ctx: LeanApplyContext, run: string, what: string, steps: StepTiming[], changes: Change[], output: string): Promise<string> {
  host.journal(run, 'failed', what);
  if (host.state().runId === run) await ctx.restoreNow(host.runDir(run), what);
  return resultLine(host, run, 'failed', what, steps, changes, output);
}

/** read_payload's files: new/, the step files, writes, removes, owns, step-timeout, restore.sh and the boot hook's. */
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
  for (const script of payload.scripts) writeFileSync(join(runDir, script.name), script.content);
}

/** plan_changes: a write whose content and mode the file already has is left alone. */
function planChanges(host: LeanHostDir, runDir: string, payload: LeanPayload): Change[] {
  const changes: Change[] = [];
  for (const write of payload.writes) {
    if (host.isFile(write.path)) {
      const same = contentSha256(readFileSync(host.at(write.path))) === contentSha256(write.content);
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

/** The writes (a temporary file renamed over the target) and removes, each journaled as the script does. */
function writeChanges(host: LeanHostDir, runDir: string, run: string, changes: Change[]): void {
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
    host.journal(run, 'wrote', change.path, contentSha256(readFileSync(host.at(change.path))));
  }
}

/** snapshot_live from the answers the host's ovs-vsctl serves (its cache); none without ovs-vsctl. */
function ovsSnapshot(host: LeanHostDir): OvsSnapshot | undefined {
  const sim = join(host.rootDir, '.sim');
  if (!existsSync(join(sim, 'bin/ovs-vsctl'))) return undefined;
  const read = (name: string): string => {
    try {
      return readFileSync(join(sim, 'ovs-cache', name), 'utf8');
    } catch {
      throw new LeanDecline(`no cached answer ${name}`);
    }
  };
  const bridges = read('list-br');
  const ports = bridges
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((b) => read(`list-ports.${b}`).split('\n').filter(Boolean).map((p) => `${b} ${p}\n`));
  const rows = (table: string, text: string) => text.split('\n').filter(Boolean).map((row) => `${table} ${row}\n`);
  // the stand-in answers the chained port and interface lists the same whatever columns are asked: the cached rows
  const portRows = [...rows('port', read('rows.port').split('\n').slice(1).join('\n')), ...rows('interface', read('list.interface'))].join('');
  return { bridges, ports: ports.join(''), mtuRequests: read('list.interface'), portRows };
}

function resultLine(host: LeanHostDir, run: string, status: string, failed: string, steps: StepTiming[], changes: Change[], output: string): string {
  const stepsJson = steps.map((s) => `{"name":"${s.name}","exitCode":${s.exitCode},"durationMs":${s.durationMs}}`).join(',');
  const changesJson = changes.map((c) => `{"kind":"${c.kind}","path":"${c.path}"}`).join(',');
  return `{"status":"${status}","runId":"${run}","failed":"${failed}","phase":"${host.state().phase ?? ''}","mechanism":"","deadline":${host.deadline(run)},"steps":[${stepsJson}],"changes":[${changesJson}],"outputBase64":"${output}"}\n`;
}
