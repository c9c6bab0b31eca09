import { readSimulatorEnv } from './simulator-env';

describe('readSimulatorEnv', () => {
  const keys = { SIMULATOR_API_KEY: 'k', SIMULATOR_SECRET_KEY: 's' };

  it('takes the compose defaults', () => {
    expect(readSimulatorEnv(keys)).toEqual({ port: 8080, host: '127.0.0.1', apiKey: 'k', secretKey: 's', hosts: 3 });
    expect(readSimulatorEnv({ ...keys, SIMULATOR_PORT: '9090', SIMULATOR_HOST: '0.0.0.0', SIMULATOR_HOSTS: '5' })).toMatchObject({ port: 9090, host: '0.0.0.0', hosts: 5 });
  });

  it('names every bad variable with its fix, never showing a key', () => {
    expect(() => readSimulatorEnv({ SIMULATOR_PORT: 'http', SIMULATOR_SECRET_KEY: 'secret-value' })).toThrow(
      'the CloudStack simulator cannot start: SIMULATOR_PORT is "http"; fix: a whole number from 1 to 65535, e.g. 8080; SIMULATOR_API_KEY is not set; fix: set it to the API key hostnet\'s CLOUDSTACK_API_KEY holds (any random string both sides share)',
    );
    expect(() => readSimulatorEnv({ ...keys, SIMULATOR_SECRET_KEY: 'secret-value', SIMULATOR_HOSTS: '0' })).not.toThrow(/secret-value/);
  });
});
