import type { CloudStackSimulator } from '../../../apps/simulator/src/cloudstack';
import { call, startSimulator } from './simulator-test-client';

describe('CloudStack simulator: fault injection', () => {
  let sim: CloudStackSimulator;
  const logLines: string[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ log: (line) => logLines.push(line) });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.faults.clear();
    sim.calls.clear();
  });

  it('fails the next N calls of a command with CloudStack’s 530 body, then recovers', async () => {
    sim.faults.failNext(2, { command: 'listHosts' });
    for (let i = 0; i < 2; i++) {
      const answer = await call(sim, { command: 'listHosts' });
      expect(answer.status).toBe(530);
      expect(answer.text).toBe('{"listhostsresponse":{"uuidList":[],"errorcode":530,"cserrorcode":9999,"errortext":"Internal error executing command, please contact your system administrator"}}');
    }
    expect((await call(sim, { command: 'listZones' })).status).toBe(200);
    expect((await call(sim, { command: 'listHosts' })).status).toBe(200);
    expect(sim.calls.all().map((c) => [c.command, c.status, c.faulted])).toEqual([
      ['listHosts', 530, true], ['listHosts', 530, true], ['listZones', 200, false], ['listHosts', 200, false],
    ]);
  });

  it('answers 503 with no body, and 429 with CloudStack’s body', async () => {
    sim.faults.failNext(1, { status: 503 }).throttleNext(1);
    const unavailable = await call(sim, { command: 'listZones' });
    expect(unavailable.status).toBe(503);
    expect(unavailable.text).toBe('');
    const throttled = await call(sim, { command: 'listZones' });
    expect(throttled.status).toBe(429);
    expect(throttled.json.listzonesresponse).toMatchObject({ errorcode: 429 });
  });

  it('hangs a call until the client gives up, without blocking later calls', async () => {
    sim.faults.hangNext(1, { command: 'listZones' });
    await expect(call(sim, { command: 'listZones' }, { timeoutMs: 150 })).rejects.toThrow(/aborted|timeout/i);
    expect((await call(sim, { command: 'listZones' })).status).toBe(200);
  });

  it('slows a call by the given delay', async () => {
    sim.faults.slowNext(1, 200);
    const started = Date.now();
    const answer = await call(sim, { command: 'listZones' });
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('logs one line per call without parameters or keys', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/secret|apikey|signature/i);
  });
});
