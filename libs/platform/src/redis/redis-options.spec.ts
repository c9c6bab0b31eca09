import { ConfigError } from '@hostnet/config';
import { expectPermanent, thrown } from '../../../../test/support/error-expectations';
import { redisOptionsFromUrl } from './redis-options';

describe('redisOptionsFromUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(redisOptionsFromUrl('redis://user:p%40ss@127.0.0.1:6380/2')).toMatchObject({
      host: '127.0.0.1',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      maxRetriesPerRequest: null,
    });
    expect(redisOptionsFromUrl('redis://[::1]')).toMatchObject({ host: '::1', port: 6379, db: 0 });
  });

  it('refuses other schemes and bad databases with the fix', () => {
    expect(() => redisOptionsFromUrl('http://127.0.0.1')).toThrow(/REDIS_URL must start with redis:\/\//);
    expect(() => redisOptionsFromUrl('redis://127.0.0.1/x')).toThrow(/database must be a number/);
  });

  it('raises a permanent ConfigError that never repeats a password', () => {
    for (const url of ['http://127.0.0.1', 'redis://127.0.0.1/x', 'redis://u:hunter2@[bad']) {
      const caught = thrown(() => redisOptionsFromUrl(url));
      expectPermanent(caught, ConfigError);
      expect(JSON.stringify({ ...caught, message: caught.message })).not.toContain('hunter2');
    }
  });
});
