import { ApiClient, apiTokenOf, apiUrlFrom, messageOf, requiredFlag, timeoutSecondsOf } from '../api-client';
import { CliUsageError, type CliCommand } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { formatPlanTable, planExitCode, rowFromRecord, type PlanRecord, type PlanRow } from './plan-report';

/** Usage of `hostnet plan`. */
export const PLAN_USAGE = `hostnet plan [--api-url URL] --zone ID|NAME [--timeout SECONDS] [--requested-by NAME] [--json]  (api from --api-url, else HOSTNET_API_URL, else http://127.0.0.1:3000; token from env API_TOKEN)
Dry-runs every KVM host of the zone through api and prints host | target | files changed | live differences | verdict
(--json adds the names of the steps an apply would run; hostnet host --host NAME shows each one's command and the file diffs).
Exit 0: nothing would change; 2: something would change; 1: any error, refused or unanswered host, or bad input.`;

/** What POST /zones/:zone/configure answers per host. */
interface TriggerResult {
  hostId: string;
  hostName: string;
  runId?: string;
  enqueued: boolean;
  skipped?: string;
}

export interface PlanCommandOptions {
  env?: () => Record<string, string | undefined>;
  pollIntervalMs?: number;
}

/** Hosts asked at once while waiting. */
const POLL_CONCURRENCY = 8;

/**
 * `hostnet plan`: POST /zones/:zone/configure with dryRun, then GET /hosts/:id until each host has the
 * record of the dry-run that request started (matched by run id, so an older record never counts), or
 * --timeout passes. Every failure, including bad usage, exits 1: 2 means "changes".
 */
export function planCommand(options: PlanCommandOptions = {}): CliCommand {
  const readEnv = options.env ?? (() => process.env);
  const intervalMs = options.pollIntervalMs ?? 2_000;
  return async (argv, io) => {
    try {
      const flags = parseFlags(argv, ['api-url', 'zone', 'timeout', 'requested-by'], ['json']);
      const apiUrl = apiUrlFrom(flags['api-url'], readEnv());
      const zone = requiredFlag(flags.zone, '--zone', 'the CloudStack zone id or name, e.g. --zone "EU West"');
      const timeoutS = timeoutSecondsOf(flags.timeout, 900);
      const api = new ApiClient(apiUrl, apiTokenOf(readEnv()), timeoutS * 1000);

      const body = { dryRun: true, ...(flags['requested-by'] ? { requestedBy: flags['requested-by'] } : {}) };
      // 409/422: no host was run, and the body lists each host's answer (they become the table's rows)
      const path = `/zones/${encodeURIComponent(zone)}/configure`;
      const { status, body: answer } = await api.answer<TriggerResult[] | { message?: unknown; results?: TriggerResult[] }>('POST', path, body, [202, 409, 422]);
      const triggered = Array.isArray(answer) ? answer : answer.results;
      if (!triggered) throw new Error(`POST ${path} answered ${status}: ${messageOf(JSON.stringify(answer))}`);
      io.stderr(planStartLine(zone, triggered, timeoutS));
      const rows = await waitForRows(api, triggered, Date.now() + timeoutS * 1000, intervalMs, timeoutS);
      io.stdout(flags.json ? `${JSON.stringify({ zone, exitCode: planExitCode(rows), hosts: rows }, null, 2)}\n` : formatPlanTable(zone, rows));
      return planExitCode(rows);
    } catch (error) {
      const usage = error instanceof CliUsageError ? `\nusage: ${PLAN_USAGE.split('\n')[0]}` : '';
      io.stderr(`hostnet plan: ${(error as Error).message}${usage}\n`);
      return 1;
    }
  };
}

/** What the request started: hosts a dry-run runs on (or joined), and those api ran nothing for, by count. */
export function planStartLine(zone: string, triggered: readonly TriggerResult[], timeoutS: number): string {
  const running = triggered.filter((t) => t.runId !== undefined && t.skipped === undefined).length;
  const notRun = triggered.length - running;
  const refused = notRun > 0 ? `; ${notRun} not run (see the table)` : '';
  const waiting = running > 0 ? `; waiting up to ${timeoutS} s` : '';
  return `hostnet plan: dry-run running on ${running} of ${triggered.length} host(s) of zone ${zone}${refused}${waiting}\n`;
}

/** Polls the hosts whose run is not done until each has a row or the deadline passes. */
async function waitForRows(api: ApiClient, triggered: TriggerResult[], deadline: number, intervalMs: number, timeoutS: number): Promise<PlanRow[]> {
  const rows = new Map<string, PlanRow>();
  const waiting: TriggerResult[] = [];
  for (const t of triggered) {
    const host = { hostId: t.hostId, hostName: t.hostName };
    if (t.runId === undefined || t.skipped !== undefined) rows.set(t.hostId, { ...host, verdict: 'error', reason: `not run: ${t.skipped ?? 'api started no run'}` });
    else waiting.push(t);
  }
  for (;;) {
    const pending = waiting.filter((t) => !rows.has(t.hostId));
    for (let i = 0; i < pending.length; i += POLL_CONCURRENCY) {
      await Promise.all(pending.slice(i, i + POLL_CONCURRENCY).map(async (t) => {
        const row = await rowFor(api, t);
        if (row) rows.set(t.hostId, row);
      }));
    }
    if (waiting.every((t) => rows.has(t.hostId))) break;
    if (Date.now() > deadline) {
      for (const t of waiting) {
        if (!rows.has(t.hostId)) rows.set(t.hostId, { hostId: t.hostId, hostName: t.hostName, verdict: 'error', reason: `no dry-run record for run ${t.runId} after ${timeoutS} s (worker down or host unreachable?); look with hostnet host --host ${t.hostName ?? t.hostId}` });
      }
      break;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return triggered.map((t) => rows.get(t.hostId) as PlanRow);
}

/** The host's row once the record of run `t.runId` is final; an unreachable api for one host is that host's error. */
async function rowFor(api: ApiClient, t: TriggerResult): Promise<PlanRow | null> {
  const host = { hostId: t.hostId, hostName: t.hostName };
  try {
    const view = await api.call<{ history: PlanRecord[] } | undefined>('GET', `/hosts/${encodeURIComponent(t.hostId)}`, undefined, 200, true);
    const records = (view?.history ?? []).filter((r) => r.runId === t.runId);
    for (const record of records) {
      const row = rowFromRecord(host, record);
      if (row) return row;
    }
    return null;
  } catch (error) {
    return { ...host, verdict: 'error', reason: (error as Error).message };
  }
}
