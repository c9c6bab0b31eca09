import { ApiClient } from './api-client';

describe('ApiClient', () => {
  it('names a port fetch refuses outright instead of its bare "bad port"', async () => {
    const client = new ApiClient('http://127.0.0.1:6000', 'token');
    await expect(client.call('GET', '/hosts', undefined, 200)).rejects.toThrow(
      /^api at http:\/\/127\.0\.0\.1:6000: port 6000 is one fetch refuses to connect to .*; fix: serve api on another port \(API_PORT\)/,
    );
  });
});
