import type { HostConnectionFactory } from '@hostnet/apply';
import type { SshConnector, SshEndpoints } from '@hostnet/ssh';
import type { WorkerConfig } from '../worker-config';

/** Opens a new SSH session to a CloudStack host, at the address HOSTNET_SSH_ENDPOINTS gives it. */
export function hostConnection(
  config: WorkerConfig,
  endpoints: SshEndpoints,
  ssh: SshConnector,
  host: { id: string; name: string; ipAddress: string },
): HostConnectionFactory {
  const address = endpoints.resolve(host);
  const endpoint = {
    host: address.host,
    port: address.port,
    username: address.user,
    privateKeyPath: config.HOSTNET_SSH_KEY,
    useSudo: address.user !== 'root',
  };
  const connectOptions = {
    knownHostsPath: config.HOSTNET_KNOWN_HOSTS,
    trustOnFirstUse: config.HOSTNET_TRUST_ON_FIRST_USE,
    connectTimeoutMs: config.HOSTNET_SSH_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: config.HOSTNET_SSH_COMMAND_TIMEOUT_MS,
    hostLabel: `${host.name} (${address.host}:${address.port})`,
  };
  return () => ssh.connect(endpoint, connectOptions);
}
