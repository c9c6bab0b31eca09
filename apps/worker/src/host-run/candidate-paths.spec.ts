import { relabelIntent, type HostNetworkIntent } from '@hostnet/intent';
import { RENDER_TARGETS, renderHost } from '@hostnet/render';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { withoutBonds } from '../../../../libs/render/test/support/intent-variants';
import { candidatePaths } from './candidate-paths';

/** What candidatePaths gave when it rendered every target in full: the reference for its result. */
function renderedPaths(intent: HostNetworkIntent): string[] {
  const paths = new Set<string>();
  for (const target of RENDER_TARGETS) {
    try {
      const config = renderHost(intent, target);
      for (const path of [...config.files.map((f) => f.path), ...config.removes]) paths.add(path);
    } catch {
      // no paths from a target that cannot render the intent
    }
  }
  return [...paths].sort();
}

describe('candidatePaths (what facts hash before the target is known)', () => {
  it('lists every file any target of the backend writes, never the admin\'s /etc/modules', () => {
    const paths = candidatePaths(ubuntuLinuxBridgeIntent);
    expect(paths).toEqual(expect.arrayContaining(['/etc/network/interfaces', '/etc/netplan/60-hostnet.yaml', '/etc/sysconfig/network-scripts/ifcfg-bond0.100', '/etc/modules-load.d/hostnet.conf']));
    expect(paths).not.toContain('/etc/modules');
    expect(paths).toEqual([...paths].sort());
  });

  it('lists the files a target removes, so facts can see a stale one exist (OVS without bonds drops the modules drop-in)', () => {
    expect(candidatePaths(withoutBonds(centosOvsIntent))).toContain('/etc/modules-load.d/hostnet.conf');
  });

  const relabel = (intent: HostNetworkIntent, layout: 'both' | 'new') =>
    relabelIntent(intent, { layout, changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }] });
  const references = [centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent];
  it.each([
    ...references.map((i) => [`${i.backend} ${i.fqdn}`, i] as const),
    ...references.map((i) => [`${i.backend} ${i.fqdn} without bonds`, withoutBonds(i)] as const),
    ...references.flatMap((i) => (['both', 'new'] as const).map((l) => [`${i.backend} ${i.fqdn} relabel ${l}`, relabel(i, l)] as const)),
  ])('%s: the same list as rendering every target in full', (_name, intent) => {
    expect(candidatePaths(intent)).toEqual(renderedPaths(intent));
  });
});
