import { BadRequestException } from '@nestjs/common';
import { HOST_PHASES, type HostPhase, type HostStatusRecord } from './host-status.types';

const FILTERS = ['drifted', 'phase'];
/** Not filters, but read by the guard before this: a GET may carry the api token as `?token=` (README). */
const NOT_FILTERS = ['token'];

/**
 * GET /hosts' query as a record filter: `drifted=true|false` and `phase=failed,rolled-back` (any of the
 * phases). An unknown or misspelled filter is refused rather than ignored: a list of every host read as
 * "the failed ones" is the mistake it would invite.
 */
export function hostListFilter(query: Record<string, unknown>): (record: HostStatusRecord) => boolean {
  const unknown = Object.keys(query).filter((key) => !FILTERS.includes(key) && !NOT_FILTERS.includes(key));
  if (unknown.length > 0) throw new BadRequestException(`unknown filter ${unknown.map((k) => JSON.stringify(k)).join(', ')}; fix: filter by ${FILTERS.join(' or ')} (e.g. /hosts?phase=failed,rolled-back)`);
  const { drifted, phase } = query;
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
  return (record) => (drifted === undefined || (record.drifted === true) === (drifted === 'true')) && (phases === undefined || phases.has(record.phase));
}
