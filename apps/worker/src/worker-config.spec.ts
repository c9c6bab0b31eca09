import { loadConfig } from '@hostnet/config';
import { unusedCloudStackVariables, WORKER_CONFIG_KEYS } from './worker-config';

describe('worker config', () => {
  const base = { HOSTNET_SSH_KEY: '/k', HOSTNET_KNOWN_HOSTS: '/kh' };

  it('boots without any CloudStack variable or profiles file, and keeps none it is given', () => {
    const config = loadConfig(WORKER_CONFIG_KEYS, base);
    expect(config).toMatchObject(base);
    const given = loadConfig(WORKER_CONFIG_KEYS, { ...base, CLOUDSTACK_URL: 'https://cs.example/client/api', CLOUDSTACK_SECRET_KEY: 's3cr3t', HOSTNET_PROFILES: '/p.yaml' });
    expect(Object.keys(given).filter((k) => k.startsWith('CLOUDSTACK_') || k === 'HOSTNET_PROFILES')).toEqual([]);
  });

  it('names the CLOUDSTACK_* variables set anyway (empty ones count as unset)', () => {
    expect(unusedCloudStackVariables({ ...base, CLOUDSTACK_SECRET_KEY: 'x', CLOUDSTACK_API_KEY: 'y', CLOUDSTACK_URL: ' ', OTHER: 'z' })).toEqual(['CLOUDSTACK_API_KEY', 'CLOUDSTACK_SECRET_KEY']);
    expect(unusedCloudStackVariables(base)).toEqual([]);
  });
});
