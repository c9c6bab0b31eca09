import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostNetworkIntent } from '@hostnet/intent';
import { expectedLiveState } from '@hostnet/intent';
import { renderHost } from '@hostnet/render';
import { centosLinuxBridgeIntent, ubuntuLinuxBridgeIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { renameBridge, withBond, withBonds, withoutBond1 } from '../../../libs/render/test/support/intent-variants';
import { cleanupTempDirs, ifupdown2, run, tempDir, writeUnder } from '../../integration/render/tool-harness';

/**
 * Linux bonds cannot be built on this kernel, so every change of a configured linux host is proven
 * with the tools the targets' files go through: the transition's files (netplan, NetworkManager
 * keyfiles, interfaces) pass `netplan generate`, `nmcli --offline` and ifup's checks, and its steps
 * run before the activation.
 */
const CHANGES: [string, (i: HostNetworkIntent) => HostNetworkIntent][] = [
  ['swap members between bond0 and bond1', (i) => withBonds(i, ['eth0', 'eth2'], ['eth1', 'eth3'])],
  ['change a bond mode (802.3ad, fast LACP, layer3+4)', (i) => withBond(i, 'bond0', { mode: '802.3ad', lacpRate: 'fast', xmitHashPolicy: 'layer3+4' })],
  ['bond1 dropped: eth2 joins bond0, eth3 is cloudbr1 direct uplink', withoutBond1],
  ['rename a bridge (cloudbr1 → cloudbr9)', (i) => renameBridge(i, 'cloudbr1', 'cloudbr9')],
];

afterAll(cleanupTempDirs);

describe.each(CHANGES)('linux transition: %s', (_name, change) => {
  const from = ubuntuLinuxBridgeIntent;
  const to = change(from);
  const options = { live: expectedLiveState(from), previous: expectedLiveState(from) };

  it('netplan generate accepts the new YAML; the planned steps precede netplan apply, but moves into a running bridge follow it', () => {
    const config = renderHost(to, 'netplan-linux', options);
    const root = tempDir('netplan-transition');
    writeUnder(root, config.files);
    const r = run(['netplan', 'generate', '--root-dir', root]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // systemd-networkd puts back a port moved under its old configuration (with-transition.ts)
    const names = config.steps.map((s) => s.name);
    expect(names.slice(names.indexOf('netplan-apply') + 1).every((n) => n.startsWith('move-'))).toBe(true);
    expect(names.slice(0, names.indexOf('netplan-apply')).some((n) => n.startsWith('move-'))).toBe(false);
  });

  it('nmcli --offline accepts every new keyfile unchanged', () => {
    const config = renderHost(change(centosLinuxBridgeIntent), 'networkmanager-linux', { live: expectedLiveState(centosLinuxBridgeIntent), previous: expectedLiveState(centosLinuxBridgeIntent) });
    for (const file of config.files) {
      const r = run(['nmcli', '--offline', 'connection', 'modify', 'connection.autoconnect', 'yes'], { input: file.content });
      expect([file.path, r.status, r.stderr]).toEqual([file.path, 0, '']);
      expect(file.content.split('\n').filter((l) => l.includes('=') && !r.stdout.split('\n').includes(l))).toEqual([]);
    }
  });

  it('classic ifup --no-act and ifupdown2 --syntax-check accept the new interfaces file', () => {
    const dir = tempDir('ifupdown-transition');
    const file = (ifupdown2Host: boolean) =>
      renderHost(to, 'debian-ifupdown-linux', { ...options, ifupdown2: ifupdown2Host }).files.find((f) => f.path === '/etc/network/interfaces')!.content;
    writeFileSync(join(dir, 'classic'), file(false));
    writeFileSync(join(dir, 'v2'), file(true));
    mkdirSync(join(dir, 'state'));
    const classic = run(['ifup', '--no-act', '-a', '-i', join(dir, 'classic'), '--state-dir', join(dir, 'state')]);
    expect(classic.status).toBe(0);
    const v2 = ifupdown2(dir)(['--syntax-check', '-a', '-i', join(dir, 'v2')]);
    expect([v2.status, v2.stderr]).toEqual([0, '']);
  });
});
