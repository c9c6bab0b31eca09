import { Logger, type Provider } from '@nestjs/common';
import { CloudStackClient, ZoneTopologyService } from '@hostnet/cloudstack';
import { HOSTNET_CONFIG, type SpecSourceConfig } from '../config/config.tokens';
import { HostnetMetrics } from '../metrics/hostnet-metrics';

/** One CloudStack client per process (it holds the concurrency cap) and the topology service on it. */
export const cloudStackProviders: Provider[] = [
  {
    provide: CloudStackClient,
    inject: [HOSTNET_CONFIG, HostnetMetrics],
    useFactory: (config: SpecSourceConfig, metrics: HostnetMetrics) => {
      const logger = new Logger('CloudStackClient');
      return new CloudStackClient({
        url: config.CLOUDSTACK_URL,
        apiKey: config.CLOUDSTACK_API_KEY,
        secretKey: config.CLOUDSTACK_SECRET_KEY,
        timeoutMs: config.CLOUDSTACK_TIMEOUT_MS,
        maxConcurrent: config.CLOUDSTACK_MAX_CONCURRENT,
        asyncJobs: { pollIntervalMs: config.CLOUDSTACK_ASYNC_POLL_INTERVAL_MS },
        logger: { debug: (m) => logger.debug(m), warn: (m) => logger.warn(m) },
        observer: metrics.observeCloudStackCall,
      });
    },
  },
  {
    provide: ZoneTopologyService,
    inject: [CloudStackClient],
    useFactory: (client: CloudStackClient) => new ZoneTopologyService(client),
  },
];
