import { closeFakeApis, relabelHarness as harness } from '../../test-support/relabel-harness';
import { apiUrlFrom } from '../api-client';
import { runCli } from '../main';
import { RELABEL_USAGE, relabelCommand } from './relabel.command';

afterEach(closeFakeApis);

const VIEW = {
  id: 'rl-1', state: 'running', phase: 'contract', planHash: 'ab'.repeat(32), failedHosts: ['h2'],
  hosts: {
    h1: { hostName: 'kvm1', clusterId: 'c1', layout: 'new', steps: [{ purpose: 'contract', result: 'verified' }] },
    h2: { hostName: 'kvm2', clusterId: 'c1', layout: 'both', steps: [{ purpose: 'contract', result: 'failed', reason: 'ErrorInMaintenance' }] },
    h3: { hostName: 'kvm3', clusterId: 'c2', layout: 'both', current: { purpose: 'contract', layout: 'new', stage: 'configure' }, steps: [] },
  },
  progress: { hosts: 3, expanded: 3, contracted: 1, failed: 1, inFlight: ['kvm3'] },
  plan: { hostCount: 3, waves: [{ kind: 'canary', steps: [{ hostName: 'kvm1' }] }, { kind: 'wave', steps: [{ hostName: 'kvm2' }, { hostName: 'kvm3' }] }], calls: [1, 2, 3], warnings: [] },
};

