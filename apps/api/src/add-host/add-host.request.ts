import { z } from 'zod';
import { isValidIpv4 } from '@hostnet/contracts';
import { requestedBy } from '../hosts/request-schemas';

const ID = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;

/** POST /hosts/add: where the new host goes and how CloudStack logs in to install its agent. */
export const addHostRequestSchema = z
  .object({
    zoneId: z.string().regex(ID, 'a CloudStack zone id or name'),
    podId: z.string().regex(ID, 'a CloudStack pod id or name'),
    clusterId: z.string().regex(ID, 'a CloudStack cluster id or name'),
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'a hostname label (letters, digits, -)'),
    ipAddress: z.string().refine(isValidIpv4, 'the IPv4 management address the host will have'),
    /** CloudStack's SSH login for addHost; kept in api memory only, never in Redis or a job. */
    username: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a POSIX user name'),
    password: z.string().min(1).max(512),
    requestedBy: requestedBy.optional(),
  })
  .strict();

export type AddHostRequest = z.infer<typeof addHostRequestSchema>;
