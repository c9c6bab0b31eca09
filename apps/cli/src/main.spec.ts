import { runCli } from './main';

describe('runCli: a failure is one stderr line, a list of problems a line each', () => {
  it('with no control character from its message (names from CloudStack and hosts), its line breaks flattened', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (t: string) => void err.push(t) };
    const boom = { run: async () => Promise.reject(new Error('zone "z\u001b[31mred" is unknown;\n  zones: a\u0007, b')), usage: 'hostnet boom' };
    expect(await runCli(['boom'], io, { boom })).toBe(2);
    expect(err).toEqual(['hostnet boom: zone "z?[31mred" is unknown; zones: a?, b\n']);
  });

  it("keeps a line for each of several problems api names (a relabel refused for several hosts), still with no control character", async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (t: string) => void err.push(t) };
    const boom = { run: async () => Promise.reject(new Error('POST /relabels answered 400: 2 problems:\n  - hosts.kvm1: a\u001b[2J\n  - hosts.kvm2, hosts.kvm3: b')), usage: 'hostnet boom' };
    expect(await runCli(['boom'], io, { boom })).toBe(2);
    expect(err).toEqual(['hostnet boom: POST /relabels answered 400: 2 problems:\n  - hosts.kvm1: a?[2J\n  - hosts.kvm2, hosts.kvm3: b\n']);
  });
});
