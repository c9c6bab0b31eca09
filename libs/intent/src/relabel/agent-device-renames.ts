import { relabelRenames, type RelabelLayoutRequest } from './relabel-step.validator';

/**
 * Which bridge names agent.properties' `*.network.device` entries must move between for a layout:
 * `new` points entries at the new bridges (the old ones are retired), `old` back at the old ones (a
 * rollback), `both` leaves them (both bridges exist and reach the uplink, so either name works).
 */
export function agentDeviceRenames(step: RelabelLayoutRequest): Map<string, string> {
  if (step.layout === 'both') return new Map();
  return new Map(relabelRenames(step).map((r) => (step.layout === 'new' ? [r.oldLabel, r.newLabel] : [r.newLabel, r.oldLabel])));
}
