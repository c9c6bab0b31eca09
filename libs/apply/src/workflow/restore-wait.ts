import { CONFIRMED_MEANWHILE, presumedRestore } from '@hostnet/contracts';
import { DEFAULT_MTU, liveDifferences, type LiveState } from '@hostnet/intent';
import type { ApplyOutcome, Verification, VerificationCheck } from '../domain/apply-outcome';
import type { HostFacts, HostFile } from '../domain/host-facts';
import { nmGenerated } from '@hostnet/render';
import { verifyLiveState } from '../verify/live-state.verifier';
import { buildOutcome, isoFromEpochSeconds } from './outcome.builder';
import { isPending } from './pending-run.resolver';
import type { PreparedApply, RunContext } from './run-context';
import { errorText } from './run-context';
import { settleWindow } from './settle-window';

/** What a run that is being (or has been) restored reports once the host shows the restore ended. */
export interface RestoreWait {
  prepared: PreparedApply;
  base: Pick<ApplyOutcome, 'target' | 'diff' | 'steps'>;
  mechanism?: 'systemd-run' | 'setsid' | 'nohup';
  reason: string;
  /** What the journal says failed (a write, backup or step): the run ends `failed`, else `rolled-back`. */
  failed?: string;
  /** The verification that decided the rollback, when one did. */
  verification?: Verification;
}

const LIVE_RESTORED = 'live state restored';

const NOT_VERIFIED: Verification = { ok: false, checks: [{ name: 'new configuration', ok: false, detail: 'not verified: the host restored its previous configuration' }] };

/** A run whose restore no facts showed: nothing says the host is back, only that its timer was due. */
const notConfirmed = (unconfirmed: string): Verification => ({ ok: false, checks: [{ name: 'new configuration', ok: false, detail: `not verified: ${presumedRestore(unconfirmed)}` }] });

/**
 * Waits until `notBefore` (the host's deadline plus grace when it could not be reached), then reads
 * facts on a fresh connection (which also resumes a restore that died) until the host shows this run
 * restored, and reports it with the evidence: the files and owned live state back as they were.
 */
export async function awaitRestore(ctx: RunContext, wait: RestoreWait, notBefore: number): Promise<ApplyOutcome> {
  const { options, runner, pool, tracker, hostRunId, clock } = ctx;
  await clock.sleep(notBefore - clock.now());
  const limit = clock.now() + options.reconnectTimeoutMs;
  // the host seen restored (restoreChecks) or, when no facts showed it, why the restore is unconfirmed
  const end = (status: ApplyOutcome['status'], reason: string, seen: { restoreChecks: VerificationCheck[]; restoredAt?: number } | { unconfirmed: string }): ApplyOutcome =>
    buildOutcome(status, hostRunId, tracker, {
      ...wait.base,
      reason: [wait.failed ?? '', wait.reason, reason].filter(Boolean).join('; '),
      verification: wait.verification && !wait.verification.ok ? wait.verification : 'unconfirmed' in seen ? notConfirmed(seen.unconfirmed) : NOT_VERIFIED,
      rollback: {
        armedSeconds: options.rollbackSeconds,
        triggered: true,
        ...(wait.mechanism ? { mechanism: wait.mechanism } : {}),
        ...('unconfirmed' in seen ? { unconfirmed: seen.unconfirmed } : { restoreChecks: seen.restoreChecks, ...(seen.restoredAt ? { restoredAt: isoFromEpochSeconds(seen.restoredAt) } : {}) }),
      },
    });
  // Restored files with live state not back yet are read again while it settles, as after an apply.
  const settling = settleWindow(clock, options);
  for (;;) {
    const session = await pool.connectUntil(limit);
    if (!session) return end('failed', `still unreachable after the rollback deadline: ${errorText(pool.lastError)}`, { unconfirmed: 'host unreachable' });
    const facts = await runner.facts(session, options.extraFactPaths, options.factsTimeoutMs);
    await pool.release(session);
    const state = facts.runState;
    if (state?.runId !== hostRunId) return end('failed', 'the host holds another run now; this one did not complete', { unconfirmed: 'the host holds another run now' });
    if (state.phase === 'applied') {
      // A confirm won (its answer was lost): the new configuration stands. `applied` only with a
      // verification that passed, this worker's own or one read from these facts.
      const verification = wait.verification?.ok ? wait.verification : verifyLiveState(ctx.plan.expected, facts.live, 'skipped (checked from facts)');
      const reason = [wait.reason, CONFIRMED_MEANWHILE].filter(Boolean).join('; ');
      return buildOutcome(verification.ok ? 'applied' : 'failed', hostRunId, tracker, { ...wait.base, reason, ...(verification.ok ? { recovered: reason } : {}), verification });
    }
    if (state.phase === 'rolled-back') {
      const checks = [...restoredChecks(wait.prepared.facts, facts, ctx.plan.expected.live), ...journalChecks(facts)];
      const restored = checks.every((c) => c.ok);
      const onlyLive = checks.every((c) => c.ok || c.name === LIVE_RESTORED);
      if (!restored && onlyLive && (await settling.again())) continue;
      const atOnce = wait.failed !== undefined || wait.verification !== undefined;
      const note = !restored
        ? 'previous configuration NOT fully restored (see rollback.restoreChecks)'
        : atOnce ? 'previous configuration restored at once' : 'the on-host timer restored the previous configuration';
      return end(wait.failed || !restored ? 'failed' : 'rolled-back', note, { restoreChecks: checks, ...(state.updatedAt ? { restoredAt: state.updatedAt } : {}) });
    }
    if (!isPending(state) || clock.now() >= limit) return end('failed', `the host is still ${state.phase}`, { unconfirmed: `the host is still ${state.phase}` });
    await clock.sleep(options.reconnectIntervalMs);
  }
}

