import { distinctLabels, zoneKvmLabels } from '../state/zone-kvm-labels';
import type { HostNetworkProbeResult } from '../state/host-network-probe';
import type { CommandContext } from './command-definition';

/** The error text CloudStack reports when CheckNetworkCommand fails on connect. */
export function networkSetupErrorText(missing: string[]): string {
  return `Incorrect Network setup on agent, Reinitialize agent after network names are setup, details : Can not find network: ${missing[0]}`;
}

/** Runs the configured probe for a host of `zoneId`; without a probe every host passes. */
export async function checkHostNetwork(
  ctx: CommandContext, zoneId: string, host: { id?: string; name: string; ipAddress: string },
): Promise<HostNetworkProbeResult> {
  if (!ctx.hostNetworkProbe) return { ok: true, missing: [] };
  const requiredLabels = distinctLabels(zoneKvmLabels(ctx.state, zoneId));
  const target = { ...(host.id ? { id: host.id } : {}), name: host.name, ipAddress: host.ipAddress, requiredLabels };
  const result = await ctx.hostNetworkProbe(target);
  return result.ok && result.missing.length === 0 ? result : { ...result, ok: false };
}
