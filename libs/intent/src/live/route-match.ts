import type { LiveRoute } from '../domain/live-state';
import { routeDestination } from '../validation/ipv4.validator';

/**
 * True when `routes` (as facts read them) hold the expected route: the same destination however iproute2
 * writes it (a host route without its /32), the same device, and the same gateway when one is expected.
 * Drift, verification and activation all ask it, so a route they disagree on cannot be drift for ever.
 */
export function routeFound(want: Pick<LiveRoute, 'to' | 'via' | 'dev'>, routes: readonly LiveRoute[]): boolean {
  const to = routeDestination(want.to);
  return routes.some((r) => routeDestination(r.to) === to && r.dev === want.dev && (want.via === undefined || r.via === want.via));
}
