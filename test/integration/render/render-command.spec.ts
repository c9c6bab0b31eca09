import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRenderCommand } from '../../../apps/cli/src/commands/render.command';
import { ubuntuLinuxBridgeIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { cleanupTempDirs, tempDir } from './tool-harness';

/** `hostnet render` end to end: reads an intent file, prints or writes files with their modes. */
describe('hostnet render', () => {
  const dir = tempDir('cli');
  const intentFile = join(dir, 'intent.json');
  writeFileSync(intentFile, JSON.stringify(ubuntuLinuxBridgeIntent));
  afterAll(cleanupTempDirs);

  const capture = () => {
    const io = { outText: '', errText: '', out: (t: string) => void (io.outText += t), err: (t: string) => void (io.errText += t) };
    return io;
  };

  it('prints files and steps', async () => {
    const io = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--target', 'netplan-linux'], io)).toBe(0);
    expect(io.outText).toContain('### /etc/netplan/60-hostnet.yaml (mode 0600)\nnetwork:\n');
    expect(io.outText).toContain('activate\tnetplan-apply\t["netplan","apply"]');
  });

  it('writes files under --root-dir with their modes', async () => {
    const root = join(dir, 'root');
    const io = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--target', 'netplan-linux', '--root-dir', root], io)).toBe(0);
    const path = join(root, 'etc/netplan/60-hostnet.yaml');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^network:\n {2}version: 2\n/);
  });

  it('exits 2 with usage on a bad target, 1 on an invalid intent', async () => {
    const usage = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--target', 'slackware'], usage)).toBe(2);
    expect(usage.errText).toMatch(/--target must be one of el-network-scripts-linux/);
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ ...ubuntuLinuxBridgeIntent, managementBridge: 'cloudbr0;reboot' }));
    const bad = capture();
    expect(await runRenderCommand(['--intent', badFile, '--target', 'netplan-linux'], bad)).toBe(1);
    expect(bad.errText).toMatch(/intent field managementBridge/);
  });
});
