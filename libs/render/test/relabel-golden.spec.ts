import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { relabelIntent } from '@hostnet/intent';
import { renderHost } from '../src/render-host';
import { ubuntuLinuxBridgeIntent } from './fixtures/reference-intents';
import { goldenFile, goldenPaths, goldenStepsFile, stepsJson } from './support/golden-files';

/**
 * The expand layout of a relabel (Public cloudbr1 → cloudbr9) on the linux targets that render its veth
 * pair, byte for byte against libs/render/test/golden/relabel-both/<target>/ (regenerate with
 * HOSTNET_UPDATE_GOLDEN=1, then review the diff; the real tools check the same files in
 * test/integration/render/relabel-link-validation.spec.ts).
 */
const update = process.env.HOSTNET_UPDATE_GOLDEN === '1';
const both = relabelIntent(ubuntuLinuxBridgeIntent, {
  layout: 'both',
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
});

describe.each(['debian-ifupdown-linux', 'networkmanager-linux'] as const)('relabel expand golden %s', (target) => {
  const dir = `relabel-both/${target}`;
  const config = renderHost(both, target, {});
  if (update) {
    for (const file of config.files) {
      mkdirSync(dirname(goldenFile(dir, file.path)), { recursive: true });
      writeFileSync(goldenFile(dir, file.path), file.content);
    }
    writeFileSync(goldenStepsFile(dir), stepsJson(config));
  }

  it('renders exactly the golden set of paths', () => {
    expect(config.files.map((f) => f.path).sort()).toEqual(goldenPaths(dir));
  });

  it.each(config.files.map((f) => [f.path, f] as const))('%s matches byte for byte', (_path, file) => {
    const expected = readFileSync(goldenFile(dir, file.path));
    expect(Buffer.from(file.content, 'utf8').equals(expected)).toBe(true);
    expect(file.content).toBe(expected.toString('utf8'));
  });

  it('matches the golden steps, removes and file modes', () => {
    expect(stepsJson(config)).toBe(readFileSync(goldenStepsFile(dir), 'utf8'));
  });
});
