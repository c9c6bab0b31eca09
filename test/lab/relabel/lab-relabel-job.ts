import type { ConfigureHostJobData, RelabelHostStep } from '@hostnet/contracts';

/** A configure job carrying a relabel step for the lab zone's one host, as api would enqueue it. */
export function labRelabelJob(opts: { hostName: string; specHash: string; relabel: RelabelHostStep; requestId: string; by: string }): ConfigureHostJobData {
  return {
    zoneId: 'lab-zone',
    hostId: 'lab-host-1',
    hostName: opts.hostName,
    specHash: opts.specHash,
    mode: 'apply',
    force: false,
    trigger: { kind: 'operator', by: opts.by },
    relabel: opts.relabel,
    requestId: opts.requestId,
    requestedAt: new Date().toISOString(),
  };
}
