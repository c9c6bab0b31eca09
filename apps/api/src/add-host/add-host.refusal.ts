import type { Pod, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { PendingHost } from '@hostnet/contracts';
import { HostSpecService, withPendingHost } from '@hostnet/host-spec';
import { formatIpv4, hostAddressProblem, inSubnet, IntentValidationError, netmaskToPrefix, parseIpv4 } from '@hostnet/intent';

/** A POST /hosts/add whose host could not be configured as asked (422): refused before anything is recorded. */
export class AddHostRefusedError extends Error {
  override readonly name = 'AddHostRefusedError';
}

/**
 * Why the new host cannot run, in the request's terms, or undefined when it can: its address against
 * its pod's management subnet first (the usual mistake), then the same derivation and zone lint a run
 * would do, with the pending host's topology fields named as the body's.
 */
export function addHostRefusal(topology: ZoneNetworkTopology, pending: PendingHost, pod: Pod, specs: HostSpecService): string | undefined {
  const address = addressProblem(pending.ipAddress, pod);
  if (address) return address;
  const { topology: withHost, host } = withPendingHost(topology, pending);
  try {
    specs.specFor(withHost, host.id);
    specs.lint.assertRunnable(withHost, host.id);
    return undefined;
  } catch (error) {
    const index = withHost.hosts.indexOf(host);
    const text = error instanceof IntentValidationError ? error.violations.map((v) => v.message).join('; ') : (error as Error).message;
    return text.split(`topology.hosts[${index}].`).join('body.').split(host.id).join(`the new host ${pending.name}`);
  }
}

function addressProblem(ipAddress: string, pod: Pod): string | undefined {
  const prefix = netmaskToPrefix(pod.netmask);
  const gateway = parseIpv4(pod.gateway);
  const address = parseIpv4(ipAddress);
  if (prefix === null || gateway === null || address === null) return undefined; // the derivation names a broken pod
  const subnet = `${formatIpv4(gateway - (gateway % 2 ** (32 - prefix)))}/${prefix}`;
  const fix = `give the address the host will have in pod ${pod.name}'s management subnet ${subnet} (gateway ${pod.gateway})`;
  if (!inSubnet(address, gateway, prefix)) return `body.ipAddress: ${JSON.stringify(ipAddress)} is outside pod ${pod.name}'s management subnet ${subnet}; fix: ${fix}, or name the pod it is in`;
  if (address === gateway) return `body.ipAddress: ${JSON.stringify(ipAddress)} is pod ${pod.name}'s gateway; fix: ${fix}`;
  const problem = hostAddressProblem(ipAddress, prefix);
  return problem ? `body.ipAddress: ${JSON.stringify(ipAddress)} ${problem}` : undefined;
}