describe('hostnet relabel', () => {
  it('plans with the changes, scope and strategy given, the token from API_TOKEN only', async () => {
    const h = await harness(() => ({ status: 201, body: { ...VIEW, state: 'planned' } }));
    const code = await h.run(['plan', '--zone', 'zone1', '--changes', 'Physical Network 2/Public=cloudbr5,physnet1/Guest=cloudbr9', '--scope', 'cluster1, cluster2', '--out-of-scope', 'leave-behind', '--drifted', 'include', '--canary', '2', '--max-unavailable', '25%', '--abort-after', '1', '--maintenance', 'when-vms', '--public-vlans', '100-199,300', '--api-url', `${h.url}/`], { API_TOKEN: 'tok-123' });
    expect(code).toBe(0);
    expect(h.sent()).toEqual([{
      method: 'POST', url: '/relabels', auth: 'Bearer tok-123',
      body: {
        zone: 'zone1',
        changes: [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }, { physicalNetwork: 'physnet1', trafficType: 'Guest', newLabel: 'cloudbr9' }],
        scope: ['cluster1', 'cluster2'],
        outOfScope: 'leave-behind',
        drifted: 'include',
        strategy: { canary: 2, maxUnavailable: '25%', abortAfter: 1, maintenance: 'when-vms' },
        publicVlans: [100, 199, 300, 300],
      },
    }]);
    expect(h.out.join('')).toMatch(/rollout rl-1 planned[\s\S]*1\. canary: kvm1[\s\S]*2\. wave: kvm2, kvm3[\s\S]*hostnet relabel start --id rl-1/);
    // the canary orders the contract: the plan says expand runs every host at once, before it
    expect(h.out.join('')).toContain('  expand: all 3 hosts, several at once (no canary: it adds the new bridge beside the old, in no maintenance; abortAfter counts its failures too)\n  then the label flip, then the contract (maintenance per strategy) in this order:\n  1. canary: kvm1\n');
  });

  it('asks for a subcommand when none is given, and names an unknown one', async () => {
    const h = await harness(() => ({ status: 200, body: [] }));
    expect(await h.run([], { API_TOKEN: 'tok-123' })).toBe(2);
    expect(await h.run(['--zone', 'zone1'], { API_TOKEN: 'tok-123' })).toBe(2);
    expect(h.err.join('')).toMatch(/relabel needs a subcommand: plan, list, start, pause, resume, abort, give-up, show, status or diff \(start with `hostnet relabel plan --zone Z/);
    expect(h.err.join('')).toMatch(/unknown subcommand "--zone": use plan, list/);
    expect(h.sent()).toEqual([]);
  });

  it('refuses an empty --scope instead of planning the whole zone, sending nothing', async () => {
    const h = await harness(() => ({ status: 201, body: { ...VIEW, state: 'planned' } }));
    for (const scope of ['', ' , ']) {
      const code = await h.run(['plan', '--zone', 'zone1', '--changes', 'physnet1/Guest=cloudbr9', `--scope=${scope}`, '--api-url', h.url], { API_TOKEN: 'tok-123' });
      expect(code).toBe(2);
    }
    expect(h.err.join('')).toMatch(/--scope "" names no cluster: list cluster names or ids \(--scope cluster1,cluster2\), or leave --scope out to plan every KVM cluster of the zone/);
    expect(h.sent()).toEqual([]);
  });

  it('points at --help instead of appending its long usage to a usage error', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (t: string) => err.push(t) };
    const code = await runCli(['relabel', 'show'], io, { relabel: { run: relabelCommand(() => ({ API_TOKEN: 'tok' })), usage: RELABEL_USAGE } });
    expect(code).not.toBe(0);
    expect(RELABEL_USAGE.length).toBeGreaterThan(300);
    expect(err.join('')).toBe('hostnet relabel: --id <rollout> is required (the id `relabel plan` printed) (usage: hostnet relabel --help)\n');
  });

  it('lists every rollout, newest first, to find a lost id again', async () => {
    const listed = [
      { id: 'rl-2', zoneName: 'zone1', state: 'running', phase: 'contract', createdAt: '2026-12-06T10:00:00.000Z', request: { requestedBy: 'ops' }, progress: VIEW.progress },
      { id: 'rl-1', zoneName: 'zone1', state: 'aborted', phase: 'finished', createdAt: '2026-12-05T09:00:00.000Z' },
    ];
    const h = await harness(() => ({ status: 200, body: listed }));
    expect(await h.run(['list'])).toBe(0);
    expect(h.sent().map((s) => `${s.method} ${s.url}`)).toEqual(['GET /relabels']);
    expect(h.out.join('')).toBe(
      'rl-2  zone zone1  running (phase contract)  contracted 1/3, failed 1  planned 2026-12-06T10:00:00.000Z by ops\n' +
        'rl-1  zone zone1  aborted (phase finished)  planned 2026-12-05T09:00:00.000Z\n',
    );
  });

  it('says which planned rollouts are stale, with the fix, in the list and in show', async () => {
    const stale = 'rollout rl-3 is stale: Physical Network 2/Public is already cloudbr5, so it cannot start; fix: discard it (hostnet relabel abort --id rl-3, or POST /relabels/rl-3/abort) and plan again if anything is left to change';
    const listed = [{ id: 'rl-3', zoneName: 'zone1', state: 'planned', phase: 'expand', createdAt: '2026-12-06T10:00:00.000Z', stale }];
    const h = await harness((req) => ({ status: 200, body: req.url === '/relabels' ? listed : { ...VIEW, id: 'rl-3', state: 'planned', phase: 'expand', failedHosts: [], stale } }));
    expect(await h.run(['list'])).toBe(0);
    expect(h.out.join('')).toBe(`rl-3  zone zone1  planned (phase expand)  planned 2026-12-06T10:00:00.000Z\n  stale: ${stale}\n`);
    expect(await h.run(['show', '--id', 'rl-3'])).toBe(0);
    expect(h.out[1]!.split('\n')[1]).toBe(`  stale: ${stale}`);
  });

  it('drives and shows a rollout, failed hosts first', async () => {
    const h = await harness((req) => ({ status: req.method === 'GET' ? 200 : 202, body: VIEW }));
    expect(await h.run(['pause', '--id', 'rl-1'])).toBe(0);
    expect(await h.run(['show', '--id', 'rl-1'])).toBe(0);
    expect(h.sent().map((s) => `${s.method} ${s.url}`)).toEqual(['POST /relabels/rl-1/pause', 'GET /relabels/rl-1']);
    const shown = h.out[1]!.split('\n');
    expect(shown[0]).toBe('rollout rl-1: running (phase contract)');
    expect(shown[1]).toMatch(/\[#+\.+\] expanded 3\/3, contracted 1\/3, failed 1/);
    expect(shown[2]).toMatch(/^ {2}! kvm2 layout both last contract failed: ErrorInMaintenance/);
    expect(shown[3]).toMatch(/kvm3 layout both now contract → new \(configure\)/);
  });

  it("shows the plan's warnings with the state, so a done rollout that left hosts behind says so", async () => {
    const warning = { code: 'out-of-scope-hosts', message: '3 KVM host(s) outside the scope are left behind (cluster1: kvm1, kvm2, kvm3): ...' };
    const done = { ...VIEW, state: 'done', phase: 'finished', failedHosts: [], plan: { ...VIEW.plan, warnings: [warning] } };
    const h = await harness(() => ({ status: 200, body: done }));
    expect(await h.run(['show', '--id', 'rl-1'])).toBe(0);
    const shown = h.out[0]!.split('\n');
    expect(shown[0]).toBe('rollout rl-1: done (phase finished)');
    expect(shown[2]).toBe(`  warning out-of-scope-hosts: ${warning.message}`);
  });

  it('refuses a token flag, a missing API_TOKEN and bad input with one line naming the fix; shows api errors', async () => {
    const h = await harness(() => ({ status: 400, body: { message: ['changes[0].newLabel: "x" is too long; fix: shorter'] } }));
    expect(await h.run(['start', '--id', 'rl-1', '--token', 'secret'])).toBe(2);
    expect(h.err.pop()).toMatch(/read from API_TOKEN only/);
    expect(await h.run(['show', '--id', 'rl-1'], {})).toBe(2);
    expect(h.err.pop()).toMatch(/API_TOKEN is not set/);
    expect(await h.run(['plan', '--zone', 'z', '--changes', 'physnet2-Public-cloudbr5'])).toBe(2);
    expect(h.err.pop()).toMatch(/--changes item 1 .* is not <physicalNetwork>\/<trafficType>=<newLabel>/);
    expect(await h.run(['plan', '--zone', 'z', '--changes', 'p/Public='])).toBe(2);
    expect(h.err.pop()).toMatch(/--changes item 1 "p\/Public=" is not <physicalNetwork>\/<trafficType>=<newLabel>/);
    expect(await h.run(['plan', '--zone', 'z', '--changes', 'p/Public=x'])).toBe(2);
    expect(h.err.pop()).toMatch(/POST \/relabels answered 400: changes\[0\]\.newLabel: "x" is too long; fix: shorter/);
    // a label with a space reaches api, whose validation names the field and the fix
    expect(await h.run(['plan', '--zone', 'z', '--changes', 'p/Public=cloud br5'])).toBe(2);
    expect(h.sent().at(-1)).toMatchObject({ body: { changes: [{ physicalNetwork: 'p', trafficType: 'Public', newLabel: 'cloud br5' }] } });
    expect(h.sent().every((s) => !JSON.stringify(s).includes('secret'))).toBe(true);
  });

  it("prints one host's steps as unified diffs and commands, forward then the abort's way back", async () => {
    const phase = (name: string, from: string, to: string, extra = {}) => ({
      phase: name, from, to, files: [], commands: [], agentProperties: [], restartAgent: true, cloudstackBefore: [], cloudstackAfter: [], ...extra,
    });
    const diff = {
      hostName: 'kvm1', target: 'el-network-scripts-ovs', targetSource: 'detected', basis: 'rendered from the zone as it is now',
      phases: [
        phase('expand', 'old', 'both', { files: [{ path: '/etc/x/ifcfg-cloudbr5', change: 'create', unified: '--- a/etc/x/ifcfg-cloudbr5\n+++ b/etc/x/ifcfg-cloudbr5\n@@ -1,0 +1,1 @@\n+DEVICE=cloudbr5\n' }], commands: ['ovs-vsctl --may-exist add-br cloudbr5'] }),
        phase('contract', 'both', 'new', { agentProperties: [{ from: 'cloudbr1', to: 'cloudbr5' }], cloudstackBefore: [{ api: 'prepareHostForMaintenance', condition: 'if-running-vms' }], cloudstackAfter: [{ api: 'cancelHostMaintenance', params: {}, condition: 'if-running-vms' }] }),
      ],
      rollback: [phase('restore-old', 'both', 'old', { restartAgent: false })],
    };
    const h = await harness(() => ({ status: 200, body: diff }));
    expect(await h.run(['diff', '--id', 'rl-1', '--host', 'kvm 1', '--target', 'el-network-scripts-ovs'])).toBe(0);
    expect(h.sent().map((s) => `${s.method} ${s.url}`)).toEqual(['GET /relabels/rl-1/hosts/kvm%201/diff?target=el-network-scripts-ovs']);
    const out = h.out.join('');
    expect(out).toContain('== expand (old → both)\ncreate /etc/x/ifcfg-cloudbr5\n--- a/etc/x/ifcfg-cloudbr5\n+++ b/etc/x/ifcfg-cloudbr5\n@@ -1,0 +1,1 @@\n+DEVICE=cloudbr5\n$ ovs-vsctl --may-exist add-br cloudbr5\n');
    expect(out).toContain('== contract (both → new)\nCloudStack before: prepareHostForMaintenance (if VMs run)\nfiles: unchanged\nagent.properties: *.network.device cloudbr1 → cloudbr5');
    expect(out).toMatch(/-- if the rollout is aborted[^\n]*\n\n== restore-old \(both → old\)\nfiles: unchanged\n$/);
    // a host holding a change beyond the relabel: that change first, as the dry-run that found it showed it
    const unapplied = { change: 'a dry-run of its spec now found the host differs from it: update /etc/x/ifcfg-bond1', files: [{ path: '/etc/x/ifcfg-bond1', change: 'update', unified: '-miimon=100\n+miimon=200\n' }], live: [] };
    const drifted = await harness(() => ({ status: 200, body: { ...diff, unapplied } }));
    expect(await drifted.run(['diff', '--id', 'rl-1', '--host', 'kvm1'])).toBe(0);
    expect(drifted.out.join('')).toContain('rendered from the zone as it is now\n\n== unapplied: not part of the relabel, applied by its expand: a dry-run of its spec now found the host differs from it: update /etc/x/ifcfg-bond1\nupdate /etc/x/ifcfg-bond1\n-miimon=100\n+miimon=200\n\n== expand (old → both)');
    expect(await h.run(['diff', '--id', 'rl-1'])).toBe(2);
    expect(h.err.pop()).toMatch(/--host <id\|name> are required/);
  });

  it('prints the rollout as JSON with the --json switch', async () => {
    const h = await harness(() => ({ status: 200, body: VIEW }));
    expect(await h.run(['show', '--id', 'rl-1', '--json'])).toBe(0);
    expect(JSON.parse(h.out.join(''))).toEqual(VIEW);
    expect(await h.run(['show', '--id', 'rl-1', '--json=true'])).toBe(2);
    expect(h.err.pop()).toMatch(/--json takes no value/);
  });

  it('takes api from --api-url, else HOSTNET_API_URL, else the local default, checked like every command', () => {
    expect(apiUrlFrom('http://a:1/', { HOSTNET_API_URL: 'http://b:2' })).toBe('http://a:1');
    expect(apiUrlFrom(undefined, { HOSTNET_API_URL: 'http://b:2' })).toBe('http://b:2');
    expect(apiUrlFrom(undefined, {})).toBe('http://127.0.0.1:3000');
    expect(apiUrlFrom(undefined, { HOSTNET_API_URL: '  ' })).toBe('http://127.0.0.1:3000');
    expect(() => apiUrlFrom('http://user:pw@a:1', {})).toThrow(/^--api-url must not carry credentials/);
    expect(() => apiUrlFrom(undefined, { HOSTNET_API_URL: 'ftp://b' })).toThrow('HOSTNET_API_URL "ftp://b" must start with http:// or https://, e.g. http://b');
    // without a scheme, "localhost:" parses as one: the error echoes what was typed and the fix, not "got localhost:"
    expect(() => apiUrlFrom('localhost:3000', {})).toThrow(/^--api-url "localhost:3000" must start with http:\/\/ or https:\/\/, e\.g\. http:\/\/localhost:3000$/);
  });
  it('sends a pause or abort reason, and gives up a host of an aborting rollout, showing it given up', async () => {
    const h = await harness(() => ({ status: 202, body: { ...VIEW, state: 'aborting', phase: 'rollback-flip', givenUp: [{ hostId: 'h3', by: 'ops', why: 'kvm3 died' }] } }));
    expect(await h.run(['abort', '--id', 'rl-1', '--reason', 'kvm3 died', '--api-url', h.url], { API_TOKEN: 't' })).toBe(0);
    expect(await h.run(['give-up', '--id', 'rl-1', '--host', 'kvm3', '--reason', 'kvm3 died', '--requested-by', 'ops', '--api-url', h.url], { API_TOKEN: 't' })).toBe(0);
    expect(h.sent()).toMatchObject([
      { method: 'POST', url: '/relabels/rl-1/abort', body: { reason: 'kvm3 died' } },
      { method: 'POST', url: '/relabels/rl-1/hosts/kvm3/give-up', body: { requestedBy: 'ops', reason: 'kvm3 died' } },
    ]);
    expect(h.out[1]).toContain('\n  given up (left as they are): kvm3 (by ops: kvm3 died)\n');
  });
});
