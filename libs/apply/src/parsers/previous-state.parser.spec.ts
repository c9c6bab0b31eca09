import type { HostFile } from '../domain/host-facts';
import { previousExpectedState } from './previous-state.parser';

const facts = (content?: string) => ({
  files: new Map<string, HostFile>(content === undefined ? [] : [['/var/lib/hostnet/expected-state.json', { path: '/var/lib/hostnet/expected-state.json', sha256: 'x', size: 1, mode: 0o644, content }]]),
});

describe('previousExpectedState', () => {
  it("reads the names and kinds of the links hostnet's last run expected", () => {
    const text = JSON.stringify({
      links: [
        { name: 'bond1', kind: 'ovs-bond', members: ['eth2', 'eth3'], master: 'cloudbr1', up: true },
        { name: 'cloudbr1', kind: 'ovs-bridge', members: ['bond1'], up: true },
      ],
      addresses: [],
      routes: [],
    });
    expect(previousExpectedState(facts(text))).toEqual({
      links: [
        { name: 'bond1', kind: 'ovs-bond', master: 'cloudbr1' },
        { name: 'cloudbr1', kind: 'ovs-bridge' },
      ],
      addresses: [],
      routes: [],
    });
  });

  it('is undefined for a host hostnet never configured or a file it did not write', () => {
    expect(previousExpectedState(facts())).toBeUndefined();
    expect(previousExpectedState(facts('not json'))).toBeUndefined();
    expect(previousExpectedState(facts('{"links":3}'))).toBeUndefined();
    expect(previousExpectedState(facts('{"links":[{"name":1,"kind":"bond"},{"name":"x","kind":"weird"}]}'))).toEqual({ links: [], addresses: [], routes: [] });
  });
});
