import * as yaml from 'yaml';
import { ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { renderHost } from '../render-host';
import { NETPLAN_PATH } from '../renderers/netplan.renderer';
import { netplanNetworkManagerFile } from '../select/netplan-renderer';
import { parseNetplanYaml } from './netplan-yaml';

jest.mock('yaml', () => {
  const actual = jest.requireActual<typeof import('yaml')>('yaml');
  return { ...actual, parse: jest.fn(actual.parse) };
});
const fullParse = yaml.parse as jest.MockedFunction<typeof yaml.parse>;
const { parse: yamlParse } = jest.requireActual<typeof import('yaml')>('yaml');

const hostnetFiles = [
  renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.find((f) => f.path === NETPLAN_PATH)!.content,
  renderHost(ubuntuOvsIntent, 'netplan-ovs').files.find((f) => f.path === NETPLAN_PATH)!.content,
];

/** netplan files outside the plain subset: each must read exactly as the `yaml` package reads it. */
const OTHER_YAML = [
  'network:\n  version: 2\n  renderer: NetworkManager\n',
  'network:\n  ethernets:\n    eno1: {dhcp4: true}\n',
  'network:\n  "rendere\\x72": NetworkManager\n',
  'network:\n  ethernets: &e\n    eno1: {dhcp4: true}\n  bonds:\n    bond0:\n      interfaces: [eno1]\n      parameters: *e\n',
  'network:\n  ethernets:\n    eno1:\n      dhcp4: !!str yes\n      nameservers:\n        addresses:\n          [1.1.1.1,\n           8.8.8.8]\n',
  '%YAML 1.2\n---\nnetwork:\n  version: 2\n  renderer: >-\n    NetworkManager\n',
  '\uFEFFnetwork:\r\n  renderer: networkd\r\n',
  '# only a comment\n',
  '',
];

describe('parseNetplanYaml', () => {
  beforeEach(() => fullParse.mockClear());

  it("reads hostnet's own netplan files (Linux bridge and OVS) without the `yaml` package, to the same data", () => {
    for (const content of hostnetFiles) {
      expect(parseNetplanYaml(content)).toEqual(yamlParse(content));
      expect(netplanNetworkManagerFile(new Map([[NETPLAN_PATH, { content }]]))).toBeUndefined();
    }
    expect(fullParse).not.toHaveBeenCalled();
  });

  it('reads anything else exactly as the `yaml` package does (anchors, tags, escapes, multi-line flows, directives, BOM, CRLF)', () => {
    for (const content of OTHER_YAML) expect({ content, value: parseNetplanYaml(content) }).toEqual({ content, value: yamlParse(content) });
  });

  it('throws where the `yaml` package throws: a duplicate key, a syntax error', () => {
    for (const content of ['network:\n  renderer: networkd\n  renderer: NetworkManager\n', 'network:\n  ethernets: [eno1\n', 'network: {a: 1']) {
      expect(() => yamlParse(content)).toThrow();
      expect(() => parseNetplanYaml(content)).toThrow();
    }
  });
});
