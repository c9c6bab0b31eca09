import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { buildHostIntent, loadProfileSetFile, type HostNetworkIntent } from '@hostnet/intent';
import { renderHost } from '@hostnet/render';
import {
  centosLinuxBridgeIntent,
  centosOvsIntent,
  GOLDEN_CASES,
  ubuntuLinuxBridgeIntent,
  ubuntuOvsIntent,
} from '../../../libs/render/test/fixtures/reference-intents';
import { goldenFile, goldenPaths, goldenStepsFile, REFERENCE_TARGETS, stepsJson } from '../../../libs/render/test/support/golden-files';

/**
 * The whole chain as an operator runs it: an example topology (JSON, as `hostnet topology` prints it)
 * + an example profile (YAML, through the normal loader) → buildHostIntent → renderHost, every file
 * compared byte for byte with the goldens libs/render/test/golden.spec.ts uses (one source of truth).
 * The built intent must also equal the render fixture, so fixtures and builder cannot drift apart;
 * every target that fixture feeds (netplan, NetworkManager too) is rendered from the profile as well.
 */
const EXAMPLES = join(__dirname, '..', '..', '..', 'libs/intent/examples');

const SECTIONS: Array<{ section: string; profile: string; topology: string; fixture: HostNetworkIntent }> = [
  { section: 'Linux bridge / CentOS', profile: 'el7-linux-bridge', topology: 'reference-topology.json', fixture: centosLinuxBridgeIntent },
  { section: 'Linux bridge / Ubuntu (storage VLAN 100)', profile: 'ubuntu-linux-bridge', topology: 'reference-topology.json', fixture: ubuntuLinuxBridgeIntent },
  { section: 'OpenVswitch / CentOS (cloud0, cloudbr100, splinters)', profile: 'el7-ovs', topology: 'reference-topology.json', fixture: centosOvsIntent },
  { section: 'OpenVswitch / Ubuntu', profile: 'ubuntu-ovs', topology: 'mbplab-topology.json', fixture: ubuntuOvsIntent },
];

it('covers every reference target', () => {
  const covered = GOLDEN_CASES.filter((c) => SECTIONS.some((s) => s.fixture === c.intent)).map((c) => c.target);
  expect(covered).toEqual(expect.arrayContaining([...REFERENCE_TARGETS]));
  expect(covered).toHaveLength(GOLDEN_CASES.length);
});

describe.each(SECTIONS)('reference "$section" from $profile.profile.yaml + $topology', ({ profile, topology, fixture }) => {
  let intent: HostNetworkIntent;

  beforeAll(async () => {
    const profileSet = await loadProfileSetFile(join(EXAMPLES, `${profile}.profile.yaml`));
    const zone = JSON.parse(readFileSync(join(EXAMPLES, topology), 'utf8')) as ZoneNetworkTopology;
    intent = buildHostIntent({ topology: zone, hostId: 'kvmhost1', profileSet });
  });

  it('builds exactly the render fixture intent', () => {
    expect(intent).toStrictEqual(fixture);
  });

  const targets = GOLDEN_CASES.filter((c) => c.intent === fixture).map((c) => c.target);
  it.each(targets)('%s: same paths, every file byte for byte, same steps and modes', (target) => {
    const config = renderHost(intent, target);
    const paths = goldenPaths(target);
    expect(paths.length).toBeGreaterThan(0);
    expect(config.files.map((f) => f.path).sort()).toEqual(paths);
    for (const file of config.files) {
      const expected = readFileSync(goldenFile(target, file.path));
      // The byte comparison is the test; the keyed string form only makes a failure readable.
      expect({ [file.path]: file.content }).toEqual({ [file.path]: expected.toString('utf8') });
      expect(Buffer.from(file.content, 'utf8').equals(expected)).toBe(true);
    }
    expect(stepsJson(config)).toBe(readFileSync(goldenStepsFile(target), 'utf8'));
  });
});
