import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_DIR } from '../../test-support/reference-examples';
import { loadTopologyFile, parseTopologyJson, TopologyLoadError } from './topology-file.loader';

describe('topology file loader', () => {
  it('reads the example topologies unchanged', async () => {
    for (const name of ['reference-topology.json', 'mbplab-topology.json']) {
      const path = join(EXAMPLES_DIR, name);
      expect(await loadTopologyFile(path)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    }
  });

  it('names the file, the path in it and the fix for a wrong shape', () => {
    const topology = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'reference-topology.json'), 'utf8'));
    delete topology.hosts;
    topology.physicalNetworks[0].trafficTypes[0].trafficType = 'Control';
    expect(() => parseTopologyJson(JSON.stringify(topology), 'zone.json')).toThrow(TopologyLoadError);
    expect(() => parseTopologyJson(JSON.stringify(topology), 'zone.json')).toThrow(/^invalid topology file zone\.json: .*hosts: Required.*physicalNetworks\[0\]\.trafficTypes\[0\]\.trafficType: .*fix: /);
  });

  it('keeps the CloudStack versions `hostnet topology` saves and refuses ones that are not strings', () => {
    const topology = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'reference-topology.json'), 'utf8'));
    Object.assign(topology, { cloudstackVersion: '4.22.0.0' });
    topology.hosts[0].agentVersion = '4.20.1.0';
    const parsed = parseTopologyJson(JSON.stringify(topology), 'zone.json');
    expect([parsed.cloudstackVersion, parsed.hosts[0].agentVersion]).toEqual(['4.22.0.0', '4.20.1.0']);
    topology.hosts[0].agentVersion = 4.22;
    expect(() => parseTopologyJson(JSON.stringify(topology), 'zone.json')).toThrow(/hosts\[0\]\.agentVersion: Expected string/);
  });

  it('rejects text that is not JSON and a file that cannot be read', async () => {
    expect(() => parseTopologyJson('{', 'zone.json')).toThrow(/zone\.json: not valid JSON/);
    await expect(loadTopologyFile('/nonexistent/zone.json')).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });
});
