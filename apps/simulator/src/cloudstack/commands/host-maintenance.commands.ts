import type { JobOutcome } from '../jobs/async-job.registry';
import { presentHost } from '../presenters/host.presenter';
import type { HostRecord, ResourceState } from '../state/simulator-records';
import type { CommandContext, CommandDefinition, CommandOutcome } from './command-definition';
import { checkHostNetwork, networkSetupErrorText } from './host-network.check';
import { finders } from './entity-finders';
import { evacuate } from '../state/vm-evacuation';

const IN_MAINTENANCE: ReadonlySet<ResourceState> = new Set([
  'PrepareForMaintenance', 'Maintenance', 'ErrorInMaintenance', 'ErrorInPrepareForMaintenance',
]);
const CMD_PACKAGE = 'org.apache.cloudstack.api.command.admin.host';

function hostResult(ctx: CommandContext, host: HostRecord): JobOutcome {
  return { ok: true, result: { host: presentHost(host, ctx.state) } };
}

function failed(errortext: string): JobOutcome {
  return { ok: false, errorcode: 530, errortext };
}

function submit(
  ctx: CommandContext, command: string, cmdClass: string, host: HostRecord,
  complete: () => JobOutcome | Promise<JobOutcome>,
): CommandOutcome {
  const jobid = ctx.jobs.submit({ command, cmdClass: `${CMD_PACKAGE}.${cmdClass}`, instanceType: 'Host', instanceId: host.id, complete });
  return { kind: 'fields', fields: { jobid } };
}

/** Other hosts of a cluster in these states make CloudStack refuse a second prepareHostForMaintenance (ResourceManagerImpl.maintain). */
const MIGRATING: ReadonlySet<ResourceState> = new Set(['PrepareForMaintenance', 'ErrorInPrepareForMaintenance']);

function maintenanceRefusal(ctx: CommandContext, host: HostRecord): string | undefined {
  if (IN_MAINTENANCE.has(host.resourceState)) return `Host ${host.id} is already in resource state ${host.resourceState}`;
  const busy = ctx.state.hosts.find((h) => h.id !== host.id && h.clusterId === host.clusterId && MIGRATING.has(h.resourceState));
  if (busy) return `There are other servers attempting migrations for maintenance. Found hosts in PrepareForMaintenance or ErrorInPrepareForMaintenance state in cluster: ${busy.name}`;
  return undefined;
}

/**
 * prepareHostForMaintenance (async): PrepareForMaintenance at once. As ResourceManagerImpl.maintain, the job
 * answers once the migrations are scheduled, the host still PrepareForMaintenance; they run after it (evacuate
 * within the cluster) and the host goes to Maintenance, or to the error state CloudStack uses (no room:
 * ErrorInPrepareForMaintenance). An injected failHostMaintenance fails the job itself and leaves its state.
 */
const prepareHostForMaintenance: CommandDefinition = {
  name: 'prepareHostForMaintenance',
  handle(ctx) {
    const host = ctx.params.requiredEntity('id', finders.host(ctx));
    const refusal = maintenanceRefusal(ctx, host);
    if (!refusal) host.resourceState = 'PrepareForMaintenance';
    return submit(ctx, 'prepareHostForMaintenance', 'PrepareForMaintenanceCmd', host, () => {
      if (refusal) return failed(refusal);
      if (host.resourceState !== 'PrepareForMaintenance') return hostResult(ctx, host);
      const injected = ctx.faults?.takeMaintenanceFailure(host.id, host.name);
      if (injected) {
        host.resourceState = injected.resourceState;
        return failed(injected.errortext);
      }
      const answer = hostResult(ctx, host);
      void migrateAway(ctx, host);
      return answer;
    });
  },
};

/** What CloudStack does after answering the prepare: the VMs' migrations, then its check moves the host on. */
async function migrateAway(ctx: CommandContext, host: HostRecord): Promise<void> {
  const migrated = await (ctx.migrateVms?.({ id: host.id, name: host.name }) ?? Promise.resolve()).then(() => undefined, (error: unknown) => error ?? 'failed');
  if (host.resourceState !== 'PrepareForMaintenance') return; // cancelled meanwhile
  if (migrated !== undefined) {
    host.resourceState = 'ErrorInPrepareForMaintenance';
    return;
  }
  host.resourceState = evacuate(ctx.state, host).ok ? 'Maintenance' : 'ErrorInPrepareForMaintenance';
}

/** cancelHostMaintenance (async): back to Enabled; fails for a host not in a maintenance state. */
const cancelHostMaintenance: CommandDefinition = {
  name: 'cancelHostMaintenance',
  handle(ctx) {
    const host = ctx.params.requiredEntity('id', finders.host(ctx));
    return submit(ctx, 'cancelHostMaintenance', 'CancelHostMaintenanceCmd', host, () => {
      if (!IN_MAINTENANCE.has(host.resourceState)) {
        return failed(`Cannot perform cancelMaintenance when resource state is ${host.resourceState}, hostId = ${host.id}`);
      }
      host.resourceState = 'Enabled';
      return hostResult(ctx, host);
    });
  },
};

/**
 * reconnectHost (async): the host goes Connecting, then the network probe decides Up, or Alert with
 * CloudStack's CheckNetworkCommand failure as the job error.
 */
const reconnectHost: CommandDefinition = {
  name: 'reconnectHost',
  handle(ctx) {
    const host = ctx.params.requiredEntity('id', finders.host(ctx));
    const refusal = IN_MAINTENANCE.has(host.resourceState)
      ? `Host ${host.id} is in resource state ${host.resourceState}; cannot reconnect` : undefined;
    if (!refusal) ctx.state.setHostState(host.id, 'Connecting');
    return submit(ctx, 'reconnectHost', 'ReconnectHostCmd', host, async () => {
      if (refusal) return failed(refusal);
      const probe = await checkHostNetwork(ctx, host.zoneId, host);
      if (!probe.ok) {
        ctx.state.setHostState(host.id, 'Alert');
        return failed(`Failed to reconnect host with id ${host.id}, internal error: ${networkSetupErrorText(probe.missing)}`);
      }
      ctx.state.setHostState(host.id, 'Up');
      host.disconnected = undefined;
      return hostResult(ctx, host);
    });
  },
};

/** prepareHostForMaintenance, cancelHostMaintenance, reconnectHost. */
export const hostMaintenanceCommands: CommandDefinition[] = [prepareHostForMaintenance, cancelHostMaintenance, reconnectHost];
