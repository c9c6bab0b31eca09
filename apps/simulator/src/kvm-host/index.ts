/** Simulated KVM hosts over real SSH, for the pipeline's tests, the demo and the benchmark. */
export { SimulatedKvmHost, KvmHostSimulator } from './simulated-kvm-host';
export type { HostModel, LatencyPer, LiveHistoryEntry, SimulatedKvmHostOptions } from './simulated-kvm-host';
export { KvmHostFaults } from './kvm-host-faults';
export type { KvmHostFaultFile } from './kvm-host-faults';
export { KVM_HOST_PERSONAS } from './kvm-host-personas';
export type { KvmHostPersona } from './kvm-host-personas';
export type { KvmHostSshStats } from './kvm-host-ssh.server';
export { STANDIN_TOOLS } from './kvm-host-standins';
export { KvmHostThreads, ThreadedKvmHost } from './threaded/kvm-host-threads';
