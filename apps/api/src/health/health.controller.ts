import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type Redis from 'ioredis';
import { STATUS_REDIS } from '../hosts/host-status.repository';

/** Liveness for load balancers and the demo: no auth, no secrets, Redis reachability only. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(STATUS_REDIS) private readonly redis: Redis) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and Redis reachability' })
  async health(): Promise<{ status: 'ok' | 'degraded'; redis: boolean }> {
    const redis = await this.redis.ping().then(
      (r) => r === 'PONG',
      () => false,
    );
    return { status: redis ? 'ok' : 'degraded', redis };
  }
}
