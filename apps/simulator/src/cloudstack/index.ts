/** Public API of the CloudStack simulator. */
export { CloudStackSimulator, type CloudStackSimulatorOptions } from './cloudstack-simulator';
export { CallRecorder, MUTATING_COMMANDS, type RecordedCall } from './recording/call-recorder';
export { FaultInjector, type FaultAction, type FaultTarget, type MaintenanceFailureState } from './faults/fault-injector';
export { SimulatorState, type NewHostRecord } from './state/simulator-state';
export type * from './state/simulator-records';
export type { HostNetworkProbe, HostNetworkProbeResult, HostNetworkProbeTarget } from './state/host-network-probe';
export type { VmMigrationHook, VmMigrationTarget } from './state/vm-migration-hook';
export { zoneKvmLabels, type ZoneKvmLabels } from './state/zone-kvm-labels';
export { deterministicUuid } from './state/deterministic-uuid';
export { loadSimulatorTopology, parseSimulatorTopology, SimulatorTopologyError } from './topology/simulator-topology.loader';
export type * from './topology/simulator-topology';
export { simulatorTopologySchema } from './topology/simulator-topology.schema';
export { DEFAULT_TOPOLOGY_PATH } from './topology/default-topology';
