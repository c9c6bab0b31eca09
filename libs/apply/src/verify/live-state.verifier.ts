import { heldToForeignPorts, routeFound, type LiveState } from '@hostnet/intent';
import type { Verification, VerificationCheck } from '../domain/apply-outcome';
import type { HostExpectation } from '../domain/workflow-plan';
import { linkDifferences } from '@hostnet/intent';
import { findPif } from './pif-rule';

/**
 * Checks a host's live state against the expectation: every expected link/address/route, the
 * management IP on its bridge, the gateway ping (`ok`, `failed`, or `skipped …`), and the agent's
 * pif rule for each label bridge.
 */
export function verifyLiveState(expected: HostExpectation, live: LiveState, ping: string): Verification {
  const checks: VerificationCheck[] = [];
  const links = new Map(live.links.map((l) => [l.name, l]));
  for (const want of heldToForeignPorts(expected.live, live).links) {
    const problems = linkDifferences(want, links.get(want.name));
    checks.push({ name: `link ${want.name}`, ok: problems.length === 0, detail: problems.join('; ') || `${want.kind} as expected` });
  }
  for (const want of expected.live.addresses) {
    const ok = live.addresses.some((a) => a.dev === want.dev && a.address === want.address && a.prefix === want.prefix);
    checks.push({ name: `address ${want.address}/${want.prefix}`, ok, detail: ok ? `on ${want.dev}` : `not on ${want.dev}` });
  }
  for (const want of expected.live.routes) {
    const ok = routeFound(want, live.routes);
    checks.push({ name: `route ${want.to}`, ok, detail: `${want.via ? `via ${want.via} ` : ''}dev ${want.dev}${ok ? '' : ' missing'}` });
  }
  const mgmt = live.addresses.filter((a) => a.address === expected.managementAddress);
  const mgmtOk = mgmt.some((a) => a.dev === expected.managementBridge);
  checks.push({
    name: 'management-address',
    ok: mgmtOk,
    detail: mgmtOk
      ? `${expected.managementAddress} on ${expected.managementBridge}`
      : `${expected.managementAddress} is on ${mgmt.map((a) => a.dev).join(', ') || 'no interface'}, expected ${expected.managementBridge}`,
  });
  if (expected.gateway) {
    const state = ping.trim();
    checks.push({ name: 'gateway', ok: state === 'ok' || state.startsWith('skipped'), detail: `ping ${expected.gateway}: ${state}` });
  }
  for (const bridge of expected.labelBridges) {
    checks.push({ name: `pif ${bridge}`, ...findPif(live, bridge, expected.backend) });
  }
  return { ok: checks.every((c) => c.ok), checks };
}
