import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { renderHost } from '../src/render-host';
import type { RenderedConfig } from '../src/domain/rendered-config';
import { GOLDEN_CASES } from './fixtures/reference-intents';

/**
 * Every file of every target, byte for byte against libs/render/test/golden/<target>/<path>.
 * Reference targets' goldens are slices of the reference (extract-reference-goldens.py); the
 * netplan/NetworkManager goldens and every target's steps can be regenerated with
 * HOSTNET_UPDATE_GOLDEN=1 (then review the diff).
 */
const GOLDEN_DIR = join(__dirname, 'golden');
const REFERENCE_TARGETS = ['el-network-scripts-linux', 'el-network-scripts-ovs', 'debian-ifupdown-linux', 'debian-ifupdown-ovs'];
const update = process.env.HOSTNET_UPDATE_GOLDEN === '1';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

function stepsJson(config: RenderedConfig): string {
  return `${JSON.stringify({ removes: config.removes, steps: config.steps, modes: Object.fromEntries(config.files.map((f) => [f.path, `0${f.mode.toString(8)}`])) }, null, 2)}\n`;
}

describe.each(GOLDEN_CASES)('golden $target', ({ target, intent }) => {
  const config = renderHost(intent, target, {});
  const targetDir = join(GOLDEN_DIR, target);

  if (update) {
    if (!REFERENCE_TARGETS.includes(target)) {
      for (const file of config.files) {
        mkdirSync(dirname(join(targetDir, file.path)), { recursive: true });
        writeFileSync(join(targetDir, file.path), file.content);
      }
    }
    writeFileSync(join(GOLDEN_DIR, `${target}.steps.json`), stepsJson(config));
  }

  it('renders exactly the golden set of paths', () => {
    const golden = listFiles(targetDir).map((f) => `/${relative(targetDir, f)}`).sort();
    expect(config.files.map((f) => f.path).sort()).toEqual(golden);
  });

  it.each(config.files.map((f) => [f.path, f] as const))('%s matches byte for byte', (path, file) => {
    const expected = readFileSync(join(targetDir, path));
    expect(Buffer.from(file.content, 'utf8').equals(expected)).toBe(true);
    // Equality above is the test; this line only makes a failure readable.
    expect(file.content).toBe(expected.toString('utf8'));
  });

  it('matches the golden steps, removes and file modes', () => {
    expect(stepsJson(config)).toBe(readFileSync(join(GOLDEN_DIR, `${target}.steps.json`), 'utf8'));
  });

  it('is deterministic: a second render is identical', () => {
    expect(renderHost(structuredClone(intent), target, {})).toEqual(config);
  });
});
