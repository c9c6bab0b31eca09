import { z } from 'zod';
import { isValidIpv4 } from '@hostnet/contracts';
import { requestedBy } from '../hosts/request-schemas';

const ID = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;

/** POST /hosts/add: where the new host goes and how CloudStack logs in to install its agent. */
export const addHostRequestSchema = z
  .object({
    zoneId: z.string().regex(ID, 'must be a CloudStack zone id or name (letters, digits, spaces, . _ -; at most 128)'),
    podId: z.string().regex(ID, 'must be a CloudStack pod id or name (letters, digits, spaces, . _ -; at most 128)'),
    clusterId: z.string().regex(ID, 'must be a CloudStack cluster id or name (letters, digits, spaces, . _ -; at most 128)'),
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'must be a hostname label (letters, digits and -, at most 63), e.g. kvm21'),
    ipAddress: z.string().refine(isValidIpv4, 'must be the IPv4 address the host will have on the management network, as a dotted quad, e.g. 192.168.100.21'),
    /** CloudStack's SSH login for addHost; kept in api memory only, never in Redis or a job. */
    username: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name, e.g. root'),
    password: z.string().min(1).max(512),
    requestedBy: requestedBy.optional(),
  })
  .strict();

export type AddHostRequest = z.infer<typeof addHostRequestSchema>;
