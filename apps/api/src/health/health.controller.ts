import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { STATUS_REDIS } from '../hosts/host-status.repository';

/** A load balancer's probe gives up after a few seconds: a Redis that does not answer within this is down. */
export const HEALTH_PING_TIMEOUT_MS = 1_000;

/** Liveness for load balancers and the demo: no auth, no secrets, Redis reachability only. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(STATUS_REDIS) private readonly redis: Redis) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and Redis reachability' })
  @ApiResponse({ status: 200, description: 'api and its Redis answer' })
  @ApiResponse({ status: 503, description: 'api answers but its Redis does not: requests that need it are refused with 503' })
  async health(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ok' | 'degraded'; redis: boolean }> {
    const redis = await this.ping();
    if (!redis) res.status(503);
    return { status: redis ? 'ok' : 'degraded', redis };
  }

  /** The status client fails fast while disconnected; the timeout covers a connection that hangs without closing. */
  private async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HEALTH_PING_TIMEOUT_MS)));
    try {
      return await Promise.race([this.redis.ping().then((r) => r === 'PONG', () => false), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
