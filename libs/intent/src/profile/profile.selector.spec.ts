import { exampleInputs } from '../../test-support/intent-fixtures';
import { tryBuildHostIntent } from '../builder/host-intent.builder';
import { parseProfileSet } from './profile-set.parser';

const { topology } = exampleInputs('el7-linux-bridge');
const ZONE = topology.zone;
const POD = topology.pods[0];
const CLUSTER = topology.clusters[0];
const HOST = topology.hosts[0];

const PROFILE = (backend: string) => `
    backend: ${backend}
    networks:
      - match: { label: cloudbr0 }
        bond: { name: bond0, members: [eth0, eth1], mode: active-backup }
      - match: { label: cloudbr1 }
        nic: eth2
    extras: [{ name: cloudbr100, on: bond0, address: storage }]`;

function setWith(selectors: string, hosts = '  kvmhost1: { storageAddress: 10.0.100.20 }'): ReturnType<typeof parseProfileSet> {
  const text = `version: 1\nprofiles:\n  p-default:${PROFILE('linux')}\n  p-zone:${PROFILE('linux')}\n  p-pod:${PROFILE('ovs')}\n  p-cluster:${PROFILE('ovs')}\nselectors:\n${selectors}\nhosts:\n${hosts}\n`;
  return parseProfileSet(text, 'selectors.yaml');
}

function chosen(selectors: string, hosts?: string): string {
  const result = tryBuildHostIntent({ topology, hostId: HOST.id, profileSet: setWith(selectors, hosts) });
  if (!result.ok) throw new Error(result.violations.map((v) => v.message).join('\n'));
  return result.profileName;
}

describe('profile selection', () => {
  const all = [
    '  - { profile: p-default }',
    `  - { profile: p-zone, zone: ${ZONE.name} }`,
    `  - { profile: p-pod, pod: ${POD.id} }`,
    `  - { profile: p-cluster, cluster: ${CLUSTER.name} }`,
  ];

  it.each([
    ['cluster beats pod, zone and default', all, 'p-cluster'],
    ['pod beats zone and default', all.slice(0, 3), 'p-pod'],
    ['zone beats default', all.slice(0, 2), 'p-zone'],
    ['default alone', all.slice(0, 1), 'p-default'],
    ['order in the file does not matter', [...all].reverse(), 'p-cluster'],
    ['zone by id', ['  - { profile: p-default }', `  - { profile: p-zone, zone: ${ZONE.id} }`], 'p-zone'],
    ['pod by name', [`  - { profile: p-pod, pod: ${POD.name} }`], 'p-pod'],
    ['zone+pod beats pod alone', [`  - { profile: p-pod, pod: ${POD.name} }`, `  - { profile: p-zone, zone: ${ZONE.name}, pod: ${POD.name} }`], 'p-zone'],
  ])('%s', (_name, selectors, expected) => {
    expect(chosen((selectors as string[]).join('\n'))).toBe(expected);
  });

  it('ignores selectors for other zones, pods and clusters', () => {
    const selectors = ['  - { profile: p-default }', '  - { profile: p-cluster, cluster: other-cluster }', '  - { profile: p-pod, zone: other-zone, pod: pod1 }'];
    expect(chosen(selectors.join('\n'))).toBe('p-default');
  });

  it('a host override by name or by id pins the profile above all selectors', () => {
    expect(chosen(all.join('\n'), '  kvmhost1: { profile: p-zone, storageAddress: 10.0.100.20 }')).toBe('p-zone');
    expect(chosen(all.join('\n'), `  ${HOST.id}: { profile: p-default, storageAddress: 10.0.100.20 }`)).toBe('p-default');
  });

  it('programmatic overrides are laid over the file entry', () => {
    const result = tryBuildHostIntent({ topology, hostId: HOST.id, profileSet: setWith(all.join('\n')), overrides: { profile: 'p-default', storageAddress: '10.0.100.21' } });
    expect(result.ok && result.profileName).toBe('p-default');
    expect(result.ok && result.intent.bridges.find((b) => b.name === 'cloudbr100')?.address).toEqual({ address: '10.0.100.21', prefix: 24 });
  });

  it('reports a host with no matching selector', () => {
    const result = tryBuildHostIntent({ topology, hostId: HOST.id, profileSet: setWith('  - { profile: p-zone, zone: elsewhere }') });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.violations[0].field).toBe('selectors');
    expect(!result.ok && result.violations[0].message).toContain('fix:');
  });

  it('reports selectors that tie (same level, one by id, one by name)', () => {
    const result = tryBuildHostIntent({ topology, hostId: HOST.id, profileSet: setWith(`  - { profile: p-pod, pod: ${POD.id} }\n  - { profile: p-cluster, pod: ${POD.name} }`) });
    expect(!result.ok && result.violations[0].message).toContain('equally specific');
  });

  it('reports a host listed both by name and by id', () => {
    const hosts = `  kvmhost1: { storageAddress: 10.0.100.20 }\n  ${HOST.id}: { storageAddress: 10.0.100.21 }`;
    const result = tryBuildHostIntent({ topology, hostId: HOST.id, profileSet: setWith(all[0], hosts) });
    expect(!result.ok && result.violations.map((v) => v.field)).toContain('hosts.kvmhost1');
  });
});
