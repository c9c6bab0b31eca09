import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderHost } from '../src/render-host';
import { GOLDEN_CASES } from './fixtures/reference-intents';
import { goldenFile, goldenPaths, goldenStepsFile, REFERENCE_TARGETS, stepsJson } from './support/golden-files';

/**
 * Every file of every target, byte for byte against libs/render/test/golden/<target>/<path>.
 * Reference targets' goldens are slices of the reference (extract-reference-goldens.py); the
 * netplan/NetworkManager goldens and every target's steps can be regenerated with
 * HOSTNET_UPDATE_GOLDEN=1 (then review the diff). The same goldens are reproduced from the example
 * profiles in test/integration/golden/reference-from-profiles.spec.ts.
 */
const update = process.env.HOSTNET_UPDATE_GOLDEN === '1';

describe.each(GOLDEN_CASES)('golden $target', ({ target, intent }) => {
  const config = renderHost(intent, target, {});

  if (update) {
    if (!REFERENCE_TARGETS.includes(target)) {
      for (const file of config.files) {
        mkdirSync(dirname(goldenFile(target, file.path)), { recursive: true });
        writeFileSync(goldenFile(target, file.path), file.content);
      }
    }
    writeFileSync(goldenStepsFile(target), stepsJson(config));
  }

  it('renders exactly the golden set of paths', () => {
    expect(config.files.map((f) => f.path).sort()).toEqual(goldenPaths(target));
  });

  it.each(config.files.map((f) => [f.path, f] as const))('%s matches byte for byte', (path, file) => {
    const expected = readFileSync(goldenFile(target, path));
    expect(Buffer.from(file.content, 'utf8').equals(expected)).toBe(true);
    // Equality above is the test; this line only makes a failure readable.
    expect(file.content).toBe(expected.toString('utf8'));
  });

  it('matches the golden steps, removes and file modes', () => {
    expect(stepsJson(config)).toBe(readFileSync(goldenStepsFile(target), 'utf8'));
  });

  it('is deterministic: a second render is identical', () => {
    expect(renderHost(structuredClone(intent), target, {})).toEqual(config);
  });
});
