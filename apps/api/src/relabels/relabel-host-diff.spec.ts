import { relabelIntent } from '@hostnet/intent';
import { planRelabel, type RelabelBackend } from '@hostnet/relabel';
import { renderHost, type RenderTargetId } from '@hostnet/render';
import { buildZone } from '../../../../libs/relabel/test-support/zone-builder';
import { centosLinuxBridgeIntent, centosOvsIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { relabelHostDiff, type PhaseDiff } from './relabel-host-diff';

const ZONE = buildZone({ clusterSizes: [2] });
const CHANGES = [{ physicalNetworkId: 'pn-2', trafficType: 'Public' as const, oldLabel: 'cloudbr1', newLabel: 'cloudbr5' }];

function diffFor(backend: RelabelBackend, target: RenderTargetId) {
  const plan = planRelabel({
    topology: ZONE,
    changes: [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }],
    hostFacts: Object.fromEntries(ZONE.hosts.map((h) => [h.id, { backend, pifs: { cloudbr0: 'bond0', cloudbr1: 'bond1' } }])),
  });
  const intent = backend === 'ovs' ? centosOvsIntent : centosLinuxBridgeIntent;
  return relabelHostDiff({ rolloutId: 'r1', changes: CHANGES, plan, hostId: ZONE.hosts[0]!.id, intent, target, targetSource: 'detected' });
}
const files = (p: PhaseDiff) => p.files.map((f) => `${f.change} ${f.path.split('/').pop()}`);
const byName = (phases: PhaseDiff[]) => new Map(phases.map((p) => [p.phase, p]));

describe('relabelHostDiff: what each host step of a rollout changes on one host', () => {
  const ovs = diffFor('ovs', 'el-network-scripts-ovs');
  const fwd = byName(ovs.phases);
  const back = byName(ovs.rollback);

  it('expand adds the new bridge and its patch pair beside the old one, touching nothing else', () => {
    expect(ovs.phases.map((p) => [p.phase, p.from, p.to])).toEqual([
      ['expand', 'old', 'both'],
      ['contract', 'both', 'new'],
    ]);
    expect(files(fwd.get('expand')!)).toEqual(['create ifcfg-cloudbr5', 'create ifcfg-pt-cloudbr5', 'create ifcfg-pt-cloudbr1']);
    const commands = fwd.get('expand')!.commands;
    expect(commands).toContain('ovs-vsctl --may-exist add-br cloudbr5');
    expect(commands.some((c) => /del-(br|port)|cloudbr1 bond1|ifdown/.test(c))).toBe(false);
    expect(fwd.get('expand')).toMatchObject({ restartAgent: true, agentProperties: [], cloudstackBefore: [] });
  });

  it('contract moves the uplink to the new bridge and removes the old one and the patch pair, inside maintenance', () => {
    const contract = fwd.get('contract')!;
    expect(files(contract)).toEqual(['update ifcfg-bond1', 'delete ifcfg-cloudbr1', 'delete ifcfg-pt-cloudbr1', 'delete ifcfg-pt-cloudbr5']);
    expect(contract.files[0]!.unified).toContain('-OVS_BRIDGE=cloudbr1\n+OVS_BRIDGE=cloudbr5\n');
    expect(contract.commands).toContain('ovs-vsctl --if-exists del-br cloudbr1');
    expect(contract.agentProperties).toEqual([{ from: 'cloudbr1', to: 'cloudbr5' }]);
    expect([contract.cloudstackBefore.map((c) => c.api), contract.cloudstackAfter.map((c) => c.api)]).toEqual([['prepareHostForMaintenance'], ['cancelHostMaintenance']]);
  });

  it("the abort's steps undo the forward ones file for file", () => {
    const inverse = (p: PhaseDiff) => files(p).map((f) => f.replace(/^create/, 'DEL').replace(/^delete/, 'create').replace(/^DEL/, 'delete')).sort();
    expect(files(back.get('restore-both')!).sort()).toEqual(inverse(fwd.get('contract')!));
    expect(files(back.get('restore-old')!).sort()).toEqual(inverse(fwd.get('expand')!));
    expect(back.get('restore-old')!.commands).toContain('ovs-vsctl --if-exists del-br cloudbr5');
    expect(back.get('restore-both')!.agentProperties).toEqual([]);
  });

  it('a created file is byte for byte what the run renders for the layout', () => {
    const both = renderHost(relabelIntent(centosOvsIntent, { layout: 'both', changes: CHANGES }), 'el-network-scripts-ovs');
    for (const f of fwd.get('expand')!.files) {
      const added = f.unified.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1));
      expect(`${added.join('\n')}\n`).toBe(both.files.find((r) => r.path === f.path)!.content);
    }
  });

  it('a Linux-bridge host on a tagged change also lists the agent switch after the flip (no file, a restart) and its way back', () => {
    const linux = diffFor('linux', 'debian-ifupdown-linux');
    expect(linux.phases.map((p) => p.phase)).toEqual(['expand', 'switch', 'contract']);
    expect(linux.rollback.map((p) => p.phase)).toEqual(['restore-both', 'switch-back', 'restore-old']);
    const sw = byName(linux.phases).get('switch')!;
    expect([sw.files, sw.restartAgent, sw.cloudstackAfter.map((c) => c.params['allocationstate'])]).toEqual([[], true, ['Enable']]);
    expect(files(byName(linux.phases).get('expand')!)).toEqual(expect.arrayContaining(['update interfaces']));
  });

  it('says what it rests on', () => {
    expect(ovs.basis).toMatch(/holds what hostnet renders for the layout before each step/);
  });
});
