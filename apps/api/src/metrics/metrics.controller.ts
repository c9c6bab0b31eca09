import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HostnetMetrics } from '@hostnet/platform';
import { ApiTokenGuard } from '../auth/api-token.guard';

/** GET /metrics: Prometheus text format, behind the API token like every other route but /health. */
@ApiTags('metrics')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller()
export class MetricsController {
  constructor(private readonly metrics: HostnetMetrics) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics: jobs, hosts by phase, run durations, rollbacks, CloudStack calls' })
  async scrape(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType).send(body);
  }
}
