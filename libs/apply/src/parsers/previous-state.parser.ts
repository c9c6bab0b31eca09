import type { LiveLink, LiveState } from '@hostnet/intent';
import type { HostFacts } from '../domain/host-facts';

const EXPECTED_STATE = '/var/lib/hostnet/expected-state.json';
const KINDS = new Set<LiveLink['kind']>(['nic', 'bond', 'bridge', 'vlan', 'ovs-bridge', 'ovs-bond', 'ovs-fake-bridge']);

/**
 * The expected state hostnet's last run left on the host (expected-state.json, shipped back by
 * facts): the names hostnet made there, so a transition may retire them. Undefined when absent or
 * not what hostnet writes; only links with a string name and a known kind are kept.
 */
export function previousExpectedState(facts: Pick<HostFacts, 'files'>): LiveState | undefined {
  const text = facts.files.get(EXPECTED_STATE)?.content;
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const links = (raw as { links?: unknown }).links;
  if (!Array.isArray(links)) return undefined;
  const kept = links
    .filter((l): l is LiveLink => typeof l?.name === 'string' && KINDS.has(l?.kind))
    .map((l): LiveLink => ({ name: l.name, kind: l.kind, ...(typeof l.master === 'string' ? { master: l.master } : {}), ...(typeof l.peer === 'string' ? { peer: l.peer } : {}) }));
  return { links: kept, addresses: [], routes: [] };
}
