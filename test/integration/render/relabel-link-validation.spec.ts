import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { relabelIntent } from '@hostnet/intent';
import { renderHost } from '@hostnet/render';
import { ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { cleanupTempDirs, run, tempDir, writeUnder } from './tool-harness';

afterAll(cleanupTempDirs);

/** A relabel's expand layout (OVS patch pair cloudbr1 ↔ cloudbr9) through the real netplan and ifupdown. */
const both = relabelIntent(ubuntuOvsIntent, { layout: 'both', changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }] });

describe('the OVS patch pair passes the real tools', () => {
  it('netplan generate: the patch ports become OVS units with type=patch and the peer', () => {
    const root = tempDir('netplan-relabel');
    writeUnder(root, renderHost(both, 'netplan-ovs').files);
    const result = run(['netplan', 'generate', '--root-dir', root]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const units = readdirSync(join(root, 'run/systemd/system'));
    const all = units.filter((u) => u.endsWith('.service')).map((u) => readFileSync(join(root, 'run/systemd/system', u), 'utf8')).join('\n');
    expect(all).toMatch(/add-port cloudbr1 pt-cloudbr9 -- set Interface pt-cloudbr9 type=patch options:peer=pt-cloudbr1/);
    expect(all).toMatch(/add-port cloudbr9 pt-cloudbr1 -- set Interface pt-cloudbr1 type=patch options:peer=pt-cloudbr9/);
    expect(all).toContain('--may-exist add-br cloudbr9');
  });

  it('netplan generate rejects a patch end that no bridge lists twice (the check can fail)', () => {
    const root = tempDir('netplan-relabel-bad');
    const [file] = renderHost(both, 'netplan-ovs').files;
    writeUnder(root, [{ ...file, content: file.content.replace('- [pt-cloudbr9, pt-cloudbr1]', '- [pt-cloudbr9]') }]);
    expect(run(['netplan', 'generate', '--root-dir', root]).status).not.toBe(0);
  });

  it('classic ifupdown: ifup --no-act takes the file; the hook gets OVSPatchPort, its bridge and peer (ifquery)', () => {
    const dir = tempDir('ifupdown-relabel');
    const state = join(dir, 'state');
    mkdirSync(state);
    const path = join(dir, 'interfaces');
    writeFileSync(path, renderHost(both, 'debian-ifupdown-ovs').files.find((f) => f.path === '/etc/network/interfaces')!.content);
    const r = run(['ifup', '--no-act', '--allow=ovs', '-i', path, '--state-dir', state, 'cloudbr0', 'cloudbr1', 'cloudbr9', 'cloudbr100']);
    expect(r.stderr).not.toMatch(/ifup: /);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('ip link set dev cloudbr9 up');
    // --no-act runs no hook; ifquery shows what openvswitch's hook reads as IF_OVS_* for the port.
    expect(run(['ifquery', '-i', path, '--list', '--allow=cloudbr9']).stdout.trim()).toBe('pt-cloudbr1');
    const port = run(['ifquery', '-i', path, 'pt-cloudbr1']);
    expect(port.status).toBe(0);
    expect(port.stdout).toBe('ovs_bridge: cloudbr9\novs_type: OVSPatchPort\novs_patch_peer: pt-cloudbr9\n');
  });
});
