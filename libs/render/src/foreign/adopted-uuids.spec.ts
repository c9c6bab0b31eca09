import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { PreviousFiles } from '../activation/activation-steps';
import { changedPaths } from '../activation/activation-steps';
import type { RenderedConfig } from '../domain/rendered-config';
import { keyfileValue } from '../format/keyfile-value';
import { stableUuid } from '../format/stable-uuid';
import { renderHost } from '../render-host';
import { filesAfterRun } from '../../test/support/files-after-run';

const NM = '/etc/NetworkManager/system-connections';
const files = (entries: Record<string, string>): PreviousFiles => new Map(Object.entries(entries).map(([path, content]) => [path, { content }]));

/** The layout an operator made by hand on Rocky 9 (probe-live-hosts-2), as hostnet's profile gives it. */
const intent: HostNetworkIntent = {
  hostId: '8a1ab1e4-0c4e-4d7a-9a4b-000000000311',
  hostname: 'kvmhost1',
  backend: 'linux',
  nics: [
    { name: 'eth0', bridge: 'cloudbr0' },
    { name: 'eth2', bridge: 'cloudbr1' },
  ],
  bonds: [],
  vlans: [],
  bridges: [
    { name: 'cloudbr0', role: 'traffic-label', trafficTypes: ['Management', 'Guest'], uplink: 'eth0', address: { address: '10.255.0.11', prefix: 24 }, gateway: '10.255.0.1', stp: false, forwardDelay: 0 },
    { name: 'cloudbr1', role: 'traffic-label', trafficTypes: ['Public'], uplink: 'eth2', stp: false, forwardDelay: 0 },
  ],
  routes: [],
  dns: { nameservers: [], search: [] },
  managementBridge: 'cloudbr0',
  managementAddress: { address: '10.255.0.11', prefix: 24 },
  defaultGateway: '10.255.0.1',
  vlanSplinters: false,
};

const U = {
  cloudbr0: '0b7b3c2e-8f3a-4f0e-9d1c-2a6e5f4b3c21',
  eth0: '6f1d2c3b-4a5e-4b6c-8d7e-9f0a1b2c3d41',
  cloudbr1: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e61',
  eth2: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c81',
};
const bridge = (name: string, uuid: string, ipv4: string) =>
  `[connection]\nid=${name}\nuuid=${uuid}\ntype=bridge\ninterface-name=${name}\n\n[ethernet]\n\n[bridge]\nstp=false\n\n${ipv4}\n[ipv6]\naddr-gen-mode=default\nmethod=ignore\n\n[proxy]\n`;
const port = (id: string, uuid: string, nic: string, master: string) =>
  `[connection]\nid=${id}\nuuid=${uuid}\ntype=ethernet\ninterface-name=${nic}\nmaster=${master}\nslave-type=bridge\n\n[ethernet]\n\n[bridge-port]\n`;

/** What `nmcli connection add` wrote: cloudbr0/cloudbr1 in hostnet's own paths, "System eth0" and "Wired connection 1" elsewhere. */
const HAND_MADE = files({
  [`${NM}/cloudbr0.nmconnection`]: bridge('cloudbr0', U.cloudbr0, '[ipv4]\naddress1=10.255.0.11/24,10.255.0.1\nmethod=manual\n'),
  [`${NM}/System eth0.nmconnection`]: port('System eth0', U.eth0, 'eth0', 'cloudbr0'),
  [`${NM}/cloudbr1.nmconnection`]: bridge('cloudbr1', U.cloudbr1, '[ipv4]\nmethod=disabled\n'),
  [`${NM}/Wired connection 1.nmconnection`]: port('Wired connection 1', U.eth2, 'eth2', 'cloudbr1'),
});

const uuidOf = (config: RenderedConfig, name: string) => keyfileValue(config.files.find((f) => f.path === `${NM}/${name}.nmconnection`)!.content, 'connection', 'uuid');
const ups = (config: RenderedConfig) => config.steps.filter((s) => s.argv[2] === 'up').map((s) => s.argv.join(' '));

describe("networkmanager-linux: hostnet's profile takes over the uuid of the operator's profile for the same device", () => {
  it('keeps the uuids NetworkManager knows the active connections by, so the reload sees them modified, not removed; a re-run reads them back', () => {
    const config = renderHost(intent, 'networkmanager-linux', { previousFiles: HAND_MADE });
    expect(config.neutralised?.map((n) => n.path)).toEqual([`${NM}/System eth0.nmconnection`, `${NM}/Wired connection 1.nmconnection`]);
    for (const name of ['cloudbr0', 'eth0', 'cloudbr1', 'eth2'] as const) expect(uuidOf(config, name)).toBe(U[name]);
    expect(ups(config)).toEqual([`nmcli connection up uuid ${U.cloudbr0}`, `nmcli connection up uuid ${U.cloudbr1}`]);

    const again = renderHost(intent, 'networkmanager-linux', { previousFiles: filesAfterRun(config, HAND_MADE) });
    expect(changedPaths(again, filesAfterRun(config, HAND_MADE))).toEqual([]);
    expect(again.neutralised).toBeUndefined();
    for (const name of ['cloudbr0', 'eth0', 'cloudbr1', 'eth2'] as const) expect(uuidOf(again, name)).toBe(U[name]);
  });

  it('without a profile to take over, or with two for the device, the profile keeps its own uuid', () => {
    const two = new Map([...HAND_MADE, [`${NM}/eth0-old.nmconnection`, { content: port('eth0-old', '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f51', 'eth0', 'cloudbr0') }]]);
    const config = renderHost(intent, 'networkmanager-linux', { previousFiles: two });
    expect(uuidOf(config, 'eth0')).toBe(stableUuid(intent.hostId, 'eth0'));
    expect(uuidOf(config, 'cloudbr0')).toBe(U.cloudbr0);
    expect(uuidOf(renderHost(intent, 'networkmanager-linux', { previousFiles: new Map() }), 'cloudbr0')).toBe(stableUuid(intent.hostId, 'cloudbr0'));
  });

  it("never takes another type's uuid, nor one a profile the run leaves in place still carries", () => {
    const other = files({
      [`${NM}/cloudbr0.nmconnection`]: port('cloudbr0', U.cloudbr0, 'cloudbr0', 'br9'),
      [`${NM}/System eth0.nmconnection`]: port('System eth0', U.eth0, 'eth0', 'cloudbr0'),
      [`${NM}/eth9.nmconnection`]: port('eth9', U.eth0, 'eth9', 'br9'),
    });
    const config = renderHost(intent, 'networkmanager-linux', { previousFiles: other });
    expect(uuidOf(config, 'cloudbr0')).toBe(stableUuid(intent.hostId, 'cloudbr0'));
    expect(uuidOf(config, 'eth0')).toBe(stableUuid(intent.hostId, 'eth0'));
  });
});
