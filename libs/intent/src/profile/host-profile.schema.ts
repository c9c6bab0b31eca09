import { z } from 'zod';
import type { BondMode } from '../domain/host-network-intent';
import { labelNameProblem } from '../validation/interface-name.validator';
import { isValidIpv4, parseCidr } from '../validation/ipv4.validator';
import { domainNameProblem, macAddressProblem, mtuProblem, vlanIdProblem } from '../validation/network-values.validator';
import { refineProfile, refineProfileSet } from './profile-rules';

/**
 * Zod schema of a host profile file (see libs/intent/README.md). Every object is strict so a
 * misspelt key is an error, not a silently ignored setting.
 */

const withProblem = (check: (v: unknown) => string | null) => (value: unknown, ctx: z.RefinementCtx) => {
  const problem = check(value);
  if (problem !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${JSON.stringify(value)} ${problem}` });
};

/** A Linux interface name that is not reserved. */
export const interfaceName = z.string().superRefine(withProblem(labelNameProblem));
const vlanId = z.number().superRefine(withProblem(vlanIdProblem));
const mtu = z.number().superRefine(withProblem(mtuProblem));
/** A string the check accepts, or an issue that quotes the value before `problem`. */
const stringWhere = (ok: (v: string) => boolean, problem: string) => z.string().superRefine(withProblem((v) => (ok(v as string) ? null : problem)));
const ipv4 = stringWhere(isValidIpv4, 'is not an IPv4 address; fix: write a dotted quad like 192.168.100.20');
const domainName = z.string().superRefine(withProblem(domainNameProblem));
const cidrOrIp = stringWhere((v) => parseCidr(v) !== null, 'is not an IPv4 address or CIDR; fix: write 10.0.100.20 or 10.0.100.20/24');
const cidr = stringWhere((v) => parseCidr(v)?.prefix != null, 'is not an IPv4 CIDR; fix: write address/prefix like 10.0.100.20/24');
/** A profile's name: a key of `profiles`, and what selectors and host overrides point at. */
export const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const profileName = z.string().regex(PROFILE_NAME, {
  message: 'is not a valid profile name; fix: use 1-64 characters from A-Z a-z 0-9 _ . -',
});

/** Any text here: which modes are valid depends on the profile's backend, so profile-rules checks it and lists that backend's modes only. */
const bondMode = z.custom<BondMode>((v) => typeof v === 'string', { message: 'is not a bond mode; fix: write one as text, e.g. active-backup' });

export const bondProfileSchema = z
  .object({
    name: interfaceName,
    members: z.array(interfaceName).min(1, { message: 'lists no NICs; fix: list the NICs to bond, e.g. [eth0, eth1]' }),
    mode: bondMode,
    /** MII polling interval in ms; 100 when omitted. Its range depends on the backend: profile-rules checks it, once. */
    miimon: z.number().default(100),
    lacpRate: z.enum(['slow', 'fast']).optional(),
    xmitHashPolicy: z.enum(['layer2', 'layer2+3', 'layer3+4', 'encap2+3', 'encap3+4']).optional(),
    /** OVS only: lacp=off|active|passive. */
    lacp: z.enum(['off', 'active', 'passive']).optional(),
  })
  .strict();

export const networkProfileSchema = z
  .object({
    /** Which CloudStack physical network this uplink carries: by name (or id), or by a traffic label on it. */
    match: z
      .object({ physicalNetwork: z.string().min(1).optional(), label: interfaceName.optional() })
      .strict()
      .refine((m) => (m.physicalNetwork === undefined) !== (m.label === undefined), {
        message: 'needs exactly one of physicalNetwork or label; fix: write match: { physicalNetwork: "Physical Network 1" } or match: { label: cloudbr0 }',
      }),
    nic: interfaceName.optional(),
    bond: bondProfileSchema.optional(),
    mtu: mtu.optional(),
    /** The Management label's bridge rides on this VLAN of the uplink (tagged management). */
    managementVlan: vlanId.optional(),
    /** Other labels of this physical network that ride on a VLAN of the uplink instead of untagged. */
    labelVlans: z.record(interfaceName, vlanId).optional(),
  })
  .strict();

export const extraInterfaceSchema = z
  .object({
    /** Bridge name, e.g. cloudbr100; if it equals a CloudStack label the bridge serves that label. */
    name: interfaceName,
    /** A bridge (cloudbr0) or uplink (bond0) of this profile the VLAN rides on. */
    on: interfaceName,
    /** 802.1q tag; defaults to the host pod's storage range VLAN when address is `storage`. */
    vlan: vlanId.optional(),
    /** `storage`: host override storageAddress, netmask from the storage range; `override`: hosts.<h>.addresses.<name>. */
    address: z.enum(['storage', 'override']).optional(),
    mtu: mtu.optional(),
  })
  .strict();

export const hostProfileSchema = z
  .object({
    backend: z.enum(['linux', 'ovs']),
    mtu: mtu.optional(),
    /** Domain appended to the CloudStack host name to form the FQDN. */
    hostDomain: domainName.optional(),
    dns: z
      .object({
        servers: z.array(ipv4).max(3, { message: 'lists more than 3 servers; fix: resolv.conf uses at most 3' }).optional(),
        search: z.array(domainName).optional(),
        domain: domainName.optional(),
      })
      .strict()
      .optional(),
    /** OVS only: enable-vlan-splinters on every NIC, persisted. */
    vlanSplinters: z.boolean().default(false),
    bridge: z
      .object({ stp: z.boolean().default(false), forwardDelay: z.number().int().min(0).max(30).default(0) })
      .strict()
      // the kernel keeps an STP bridge's forward delay within 2-30 s (it would run at 2 and never verify)
      .superRefine((b, ctx) => {
        if (b.stp && b.forwardDelay < 2) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['forwardDelay'], message: `${b.forwardDelay} is below 2 with stp: true (Linux runs an STP bridge's forward delay at 2-30 s); fix: set forwardDelay: 2-30 (15 is the kernel's default) or stp: false` });
        }
      })
      .default({}),
    nics: z.record(interfaceName, z.object({ hwaddr: z.string().superRefine(withProblem(macAddressProblem)).optional(), mtu: mtu.optional() }).strict()).optional(),
    networks: z.array(networkProfileSchema).min(1, { message: 'is empty; fix: add one entry per CloudStack physical network' }),
    extras: z.array(extraInterfaceSchema).optional(),
  })
  .strict()
  .superRefine(refineProfile);

export const profileSelectorSchema = z
  .object({
    profile: profileName,
    /** Zone, pod, cluster: CloudStack id or name; the most specific matching selector wins, none = default. */
    zone: z.string().min(1).optional(),
    pod: z.string().min(1).optional(),
    cluster: z.string().min(1).optional(),
  })
  .strict();

export const hostOverrideSchema = z
  .object({
    profile: profileName.optional(),
    /** The host's storage IP, with /prefix when the zone has no storage range for the pod. */
    storageAddress: cidrOrIp.optional(),
    /** Addresses for extras with `address: override`, by bridge name. */
    addresses: z.record(interfaceName, cidr).optional(),
    /** Pinned MAC per NIC (ifcfg HWADDR). */
    hwaddrs: z.record(interfaceName, z.string().superRefine(withProblem(macAddressProblem))).optional(),
  })
  .strict();

/** Host keys: a CloudStack host id or name. */
export const HOST_KEY_MAX = 255;

const profileSetObject = z
  .object({
    version: z.literal(1),
    profiles: z.record(profileName, hostProfileSchema),
    selectors: z.array(profileSelectorSchema).default([]),
    hosts: z.record(z.string().min(1).max(HOST_KEY_MAX), hostOverrideSchema).default({}),
  })
  .strict();

export const profileSetSchema = profileSetObject.superRefine(refineProfileSet);

/**
 * profileSetSchema without zod's walk over `hosts`, for a map already found valid by
 * hostOverridesValid (host-overrides.check.ts): zod costs tens of microseconds per host, seconds for
 * a 40k-host site. Host overrides have no defaults, so the checked input is the output.
 */
export const profileSetSchemaHostsChecked = profileSetObject
  .extend({ hosts: z.custom<Record<string, z.infer<typeof hostOverrideSchema>>>(() => true).default({}) })
  .superRefine(refineProfileSet);

/** One host profile, as validated (defaults filled in). */
export type HostProfile = z.infer<typeof hostProfileSchema>;
/** One bond of a profile. */
export type BondProfile = z.infer<typeof bondProfileSchema>;
/** One `networks[]` entry: the uplink of a CloudStack physical network. */
export type NetworkProfile = z.infer<typeof networkProfileSchema>;
/** One host-only extra VLAN bridge. */
export type ExtraInterfaceProfile = z.infer<typeof extraInterfaceSchema>;
/** Picks a profile for a zone / pod / cluster. */
export type ProfileSelector = z.infer<typeof profileSelectorSchema>;
/** Per-host settings CloudStack does not know. */
export type HostOverride = z.infer<typeof hostOverrideSchema>;
/** Contents of a profile file without its source. */
export type ProfileSetDocument = z.infer<typeof profileSetSchema>;

/** A validated profile file, ready for buildHostIntent. */
export interface ProfileSet extends ProfileSetDocument {
  /** Where it was loaded from, for error messages. */
  source: string;
}
