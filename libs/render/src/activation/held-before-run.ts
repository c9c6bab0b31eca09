import type { LiveState } from '@hostnet/intent/domain/live-state';
import { routeDestination } from '@hostnet/intent/validation/ipv4.validator';

/** An IPv4 address (and prefix, when the file gives one) or a route that a run's file gives an interface. */
export interface RunAddressing {
  addresses: { address: string; prefix?: number }[];
  routes?: { to: string; via?: string }[];
  /** Its address comes from a lease (DHCP): which one is not known before, so it is never taken as the host's. */
  leased?: boolean;
}

/**
 * True when the host ran `dev` up, before the run, with every address and route the run's file gives it: a
 * restore that finds the interface without a file of its own must then leave it alone. Flushing it would take
 * away what the host had, not what the run brought (the CloudStack agent's cloud0 and its 169.254.0.1/16, a
 * bridge an operator made by hand). Without the pre-run live state nothing is known to be held: the flush stays.
 */
export function heldBeforeRun(live: LiveState | undefined, dev: string, run: RunAddressing): boolean {
  const link = live?.links.find((l) => l.name === dev);
  if (!live || !link || link.up === false || run.leased) return false;
  const addresses = live.addresses.filter((a) => a.dev === dev);
  const routes = live.routes.filter((r) => r.dev === dev);
  return (
    run.addresses.every((a) => addresses.some((l) => l.address === a.address && (a.prefix === undefined || l.prefix === a.prefix))) &&
    (run.routes ?? []).every((r) => routes.some((l) => routeDestination(l.to) === routeDestination(r.to) && l.via === r.via))
  );
}
