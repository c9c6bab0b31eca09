import { expectPermanent, thrown } from '../../../test/support/error-expectations';
import { exampleInputs } from '../test-support/intent-fixtures';
import { buildHostIntent } from './builder/host-intent.builder';
import { parseProfileSet, ProfileLoadError } from './profile/profile-set.parser';
import { parseTopologyJson, TopologyLoadError } from './topology/topology-file.loader';
import { IntentValidationError } from './validation/intent-violation';

describe('intent errors are permanent and name the field and the fix', () => {
  it('IntentValidationError lists every violated field with its fix', () => {
    const inputs = exampleInputs('el7-linux-bridge');
    Object.assign(inputs.topology.physicalNetworks[1]!.trafficTypes[0]!, { kvmNetworkLabel: '$(id)', effectiveLabel: '$(id)' });
    const error = thrown(() => buildHostIntent(inputs));
    expectPermanent(error, IntentValidationError);
    const field = 'topology.physicalNetworks[1].trafficTypes[0].effectiveLabel';
    expect((error as IntentValidationError).field).toBe(field);
    expect(error.message).toMatch(/^host network intent is invalid \(\d+ problems?\):\n/);
    expect(error.message).toContain(`${field}: "$(id)"`);
    expect(error.message).toContain('fix:');
  });

  it('ProfileLoadError names the file, the path in it and the fix', () => {
    const error = thrown(() => parseProfileSet('version: 1\nprofiles:\n  p1:\n    backend: bridge\n', '/etc/hostnet/profiles.yaml'));
    expectPermanent(error, ProfileLoadError);
    expect(error.message).toMatch(/^invalid host profile file \/etc\/hostnet\/profiles\.yaml:\n {2}\/etc\/hostnet\/profiles\.yaml: profiles\.p1\.backend: /);
    expect(error.message).toContain('fix:');
  });

  it('TopologyLoadError names the file and the fix', () => {
    const error = thrown(() => parseTopologyJson('{', 'zone.json'));
    expectPermanent(error, TopologyLoadError);
    expect(error.message).toMatch(/^invalid topology file zone\.json: not valid JSON .*fix: save the output of `hostnet topology --zone Z`/);
  });
});
