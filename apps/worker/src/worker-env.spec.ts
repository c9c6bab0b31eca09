import { WORKER_ENV_NAMES, workerEnvOf } from '@hostnet/simulator/environment/worker-env';
import { WORKER_CONFIG_KEYS } from './worker-config';

describe("the simulated zone's worker environment", () => {
  it('passes every variable the worker reads', () => {
    for (const name of WORKER_CONFIG_KEYS) expect([name, WORKER_ENV_NAMES.has(name)]).toEqual([name, true]);
  });

  it("holds nothing it does not read beside the root SSH key: no CloudStack keys, no api token or webhook secret, no profiles", () => {
    const zone = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'hostnet-x',
      CLOUDSTACK_URL: 'http://127.0.0.1:1/client/api',
      CLOUDSTACK_API_KEY: 'k',
      CLOUDSTACK_SECRET_KEY: 's',
      HOSTNET_PROFILES: '/tmp/profiles.yaml',
      HOSTNET_SSH_KEY: '/tmp/id_ed25519',
      API_TOKEN: 'api-token',
      WEBHOOK_SECRET: 'webhook-secret',
      POLL_INTERVAL_MS: '1000',
      API_HOST: '127.0.0.1',
      API_PORT: '3000',
    };
    expect(workerEnvOf(zone)).toEqual({ REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'hostnet-x', HOSTNET_SSH_KEY: '/tmp/id_ed25519' });
  });
});
