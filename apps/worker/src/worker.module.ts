import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { QueueName } from '@hostnet/contracts';
import { bullRootModule, HostnetMetrics, PlatformModule, queueErrorLogging } from '@hostnet/platform';
import { SshConnector, SshEndpoints, WarmSessions } from '@hostnet/ssh';
import { HostNetworkProcessor } from './host-network.processor';
import { HostRunService } from './host-run/host-run.service';
import { sshConnectObserver } from './metrics/ssh-connect.metrics';
import { keptConnectionMetrics } from './metrics/ssh-kept.metrics';
import { WorkerMetricsServer } from './metrics/worker-metrics.server';
import { ResultReporter } from './reporting/result-reporter.service';
import { HostResolveService } from './resolve/host-resolve.service';
import { ResolveJobHandler } from './resolve/resolve-job.handler';
import { WorkerLifecycle } from './worker-lifecycle.service';
import { WorkerSighupListener } from './worker-sighup.listener';
import type { WorkerConfig } from './worker-config';

/** The worker: one processor on the host-network queue, the services behind it, optional metrics. No CloudStack. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, 'worker'),
        bullRootModule(config, 'worker'),
        BullModule.registerQueue({ name: QueueName.HostNetwork }, { name: QueueName.HostResults }),
      ],
      providers: [
        queueErrorLogging('worker', [QueueName.HostNetwork, QueueName.HostResults]),
        HostNetworkProcessor,
        HostRunService,
        ResultReporter,
        HostResolveService,
        ResolveJobHandler,
        WorkerLifecycle,
        WorkerSighupListener,
        { provide: SshConnector, inject: [HostnetMetrics], useFactory: (m: HostnetMetrics) => new SshConnector(sshConnectObserver(m)) },
        WorkerMetricsServer,
        {
          provide: WarmSessions,
          inject: [HostnetMetrics],
          useFactory: (m: HostnetMetrics) => {
            const warm = new WarmSessions(config.HOSTNET_SSH_KEEP_SECONDS * 1000, config.HOSTNET_SSH_KEEP_MAX);
            keptConnectionMetrics(m, warm);
            return warm;
          },
        },
        { provide: SshEndpoints, useValue: SshEndpoints.load(config.HOSTNET_SSH_ENDPOINTS, config.HOSTNET_SSH_USER) },
      ],
    };
  }
}
