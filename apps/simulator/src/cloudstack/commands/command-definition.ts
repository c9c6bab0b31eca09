import type { ApiRequest } from '../protocol/api-request';
import type { AsyncJobRegistry } from '../jobs/async-job.registry';
import type { SimulatorState } from '../state/simulator-state';
import type { HostNetworkProbe } from '../state/host-network-probe';
import type { VmMigrationHook } from '../state/vm-migration-hook';
import type { FaultInjector } from '../faults/fault-injector';
import type { ParamReader } from './param-reader';

/** What a command handler may use. */
export interface CommandContext {
  request: ApiRequest;
  params: ParamReader;
  state: SimulatorState;
  jobs: AsyncJobRegistry;
  hostNetworkProbe?: HostNetworkProbe;
  /** Awaited by prepareHostForMaintenance before its VMs count as migrated. */
  migrateVms?: VmMigrationHook;
  /** Host-level failures some commands consult (maintenance); request-level faults are applied before dispatch. */
  faults?: FaultInjector;
}

/** How a handler's result is serialized inside `<command>response`. */
export type CommandOutcome =
  /** ListResponse: `{count, <objectName>: [...]}`, with CloudStack's empty/page-past-end rules. */
  | { kind: 'list'; objectName: string; items: Record<string, unknown>[]; count: number }
  /** Single object: `{<objectName>: {...}}`. */
  | { kind: 'object'; objectName: string; item: Record<string, unknown> }
  /** Fields written directly (AsyncJobResponse, async submit `{jobid}`). */
  | { kind: 'fields'; fields: Record<string, unknown> };

/** One API command the simulator understands. */
export interface CommandDefinition {
  /** The API name exactly as CloudStack registers it, e.g. `listHosts`. */
  name: string;
  handle(context: CommandContext): CommandOutcome | Promise<CommandOutcome>;
}

/** `listHosts` → `listhostsresponse`. */
export function responseNameOf(commandName: string): string {
  return `${commandName.toLowerCase()}response`;
}
