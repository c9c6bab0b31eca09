/** The host a prepareHostForMaintenance is evacuating. */
export interface VmMigrationTarget {
  id: string;
  name: string;
}

/**
 * Runs while a host is PrepareForMaintenance, before the simulator counts its VMs as migrated and the
 * host enters Maintenance, as CloudStack's live migrations do; supplied by whoever starts the simulator
 * (the lab moves its VM namespaces here). A rejection fails the job: the host is left
 * ErrorInPrepareForMaintenance with the error as the job's errortext.
 */
export type VmMigrationHook = (host: VmMigrationTarget) => Promise<void>;
