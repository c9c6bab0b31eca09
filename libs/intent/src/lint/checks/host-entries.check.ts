import type { KvmHost } from '@hostnet/cloudstack';
import { transpositionDistance } from '@hostnet/contracts';
import type { LintContext } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/**
 * A `hosts:` entry one typo away from a host of this zone that has no entry of its own: the entry
 * reaches no host, and that host quietly takes the selectors' profile without its settings (a newcomer's
 * `kvm04` left kvm4 on the default profile). Only near misses are said: a profile file shared by zones
 * holds entries for other zones' hosts, which are no mistake (names that differ in a number's value are
 * taken for such: kvm10 is not a typo of kvm1).
 */
export function checkHostEntries(ctx: LintContext): LintFinding[] {
  const { topology, profileSet } = ctx;
  const known = new Set(topology.hosts.flatMap((h) => [h.id, h.name]));
  const unclaimed = topology.hosts.filter((h) => profileSet.hosts[h.id] === undefined && profileSet.hosts[h.name] === undefined);
  if (unclaimed.length === 0) return [];
  const near = nearMissIndex(unclaimed);
  const findings: LintFinding[] = [];
  for (const key of Object.keys(profileSet.hosts)) {
    if (known.has(key)) continue;
    const hosts = nearMisses(near, key);
    if (hosts.length !== 1) continue;
    const host = hosts[0]!;
    findings.push({
      severity: 'warning',
      code: 'hosts-entry-matches-nothing',
      where: { zone: topology.zone.name, host: host.name },
      message: `hosts[${JSON.stringify(key)}] names no host of zone ${topology.zone.name}, and host ${host.name} has no entry of its own: it takes the selectors' profile without the entry's settings, unless the entry is meant for another zone; fix: did you mean ${host.name}? name the host by its CloudStack name or id`,
      hostIds: [host.id],
    });
  }
  return findings;
}

/** Each host under its lower-cased name and every one-deletion variant of it: a key within one edit (a swap too) shares a variant with it. */
function nearMissIndex(hosts: KvmHost[]): Map<string, KvmHost[]> {
  const index = new Map<string, KvmHost[]>();
  for (const host of hosts) {
    for (const variant of variants(host.name.toLowerCase())) {
      const list = index.get(variant) ?? [];
      if (!list.includes(host)) list.push(host);
      index.set(variant, list);
    }
  }
  return index;
}

/** The hosts nearest the key (a case slip before one edit, two adjacent letters swapped being one), none when the nearest is more than one edit away. */
function nearMisses(index: Map<string, KvmHost[]>, key: string): KvmHost[] {
  const lower = key.toLowerCase();
  const found = new Set<KvmHost>();
  for (const variant of variants(lower)) for (const host of index.get(variant) ?? []) found.add(host);
  const scored = [...found]
    .filter((host) => !otherNumber(lower, host.name.toLowerCase()))
    .map((host) => ({ host, distance: transpositionDistance(lower, host.name.toLowerCase()) }))
    .filter((s) => s.distance <= 1);
  const nearest = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === nearest).map((s) => s.host);
}

function variants(name: string): string[] {
  return [name, ...Array.from(name, (_, i) => name.slice(0, i) + name.slice(i + 1))];
}

/**
 * Names alike but for the value of a number (kvm10 and kvm1, dc2-kvm01 and dc1-kvm01): another host, most
 * likely another zone's, not a typo. Zero padding (kvm04 for kvm4) is the same number, so it is one.
 */
function otherNumber(a: string, b: string): boolean {
  const [ta, tb] = [a.split(/(\d+)/), b.split(/(\d+)/)];
  if (ta.length !== tb.length) return false;
  let differs = false;
  for (let i = 0; i < ta.length; i++) {
    if (i % 2 === 0 && ta[i] !== tb[i]) return false;
    if (i % 2 === 1 && Number(ta[i]) !== Number(tb[i])) differs = true;
  }
  return differs;
}
