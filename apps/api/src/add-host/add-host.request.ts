import { z } from 'zod';
import { isValidIpv4 } from '@hostnet/contracts';
import { requestedBy } from '../hosts/request-schemas';

const ID = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;

/** POST /hosts/add: where the new host goes and how CloudStack logs in to install its agent. */
export const addHostRequestSchema = z
  .object({
    zoneId: z.string({ required_error: 'required: the CloudStack zone (id or name) the host joins' }).regex(ID, 'must be a CloudStack zone id or name (letters, digits, spaces, . _ -; at most 128)'),
    podId: z.string({ required_error: 'required: the pod (id or name) the host joins, in that zone' }).regex(ID, 'must be a CloudStack pod id or name (letters, digits, spaces, . _ -; at most 128)'),
    clusterId: z.string({ required_error: 'required: the KVM cluster (id or name) the host joins, in that pod' }).regex(ID, 'must be a CloudStack cluster id or name (letters, digits, spaces, . _ -; at most 128)'),
    name: z.string({ required_error: 'required: the host name CloudStack will show, e.g. kvm21' }).regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'must be a hostname label (letters, digits and -, at most 63), e.g. kvm21'),
    ipAddress: z.string({ required_error: 'required: the IPv4 address the host will have on the management network, e.g. 192.168.100.21' }).refine(isValidIpv4, 'must be the IPv4 address the host will have on the management network, as a dotted quad, e.g. 192.168.100.21'),
    /** CloudStack's SSH login for addHost; kept in api memory only, never in Redis or a job. */
    username: z.string({ required_error: 'required: the SSH user CloudStack logs in with to install its agent, e.g. root' }).regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name, e.g. root'),
    password: z.string({ required_error: "required: that user's SSH password (kept in api's memory only)" }).min(1).max(512),
    requestedBy: requestedBy.optional(),
  })
  .strict();

export type AddHostRequest = z.infer<typeof addHostRequestSchema>;
