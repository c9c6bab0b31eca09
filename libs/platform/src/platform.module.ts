import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HOSTNET_CONFIG, type PlatformConfig } from './config/config.tokens';
import { HostnetMetrics } from './metrics/hostnet-metrics';
import { connectRedis } from './redis/redis-connection';
import { connectFailFast } from './redis/redis-fail-fast';
import { HostRunSpecRepository } from './run-spec/host-run-spec.repository';

/**
 * Providers shared by api and worker: validated config, the app's metrics registry and the run-spec
 * hand-over in Redis (api writes, the worker reads). CloudStack and the profiles are api's alone
 * (SpecSourceModule): the worker applies what api derived.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig, app: 'api' | 'worker'): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: HOSTNET_CONFIG, useValue: config },
        { provide: HostnetMetrics, useFactory: () => new HostnetMetrics(app) },
        // the same Redis as the queues (a Sentinel's master, a Cluster's slot): REDIS_URL alone is only credentials there
        // api's trigger writes here mid-request: fail fast there (nothing replayed later); the worker's reads may wait for Redis
        { provide: HostRunSpecRepository, useFactory: async () => new HostRunSpecRepository(app === 'api' ? await connectFailFast(config, 'api run specs') : connectRedis(config, {}, 'worker run specs'), config.QUEUE_PREFIX) },
      ],
      exports: [HOSTNET_CONFIG, HostnetMetrics, HostRunSpecRepository],
    };
  }
}