/**
 * What the restore itself journaled it could not undo (a step, an MTU, a link): things the comparison
 * of files and live state may not see (an MTU, an OVS setting), so the run is not called restored. And what
 * it kept of the run's own because a VM's tap or the agent's device joined it meanwhile: not deleted, and
 * said so by name rather than as a live difference. And Open vSwitch, down before the run, left running.
 */
export function journalChecks(after: HostFacts): VerificationCheck[] {
  const incomplete = after.restore?.incomplete ?? [];
  const kept = after.restore?.kept ?? [];
  return [
    ...(incomplete.length === 0 ? [] : [{ name: 'restore journal', ok: false, detail: `the restore could not undo: ${incomplete.join('; ')}` }]),
    ...(kept.length === 0
      ? []
      : [{ name: 'restore kept', ok: false, detail: `kept what this run made, as something hostnet does not own is on it: ${kept.join('; ')}; delete it once that has moved` }]),
    ...(after.restore?.keptOvs === undefined ? [] : [{ name: 'restore kept ovs', ok: false, detail: `Open vSwitch left ${after.restore.keptOvs}` }]),
  ];
}

/** The links the restore kept (journal `kept-bridge NAME …`, `kept-link NAME …`). */
const keptNames = (after: HostFacts): Set<string> => new Set((after.restore?.kept ?? []).map((k) => k.split(' ')[0] as string));

/**
 * Absent, or the profile NetworkManager generates in /run for a device it found (a VM's tap): it mirrors the device,
 * and NetworkManager writes it anew (another uuid) whenever the tap is re-attached, as a restore's re-activation of
 * its bridge does. Not the run's to restore.
 */
const deviceMirror = (file: HostFile | undefined): boolean => file === undefined || (file.content !== undefined && nmGenerated(file.path, file.content));

/**
 * The files and live state the host has now against those it had before the apply. Only interfaces
 * that existed before or that the run manages count: a VM's tap plugged in meanwhile is not a difference.
 */
export function restoredChecks(before: HostFacts, after: HostFacts, owned: LiveState): VerificationCheck[] {
  const checks: VerificationCheck[] = [];
  const paths = new Set([...before.files.keys(), ...after.files.keys()]);
  for (const path of [...paths].sort()) {
    if (deviceMirror(before.files.get(path)) && deviceMirror(after.files.get(path))) continue;
    const was = before.files.get(path)?.sha256;
    const now = after.files.get(path)?.sha256;
    if (was !== now) checks.push({ name: `restored ${path}`, ok: false, detail: was ? 'content differs from the backup' : 'should not exist' });
  }
  if (checks.length === 0) checks.push({ name: 'files restored', ok: true, detail: `${paths.size} files match the pre-apply hashes` });
  // a link the restore kept is reported by its journal check, with why
  const kept = keptNames(after);
  const names = new Set([...before.live.links.map((l) => l.name), ...owned.links.map((l) => l.name)].filter((n) => !kept.has(n)));
  const relevant: LiveState = {
    links: after.live.links.filter((l) => names.has(l.name)).map((l) => (l.members ? { ...l, members: l.members.filter((m) => names.has(m)) } : l)),
    addresses: after.live.addresses.filter((a) => names.has(a.dev)),
    routes: after.live.routes.filter((r) => names.has(r.dev)),
  };
  // Only hostnet's own NICs, bonds and VLAN interfaces are held to their pre-run MTU (facts leave 1500 out): the
  // restore sets those back; a link hostnet does not own (a VM's tap) is never held to one, nor a bridge, which
  // runs at its smallest port's (a VM plugged in meanwhile may have lowered it), Linux or OVS
  const ownedNames = new Set(owned.links.map((l) => l.name));
  const was: LiveState = {
    ...before.live,
    links: before.live.links.map(({ mtu, ...link }) => (ownedNames.has(link.name) && HELD_KINDS.has(link.kind) ? { ...link, mtu: mtu ?? DEFAULT_MTU } : link)),
  };
  const live = [...liveDifferences(was, relevant), ...masterDifferences(before.live, after.live)];
  checks.push({ name: LIVE_RESTORED, ok: live.length === 0, detail: live.join('; ') || 'matches the pre-apply live state' });
  return checks;
}

/** The kinds whose MTU is their own: not a bridge's, which follows its ports. */
const HELD_KINDS = new Set<string>(['nic', 'bond', 'vlan']);

/** Links that had no master before and sit in one now (a spare NIC the run enslaved): a restore must take them out too. */
function masterDifferences(before: LiveState, after: LiveState): string[] {
  const now = new Map(after.links.map((l) => [l.name, l]));
  return before.links.filter((l) => l.master === undefined && now.get(l.name)?.master !== undefined).map((l) => `${l.name} is in ${now.get(l.name)!.master}, was in none`);
}
