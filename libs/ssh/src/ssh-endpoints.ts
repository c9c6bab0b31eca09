import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { HostnetError, parseIpv4 } from '@hostnet/contracts';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:]+$/;

const address = z
  .string()
  .refine((v) => parseIpv4(v) !== null || (v.includes(':') && IPV6.test(v)) || HOSTNAME.test(v), {
    message: 'must be an IP address or a DNS name (letters, digits, dots and dashes)',
  });
const port = z.number().int().min(1).max(65535);
const user = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name');

const entry = z.object({ address, port: port.optional(), user: user.optional() }).strict();
const fileSchema = z
  .object({
    defaults: z.object({ port: port.optional(), user: user.optional() }).strict().optional(),
    /** Keyed by CloudStack host name, host id, or the host's CloudStack IP address. */
    hosts: z.record(z.string(), entry).default({}),
  })
  .strict();

/** HOSTNET_SSH_ENDPOINTS (or the CloudStack address it falls back to) is unusable; an operator must fix it. */
export class SshEndpointsError extends HostnetError {
  readonly permanent = true;
}

export type SshEndpointsFile = z.infer<typeof fileSchema>;

export interface ResolvedSshAddress {
  host: string;
  port: number;
  user: string;
  /** Where the address came from, for the operator's audit trail. */
  source: 'endpoints-file' | 'cloudstack-address';
}

/**
 * Where to reach each host over SSH. Operators often reach hosts through an out-of-band or jump
 * address rather than the management IP CloudStack knows, and the demo's simulated hosts listen on
 * loopback ports, so the address is looked up here first and CloudStack's IP is only the fallback.
 */
export class SshEndpoints {
  private loadedMtimeMs = 0;

  constructor(
    private file: SshEndpointsFile,
    private readonly defaultUser: string,
    private readonly path?: string,
  ) {}

  /** Reads the file now (so a bad file stops the app at boot) and again whenever it changes. */
  static load(path: string | undefined, defaultUser: string): SshEndpoints {
    if (!path) return new SshEndpoints({ hosts: {} }, defaultUser);
    const endpoints = new SshEndpoints(SshEndpoints.parseFile(path), defaultUser, path);
    endpoints.loadedMtimeMs = statSync(path).mtimeMs;
    return endpoints;
  }

  private static parseFile(path: string): SshEndpointsFile {
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new SshEndpointsError(`HOSTNET_SSH_ENDPOINTS ${path}: cannot read YAML (${(e as Error).message})`);
    }
    const parsed = fileSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
      throw new SshEndpointsError(`HOSTNET_SSH_ENDPOINTS ${path}: ${problems.join('; ')}`);
    }
    return parsed.data;
  }

  /** Operators add hosts to the file without restarting workers; a broken edit fails loudly. */
  private refresh(): void {
    if (!this.path) return;
    const mtimeMs = statSync(this.path).mtimeMs;
    if (mtimeMs === this.loadedMtimeMs) return;
    this.file = SshEndpoints.parseFile(this.path);
    this.loadedMtimeMs = mtimeMs;
  }

  resolve(host: { id: string; name: string; ipAddress: string }): ResolvedSshAddress {
    this.refresh();
    const found = this.file.hosts[host.name] ?? this.file.hosts[host.id] ?? this.file.hosts[host.ipAddress];
    const port = found?.port ?? this.file.defaults?.port ?? 22;
    const user = found?.user ?? this.file.defaults?.user ?? this.defaultUser;
    if (found) return { host: found.address, port, user, source: 'endpoints-file' };
    const checked = address.safeParse(host.ipAddress);
    if (!checked.success) {
      throw new SshEndpointsError(`host ${host.name}: CloudStack address ${JSON.stringify(host.ipAddress)} is not an IP or DNS name; add it to HOSTNET_SSH_ENDPOINTS`);
    }
    return { host: host.ipAddress, port, user, source: 'cloudstack-address' };
  }
}
