import { BadRequestException } from '@nestjs/common';
import { compareNaturalIgnoringCase } from '@hostnet/intent';
import { HOST_PHASES, type HostPhase, type HostStatusRecord } from './host-status.types';
import { placeMatcher } from './place-matcher';

const FILTERS = ['drifted', 'phase', 'zone', 'cluster'];
/** Not filters, but read by the guard before this: a GET may carry the api token as `?token=` (README). */
const NOT_FILTERS = ['token'];

/**
 * GET /hosts' query as a record filter: `drifted=true|false`, `phase=failed,rolled-back` (any of the
 * phases), `zone=` and `cluster=` (an id or a name, as recorded, in any case). An unknown or misspelled filter is refused rather than ignored: a list of every host read as
 * "the failed ones" is the mistake it would invite.
 */
export function hostListFilter(query: Record<string, unknown>): (record: HostStatusRecord) => boolean {
  const unknown = Object.keys(query).filter((key) => !FILTERS.includes(key) && !NOT_FILTERS.includes(key));
  if (unknown.length > 0) throw new BadRequestException(`unknown filter ${unknown.map((k) => JSON.stringify(k)).join(', ')}; fix: filter by ${FILTERS.join(' or ')} (e.g. /hosts?phase=failed,rolled-back)`);
  const { drifted, phase } = query;
  const zone = placement(query, 'zone');
  const cluster = placement(query, 'cluster');
  if (drifted !== undefined && drifted !== 'true' && drifted !== 'false') throw new BadRequestException('drifted must be true or false');
  let phases: Set<string> | undefined;
  if (phase !== undefined) {
    const asked = typeof phase === 'string' ? phase.split(',').map((p) => p.trim()) : [];
    const wrong = asked.filter((p) => !(HOST_PHASES as readonly string[]).includes(p));
    if (asked.length === 0 || wrong.length > 0) {
      throw new BadRequestException(`phase ${JSON.stringify(phase)}: ${wrong.length > 0 ? `${wrong.map((p) => JSON.stringify(p)).join(', ')} is no phase` : 'give it once'}; fix: one or more of ${HOST_PHASES.join(', ')}, comma-separated`);
    }
    phases = new Set<HostPhase | string>(asked);
  }
  return (record) =>
    (drifted === undefined || (record.drifted === true) === (drifted === 'true')) &&
    (phases === undefined || phases.has(record.phase)) &&
    (zone === undefined || zone(record.zoneId, record.zoneName)) &&
    (cluster === undefined || cluster(record.clusterId, record.clusterName));
}

/** A zone or cluster asked by id or name (any case): a match of either. */
function placement(query: Record<string, unknown>, key: 'zone' | 'cluster'): ((id?: string, name?: string) => boolean) | undefined {
  const asked = query[key];
  if (asked === undefined) return undefined;
  if (typeof asked !== 'string' || asked.trim() === '') throw new BadRequestException(`${key} must be a ${key} id or name, given once (e.g. /hosts?${key}=${key}1)`);
  return placeMatcher(asked);
}

/** Hosts in the order an operator reads them: by zone, cluster and name, then id. */
export function byPlacement(a: HostStatusRecord, b: HostStatusRecord): number {
  const key = (r: HostStatusRecord) => [r.zoneName ?? r.zoneId ?? '', r.clusterName ?? r.clusterId ?? '', r.hostName ?? '', r.hostId];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    const order = compareNaturalIgnoringCase(ka[i]!, kb[i]!);
    if (order !== 0) return order;
  }
  return 0;
}
