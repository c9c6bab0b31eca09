import { z } from 'zod';
import { isValidIpv4 } from '@hostnet/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ipv4 = z.string().refine(isValidIpv4, 'must be a dotted IPv4 address such as 192.168.100.20');
const uuid = z.string().regex(UUID, 'must be a lowercase UUID such as 0b7a1c4e-9f0a-4a4e-8e7c-2f1d3c5b6a70');
const name = z.string().min(1, 'must be a non-empty name').max(255);

/** com.cloud.host.Status values a seeded host may start in. */
export const HOST_STATES = ['Creating', 'Connecting', 'Up', 'Down', 'Disconnected', 'Alert', 'Error', 'Rebalancing', 'Unknown'] as const;
/** com.cloud.resource.ResourceState values a seeded host may start in. */
export const RESOURCE_STATES = [
  'Creating', 'Enabled', 'Disabled', 'ErrorInPrepareForMaintenance', 'PrepareForMaintenance',
  'ErrorInMaintenance', 'Maintenance', 'Error', 'Degraded',
] as const;
/** Physical traffic types a seed may declare. */
export const TRAFFIC_TYPES = ['Management', 'Guest', 'Public', 'Storage'] as const;

/** A CloudStack version as listCapabilities / listHosts report it. */
const cloudstackVersion = z.string().regex(/^\d{1,4}(\.\d{1,6}){1,3}(-[A-Za-z0-9.]{1,40})?$/, 'write a CloudStack version such as 4.19.1.0');

const hostSeed = z.object({
  id: uuid.optional(),
  name,
  ipAddress: ipv4,
  /** The agent's version (listHosts `version`); default: the management server's cloudstackVersion. */
  agentVersion: cloudstackVersion.optional(),
  state: z.enum(HOST_STATES).default('Up'),
  resourceState: z.enum(RESOURCE_STATES).default('Enabled'),
}).strict();

const hostTemplateSeed = z.object({
  count: z.number().int().min(1).max(20000),
  namePrefix: name,
  ipStart: ipv4,
  state: z.enum(HOST_STATES).default('Up'),
  resourceState: z.enum(RESOURCE_STATES).default('Enabled'),
}).strict();

const clusterSeed = z.object({
  id: uuid.optional(),
  name,
  allocationState: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  hosts: z.array(hostSeed).default([]),
  hostTemplate: hostTemplateSeed.optional(),
}).strict();

const podSeed = z.object({
  id: uuid.optional(),
  name,
  gateway: ipv4,
  netmask: ipv4,
  startIp: ipv4.optional(),
  endIp: ipv4.optional(),
  allocationState: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  clusters: z.array(clusterSeed).default([]),
}).strict();

const trafficTypeSeed = z.object({
  id: uuid.optional(),
  type: z.enum(TRAFFIC_TYPES),
  /** Unset (or null) means no KVM label is stored, as when an admin never set one. */
  kvmNetworkLabel: z.string().min(1).max(255).nullable().optional(),
}).strict();

const physicalNetworkSeed = z.object({
  id: uuid.optional(),
  name,
  isolationMethods: z.array(z.enum(['VLAN', 'VXLAN', 'GRE', 'STT', 'BCF_SEGMENT', 'SSP', 'ODL', 'L3VPN', 'VCS', 'VSP'])).default(['VLAN']),
  vlan: z.string().regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'must be a VLAN range list such as 500-999 or 100-200,300-400').optional(),
  tags: z.array(z.string().min(1)).default([]),
  broadcastDomainRange: z.enum(['ZONE', 'POD']).default('ZONE'),
  state: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  trafficTypes: z.array(trafficTypeSeed).default([]),
}).strict();

const storageRangeSeed = z.object({
  id: uuid.optional(),
  pod: name,
  startIp: ipv4,
  endIp: ipv4,
  netmask: ipv4,
  gateway: ipv4.optional(),
  vlan: z.number().int().min(1).max(4094).optional(),
}).strict();

const zoneSeed = z.object({
  id: uuid.optional(),
  name,
  networkType: z.enum(['Advanced', 'Basic']).default('Advanced'),
  allocationState: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  dns1: ipv4.optional(),
  dns2: ipv4.optional(),
  internalDns1: ipv4.optional(),
  internalDns2: ipv4.optional(),
  guestCidrAddress: z.string().optional(),
  domain: z.string().optional(),
  pods: z.array(podSeed).min(1, 'a zone needs at least one pod'),
  physicalNetworks: z.array(physicalNetworkSeed).default([]),
  storageRanges: z.array(storageRangeSeed).default([]),
}).strict();

/** Zod schema of a simulator seed file (YAML or JSON). */
export const simulatorTopologySchema = z.object({
  cloudstackVersion: cloudstackVersion.default('4.19.1.0'),
  /** Fixed `created` date for seeded records, so responses are reproducible. */
  createdAt: z.string().datetime({ offset: true }).default('2024-01-15T09:00:00Z'),
  zones: z.array(zoneSeed).min(1, 'a topology needs at least one zone'),
}).strict();
