import { BullModule } from '@nestjs/bullmq';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type Redis from 'ioredis';
import { QueueName } from '@hostnet/contracts';
import { bullRootModule, connectFailFast, queueErrorLogging, REDIS_CONNECTION, routedByWork } from '@hostnet/platform';
import type { ApiConfig } from './api-config';
import { API_TOKEN, ApiTokenGuard } from './auth/api-token.guard';
import { BULLMQ_CONNECTION } from './dashboard/dashboard.tokens';
import { BACKGROUND_REDIS, HostStatusRepository, REQUEST_REDIS, STATUS_PREFIX, STATUS_REDIS } from './hosts/host-status.repository';
import { BackgroundHostNetworkQueue } from './jobs/background-host-network.queue';
import { HostJobEnqueuer } from './jobs/host-job.enqueuer';
import { HostJobEventsSource } from './jobs/host-job-events.source';
import { HostLock } from './runs/host-lock';
import { HostRunRegistry } from './runs/host-run.registry';
import { EnabledSightings } from './runs/enabled-sightings';
import { InFlightRunChecker } from './runs/in-flight-run.checker';
import { ClusterResolver } from './triggers/cluster-resolver';
import { HostResolver } from './triggers/host-resolver';
import { AddAttemptHostResolver } from './add-host/add-attempt.host-resolver';
import { HostTriggerService } from './triggers/host-trigger.service';
import { RelabelHolds } from './relabels/relabel-holds';
import { WEBHOOK_MAX_AGE, WEBHOOK_SECRET } from './webhooks/webhook-secret.token';

const SHARED = [
  STATUS_REDIS,
  REQUEST_REDIS,
  BACKGROUND_REDIS,
  BackgroundHostNetworkQueue,
  STATUS_PREFIX,
  API_TOKEN,
  WEBHOOK_SECRET,
  WEBHOOK_MAX_AGE,
  BULLMQ_CONNECTION,
  ApiTokenGuard,
  HostStatusRepository,
  HostRunRegistry,
  EnabledSightings,
  InFlightRunChecker,
  HostLock,
  HostJobEnqueuer,
  HostJobEventsSource,
  HostResolver,
  HostTriggerService,
  RelabelHolds,
];

/**
 * What every api feature module shares: queues, the status store, runs in flight, auth, triggers and the live job events.
 * Global so the feature modules (webhooks, dashboard) resolve them without import chains.
 */
@Global()
@Module({})
export class ApiCoreModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiCoreModule,
      imports: [
        bullRootModule(config, 'api'),
        // A request's add() fails fast while Redis is out (docs.bullmq.io, "Failing fast when Redis is down"); background
        // work adds through BackgroundHostNetworkQueue. host-results keeps the shared client: api's results Worker runs on it.
        BullModule.registerQueueAsync({ name: QueueName.HostNetwork, inject: [REQUEST_REDIS], useFactory: (connection: Redis) => ({ connection }) }),
        BullModule.registerQueue({ name: QueueName.HostResults }),
      ],
      providers: [
        // A request's reads and writes fail fast while Redis is out (nothing is replayed later); background work's wait
        { provide: REQUEST_REDIS, useFactory: () => connectFailFast(config, 'api requests') },
        // the shared BullMQ client: it already waits (maxRetriesPerRequest null), and RedisModule closes it last
        { provide: BACKGROUND_REDIS, useExisting: REDIS_CONNECTION },
        { provide: STATUS_REDIS, inject: [REQUEST_REDIS, BACKGROUND_REDIS], useFactory: (request: Redis, background: Redis) => routedByWork(request, background) },
        BackgroundHostNetworkQueue,
        queueErrorLogging('api', [QueueName.HostNetwork, QueueName.HostResults]),
        { provide: STATUS_PREFIX, useValue: config.QUEUE_PREFIX },
        { provide: API_TOKEN, useValue: config.API_TOKEN },
        { provide: WEBHOOK_SECRET, useValue: config.WEBHOOK_SECRET },
        { provide: WEBHOOK_MAX_AGE, useValue: config.WEBHOOK_MAX_AGE_SECONDS },
        { provide: BULLMQ_CONNECTION, inject: [REDIS_CONNECTION], useFactory: (connection: Redis) => ({ connection, prefix: config.QUEUE_PREFIX }) },
        ApiTokenGuard,
        HostStatusRepository,
        HostRunRegistry,
        EnabledSightings,
        InFlightRunChecker,
        HostLock,
        HostJobEnqueuer,
        HostJobEventsSource,
        ClusterResolver,
        // the 404 of a host name only a failed POST /hosts/add knows says so, for configure and resolve alike
        { provide: HostResolver, useClass: AddAttemptHostResolver },
        HostTriggerService,
        RelabelHolds,
      ],
      exports: [...SHARED, BullModule],
    };
  }
}
