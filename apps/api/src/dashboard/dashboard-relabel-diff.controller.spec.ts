import type { Response } from 'express';
import { RolloutNotFoundError } from '../relabels/relabel-rollout.store';
import { RolloutConflictError } from '../relabels/rollout-transitions';
import { DashboardRelabelDiffController } from './dashboard-relabel-diff.controller';
import { linuxDiff } from './test-support/relabel-host-diffs';

function response() {
  const sent: { status?: number; body?: string; headers: Record<string, string> } = { headers: {} };
  const res = {
    setHeader: (k: string, v: string) => ((sent.headers[k] = v), res),
    status: (s: number) => ((sent.status = s), res),
    send: (b: string) => ((sent.body = b), res),
  };
  return { res: res as unknown as Response, sent };
}

describe('dashboard relabel diff route', () => {
  it('answers the API refusals as fragments with the API status, and the diff as 200, passing ?target= on', async () => {
    const asked: Array<string | undefined> = [];
    const controller = new DashboardRelabelDiffController({
      diff: async (_id, host, target) => {
        asked.push(target);
        if (host === 'kvm9') throw new RolloutNotFoundError('host "kvm9" is not in rollout r1');
        if (!target) throw new RolloutConflictError('host kvm1 has no hostnet run that detected its OS; fix: add ?target=<one of debian-ifupdown-linux>');
        return linuxDiff();
      },
    });
    const conflict = response();
    await controller.diff('r1', 'kvm1', undefined, conflict.res);
    expect(conflict.sent).toMatchObject({ status: 409, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'" } });
    expect(conflict.sent.body).toContain('<strong>Fix:</strong>');
    const ok = response();
    await controller.diff('r1', 'kvm1', 'debian-ifupdown-linux', ok.res);
    expect(ok.sent.status).toBe(200);
    expect(ok.sent.body).toContain('phase-expand');
    const missing = response();
    await controller.diff('r1', 'kvm9', ['a', 'b'], missing.res);
    expect(missing.sent.status).toBe(404);
    expect(asked).toEqual([undefined, 'debian-ifupdown-linux', undefined]);
  });

  it('refuses ids that are not CloudStack ids or names, and lets other errors through to the error filter', async () => {
    const controller = new DashboardRelabelDiffController({ diff: () => Promise.reject(new Error('redis down')) });
    await expect(controller.diff('r1', 'kvm1', undefined, response().res)).rejects.toThrow('redis down');
    await expect(controller.diff('r1', '<x>', undefined, response().res)).rejects.toThrow();
  });
});
