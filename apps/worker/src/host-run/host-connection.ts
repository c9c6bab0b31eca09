import type { HostConnectionFactory } from '@hostnet/apply';
import type { SshConnector, SshEndpoint, SshEndpoints } from '@hostnet/ssh';
import type { WorkerConfig } from '../worker-config';

type HostAddressing = { id: string; name: string; ipAddress: string };

/** Where and as whom the worker reaches a CloudStack host: the address HOSTNET_SSH_ENDPOINTS gives it. */
export function hostEndpoint(config: WorkerConfig, endpoints: SshEndpoints, host: HostAddressing): SshEndpoint & { label: string } {
  const address = endpoints.resolve(host);
  return {
    host: address.host,
    port: address.port,
    username: address.user,
    privateKeyPath: config.HOSTNET_SSH_KEY,
    useSudo: address.user !== 'root',
    label: `${host.name} (${address.host}:${address.port})`,
  };
}

/** Opens a new SSH session to a CloudStack host, at the address HOSTNET_SSH_ENDPOINTS gives it. */
export function hostConnection(config: WorkerConfig, endpoints: SshEndpoints, ssh: SshConnector, host: HostAddressing): HostConnectionFactory {
  return connectionTo(config, ssh, hostEndpoint(config, endpoints, host));
}

/** Opens a new SSH session to an endpoint hostEndpoint resolved. */
export function connectionTo(config: WorkerConfig, ssh: SshConnector, { label, ...endpoint }: ReturnType<typeof hostEndpoint>): HostConnectionFactory {
  const connectOptions = {
    knownHostsPath: config.HOSTNET_KNOWN_HOSTS,
    trustOnFirstUse: config.HOSTNET_TRUST_ON_FIRST_USE,
    connectTimeoutMs: config.HOSTNET_SSH_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: config.HOSTNET_SSH_COMMAND_TIMEOUT_MS,
    hostLabel: label,
  };
  return () => ssh.connect(endpoint, connectOptions);
}
