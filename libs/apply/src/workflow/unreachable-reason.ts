import type { HostExpectation } from '../domain/workflow-plan';
import { errorText } from './run-context';

/**
 * Why a host that answered SSH before the apply did not after it. The SSH error's own fix (sshd,
 * MaxStartups, a firewall) is about a host that never answered: here the apply in between is the
 * likely cause, so the fix points at the management path the new layout gives the host.
 */
export function unreachableAfterApply(expected: HostExpectation, lastError: unknown): string {
  const [problem = ''] = errorText(lastError).split('; fix: ');
  return (
    `host unreachable after apply: ${problem}; it answered before the apply, so the new configuration most likely cut its management path; ` +
    `fix: check the profile's management bridge ${expected.managementBridge} (its VLAN and uplink) against the host's wiring, ` +
    `and that ${expected.managementAddress}${expected.gateway ? ` and the route via ${expected.gateway} are` : ' is'} still on it (hostnet render shows the layout), then run again`
  );
}
