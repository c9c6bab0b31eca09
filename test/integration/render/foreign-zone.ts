import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfileSet, parseTopologyJson, tryBuildHostIntent, type HostNetworkIntent, type ProfileSet } from '@hostnet/intent';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { RENDER_TARGETS, renderHost, type RenderedFile, type RenderTargetId } from '@hostnet/render';

/** The zone of issue 11's acceptance test: fixtures/foreign-zone (see its profile.yaml for the layout). */
const DIR = join(__dirname, 'fixtures', 'foreign-zone');

/** What each host must get, written out from the topology and profile rather than read back from them. */
export interface ExpectedHost {
  backend: 'linux' | 'ovs';
  address: string;
  prefix: number;
  netmask: string;
  gateway: string;
  managementVlan: number;
}

const rowA = { netmask: '255.255.255.0', prefix: 24, gateway: '10.40.0.254' };
const rowB = { netmask: '255.255.252.0', prefix: 22, gateway: '10.41.8.1' };
const rowC = { netmask: '255.255.254.0', prefix: 23, gateway: '172.18.65.254' };
export const EXPECTED: Readonly<Record<string, ExpectedHost>> = {
  'hv-a01': { ...rowA, backend: 'linux', address: '10.40.0.11', managementVlan: 30 },
  'hv-a02': { ...rowA, backend: 'linux', address: '10.40.0.12', managementVlan: 30 },
  'hv-b01': { ...rowB, backend: 'linux', address: '10.41.9.21', managementVlan: 30 },
  'hv-b02': { ...rowB, backend: 'linux', address: '10.41.10.22', managementVlan: 30 },
  'hv-c01': { ...rowC, backend: 'ovs', address: '172.18.64.31', managementVlan: 250 },
  'hv-c02': { ...rowC, backend: 'ovs', address: '172.18.65.32', managementVlan: 250 },
  'hv-c03': { ...rowC, backend: 'linux', address: '172.18.64.33', managementVlan: 250 },
};

/** The zone's storage range VLAN (every pod). */
export const STORAGE_VLAN = 250;

/** The fixture as `hostnet render --topology --profile` reads it (same parsers, without the async file I/O). */
export function loadForeignZone(): { topology: ZoneNetworkTopology; profileSet: ProfileSet } {
  const topologyPath = join(DIR, 'topology.json');
  const profilePath = join(DIR, 'profile.yaml');
  return { topology: parseTopologyJson(readFileSync(topologyPath, 'utf8'), topologyPath), profileSet: parseProfileSet(readFileSync(profilePath, 'utf8'), profilePath) };
}

/** Every host's intent through the builder `hostnet render` uses; a host it refuses fails loudly with the violations. */
export function buildForeignZone(): Array<{ name: string; intent: HostNetworkIntent; expected: ExpectedHost }> {
  const { topology, profileSet } = loadForeignZone();
  return topology.hosts.map((host) => {
    const result = tryBuildHostIntent({ topology, hostId: host.id, profileSet });
    if (!result.ok) throw new Error(`${host.name}: ${result.violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);
    return { name: host.name, intent: result.intent, expected: EXPECTED[host.name] };
  });
}

/** One host rendered for one target; ifupdown2 marks the Debian Linux rendering for ifupdown2 hosts. */
export interface ZoneRender {
  host: string;
  target: RenderTargetId;
  ifupdown2: boolean;
  expected: ExpectedHost;
  files: RenderedFile[];
}

const backendOf = (target: RenderTargetId) => (target.endsWith('-ovs') ? 'ovs' : 'linux');

/** Every host on every target of its backend (Debian Linux twice: classic ifupdown and ifupdown2). */
export function renderForeignZone(): ZoneRender[] {
  return buildForeignZone().flatMap(({ name, intent, expected }) =>
    RENDER_TARGETS.filter((target) => backendOf(target) === intent.backend).flatMap((target) =>
      (target === 'debian-ifupdown-linux' ? [false, true] : [false]).map((ifupdown2) => ({
        host: name,
        target,
        ifupdown2,
        expected,
        files: renderHost(intent, target, ifupdown2 ? { ifupdown2 } : {}).files,
      })),
    ),
  );
}

/** The file at `path` of a rendering (throws when it is missing, naming what there is). */
export function fileOf(render: ZoneRender, path: string): string {
  const file = render.files.find((f) => f.path === path);
  if (!file) throw new Error(`${render.host} ${render.target}: no ${path} among ${render.files.map((f) => f.path).join(', ')}`);
  return file.content;
}
