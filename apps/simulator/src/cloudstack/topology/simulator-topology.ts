import type { z } from 'zod';
import type { simulatorTopologySchema } from './simulator-topology.schema';

/** A validated simulator seed: zones → pods → clusters → hosts, plus physical networks and storage ranges. */
export type SimulatorTopology = z.output<typeof simulatorTopologySchema>;
/** The seed as written in a file, before defaults are applied. */
export type SimulatorTopologyInput = z.input<typeof simulatorTopologySchema>;

export type ZoneSeed = SimulatorTopology['zones'][number];
export type PodSeed = ZoneSeed['pods'][number];
export type ClusterSeed = PodSeed['clusters'][number];
export type HostSeed = ClusterSeed['hosts'][number];
export type HostTemplateSeed = NonNullable<ClusterSeed['hostTemplate']>;
export type PhysicalNetworkSeed = ZoneSeed['physicalNetworks'][number];
export type TrafficTypeSeed = PhysicalNetworkSeed['trafficTypes'][number];
export type StorageRangeSeed = ZoneSeed['storageRanges'][number];
