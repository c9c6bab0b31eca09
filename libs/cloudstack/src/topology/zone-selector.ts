import { Zone } from '../domain/zone-network-topology';
import { namedAs } from '@hostnet/contracts';
import { AmbiguousZoneError, ZoneNotFoundError } from './topology-errors';

/**
 * Picks a zone by id, else by exact name, else by case-insensitive name; several matches on a
 * name are an error (names are not unique in CloudStack, ids are).
 */
export function selectZone(zones: Zone[], idOrName: string): Zone {
  const wanted = idOrName.trim();
  const byId = zones.find((z) => z.id === wanted);
  if (byId) return byId;
  const matches = namedAs(zones, wanted, (z) => z.name);
  if (matches.length === 1) return matches[0] as Zone;
  if (matches.length > 1) throw new AmbiguousZoneError(wanted, matches.map((z) => z.id));
  throw new ZoneNotFoundError(wanted, zones.map((z) => z.name));
}
