import { compareNaturalIgnoringCase } from '@hostnet/intent';
import { messageOf } from '../api-client';

/** The part of a host status the demo prints. */
export interface HostStatus {
  hostId: string;
  hostName: string;
  phase: string;
  reason?: string;
  at: string;
  outcome?: { status: string; target?: string };
}

const FINAL = new Set(['enabled', 'failed', 'rolled-back', 'enable-failed']);

/** The demo talks to api over HTTP with the operator's token, like any client would. */
export class DemoApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async waitHealthy(timeoutMs: number, crashed: () => boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (crashed()) throw new Error('api or worker exited during start-up (see its output above)');
      const ok = await fetch(`${this.baseUrl}/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await sleep(200);
    }
    throw new Error(`api did not answer on ${this.baseUrl}/health within ${timeoutMs} ms`);
  }

  async hosts(): Promise<HostStatus[]> {
    const res = await fetch(`${this.baseUrl}/hosts`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`GET /hosts answered ${res.status}`);
    return (await res.json()) as HostStatus[];
  }

  async configureZone(zone: string): Promise<void> {
    const res = await fetch(`${this.baseUrl}/zones/${encodeURIComponent(zone)}/configure`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestedBy: 'demo' }),
    });
    if (res.status !== 202) throw new Error(`POST /zones/${zone}/configure answered ${res.status}: ${messageOf(await res.text())}`);
  }

  /** Reports every status change until `count` hosts reached a final phase. */
  async watch(count: number, timeoutMs: number, onChange: (s: HostStatus) => void): Promise<{ failed: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const statuses = await this.hosts();
      statuses.sort((a, b) => compareNaturalIgnoringCase(a.hostName, b.hostName)).forEach(onChange);
      const final = statuses.filter((s) => FINAL.has(s.phase));
      if (final.length >= count) return { failed: final.filter((s) => s.phase !== 'enabled').length };
      if (Date.now() > deadline) throw new Error(`only ${final.length}/${count} hosts finished within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  /** Waits until every host's latest run (after now) reached a final phase, and counts no-ops. */
  async waitForRun(count: number, timeoutMs: number): Promise<{ noop: number; other: number; others: HostStatus[] }> {
    const since = new Date().toISOString();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Final, not only reported: a no-op host is enabled after its result, and stopping api before then cuts that short.
      const done = (await this.hosts()).filter((s) => s.at >= since && FINAL.has(s.phase) && s.outcome);
      if (done.length >= count) {
        const noop = done.filter((s) => s.outcome?.status === 'no-op');
        const other = done.filter((s) => s.outcome?.status !== 'no-op');
        return { noop: noop.length, other: other.length, others: other };
      }
      if (Date.now() > deadline) throw new Error(`re-run: only ${done.length}/${count} hosts finished`);
      await sleep(250);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
