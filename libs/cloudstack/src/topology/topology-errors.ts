import { CloudStackError } from '../errors/cloudstack-error';

/** The zone asked for does not exist; the message lists the zones that do. */
export class ZoneNotFoundError extends CloudStackError {
  constructor(
    readonly zone: string,
    readonly knownZones: string[],
  ) {
    const known = knownZones.length ? knownZones.map((z) => JSON.stringify(z)).join(', ') : 'none visible to this API key';
    super({ kind: 'not-found', message: `zone ${JSON.stringify(zone)} not found; known zones: ${known}`, command: 'listZones' });
  }
}

/** A zone name matched several zones; the caller must pass the id. */
export class AmbiguousZoneError extends CloudStackError {
  constructor(
    readonly zone: string,
    readonly candidateIds: string[],
  ) {
    super({
      kind: 'validation',
      message: `zone name ${JSON.stringify(zone)} matches ${candidateIds.length} zones (${candidateIds.join(', ')}); pass the zone id instead`,
      command: 'listZones',
    });
  }
}

/** The zone has no KVM hosts, so there is nothing for hostnet to configure. */
export class NoKvmHostsError extends CloudStackError {
  constructor(
    readonly zoneId: string,
    zoneName: string,
  ) {
    super({
      kind: 'not-found',
      message: `zone ${JSON.stringify(zoneName)} (${zoneId}) has no KVM hosts (listHosts type=Routing hypervisor=KVM returned none)`,
      command: 'listHosts',
    });
  }
}
