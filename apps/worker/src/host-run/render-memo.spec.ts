import type { HostFile } from '@hostnet/apply';
import type { LiveState } from '@hostnet/intent';
import type { RenderedConfig } from '@hostnet/render';
import { RenderMemo, type RenderInputs } from './render-memo';

function file(path: string, sha256: string, content = 'x'): HostFile {
  return { path, sha256, size: content.length, mode: 0o644, content };
}

function inputs(over: Partial<RenderInputs> & { files?: HostFile[]; live?: LiveState } = {}): RenderInputs {
  const files = over.files ?? [file('/etc/sysconfig/network-scripts/ifcfg-cloudbr0', 'a1')];
  const live: LiveState = over.live ?? { links: [{ name: 'cloudbr0', kind: 'bridge', up: true }], addresses: [], routes: [] } as unknown as LiveState;
  return {
    hostId: over.hostId ?? 'h1',
    specHash: over.specHash ?? 's1',
    target: over.target ?? 'el-network-scripts-linux',
    ovsDatapathType: over.ovsDatapathType ?? 'system',
    facts: { live, files: new Map(files.map((f) => [f.path, f])) },
    ...(over.agentDevices ? { agentDevices: over.agentDevices } : {}),
    ...(over.openvswitchDown ? { openvswitchDown: true } : {}),
  };
}

function counting() {
  let calls = 0;
  const render = (): RenderedConfig => {
    calls++;
    return { target: 'el-network-scripts-linux', files: [{ path: '/etc/x', content: `render ${calls}\n`, mode: 0o644 }], removes: [], steps: [] };
  };
  return { render, calls: () => calls };
}

describe('RenderMemo', () => {
  it('renders a host once for the same spec, target and facts, and hands back the kept config', () => {
    const memo = new RenderMemo();
    const r = counting();
    const first = memo.get(inputs(), r.render);
    const again = memo.get(inputs(), r.render);
    expect(r.calls()).toBe(1);
    expect(again).toBe(first);
  });

  it.each<[string, Partial<RenderInputs> & { files?: HostFile[]; live?: LiveState }]>([
    ['another spec', { specHash: 's2' }],
    ['another target', { target: 'el-network-scripts-ovs' }],
    ['another datapath type', { ovsDatapathType: 'netdev' }],
    ['a file whose content changed', { files: [file('/etc/sysconfig/network-scripts/ifcfg-cloudbr0', 'b2')] }],
    ['a file more', { files: [file('/etc/sysconfig/network-scripts/ifcfg-cloudbr0', 'a1'), file('/etc/network/interfaces', 'c3')] }],
    ['agent.properties naming other devices (a relabel step renames them)', { agentDevices: [{ key: 'public.network.device', device: 'cloudbr5' }] }],
    ['Open vSwitch installed but its database not answering', { openvswitchDown: true }],
    ['a different live state', { live: { links: [{ name: 'cloudbr0', kind: 'bridge', up: false }], addresses: [], routes: [] } as unknown as LiveState }],
  ])('renders again for %s', (_what, changed) => {
    const memo = new RenderMemo();
    const r = counting();
    memo.get(inputs(), r.render);
    const other = memo.get(inputs(changed), r.render);
    expect(r.calls()).toBe(2);
    expect(other.files[0]!.content).toBe('render 2\n');
    // the host's entry is the latest render: the first inputs render again
    memo.get(inputs(), r.render);
    expect(r.calls()).toBe(3);
  });

  it('keeps hosts apart', () => {
    const memo = new RenderMemo();
    const r = counting();
    memo.get(inputs({ hostId: 'h1' }), r.render);
    memo.get(inputs({ hostId: 'h2' }), r.render);
    memo.get(inputs({ hostId: 'h1' }), r.render);
    expect(r.calls()).toBe(2);
  });

  it('freezes what it keeps, so a caller cannot change the next run\'s config', () => {
    const memo = new RenderMemo();
    const config = memo.get(inputs(), counting().render);
    expect(() => (config.files as unknown[]).push({})).toThrow(TypeError);
    expect(() => ((config.files[0] as { content: string }).content = 'changed')).toThrow(TypeError);
  });

  it('forgets the least recently used host beyond its capacity', () => {
    const memo = new RenderMemo(2);
    const r = counting();
    memo.get(inputs({ hostId: 'h1' }), r.render);
    memo.get(inputs({ hostId: 'h2' }), r.render);
    memo.get(inputs({ hostId: 'h1' }), r.render); // h1 used last: h2 goes first
    memo.get(inputs({ hostId: 'h3' }), r.render);
    expect(r.calls()).toBe(3);
    memo.get(inputs({ hostId: 'h1' }), r.render);
    expect(r.calls()).toBe(3);
    memo.get(inputs({ hostId: 'h2' }), r.render);
    expect(r.calls()).toBe(4);
  });

  it('keeps nothing when rendering throws', () => {
    const memo = new RenderMemo();
    expect(() => memo.get(inputs(), () => { throw new Error('unknown OS'); })).toThrow('unknown OS');
    const r = counting();
    memo.get(inputs(), r.render);
    expect(r.calls()).toBe(1);
  });
});
