import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from './api-client';

describe('ApiClient', () => {
  it('names a port fetch refuses outright instead of its bare "bad port"', async () => {
    const client = new ApiClient('http://127.0.0.1:6000', 'token');
    await expect(client.call('GET', '/hosts', undefined, 200)).rejects.toThrow(
      /^api at http:\/\/127\.0\.0\.1:6000: port 6000 is one fetch refuses to connect to .*; fix: serve api on another port \(API_PORT\)/,
    );
  });

  describe('against an api that takes the request and never answers', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer(() => undefined); // holds every request open
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up at its timeout and says api is running but not answering, not that it is down', async () => {
      const started = Date.now();
      const error = await new ApiClient(url, 'token', 1_000).call('GET', '/hosts', undefined, 200).catch((e: Error) => e);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((error as Error).message).toBe(`api at ${url} took the request but did not answer GET /hosts within 1 s; fix: GET ${url}/health tells whether api's Redis answers, and api's log says what it waits on`);
    });

    it('warns that a trigger it gave up on may still take effect', async () => {
      const error = await new ApiClient(url, 'token', 1_000).answer('POST', '/hosts/kvm1/configure', {}, [202]).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/did not answer POST \/hosts\/kvm1\/configure within 1 s; the request may still take effect: check with hostnet hosts or hostnet host before asking again; fix: /);
    });
  });
});
