import { Controller, Get, Inject, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { idParam, parseOrThrow } from '../hosts/request-schemas';
import { relabelErrorStatus } from '../relabels/relabel-error-status';
import { DashboardAuthGuard } from './dashboard-auth.guard';
import { RELABEL_HOST_DIFFS, type RelabelHostDiffReader } from './dashboard.tokens';
import { renderRelabelDiffRefusal, renderRelabelHostDiff } from './relabel-diff.renderer';

/** The api cannot render relabel diffs (no topology or profiles here): 503, said in the dialog. */
export class RelabelDiffsUnavailableError extends Error {
  override readonly name = 'RelabelDiffsUnavailableError';
}

/** A rollout host's relabel diff for the dashboard's dialog: the same service as the API's route, as an HTML fragment. */
@ApiTags('dashboard')
@ApiBearerAuth()
@UseGuards(DashboardAuthGuard)
@Controller('dashboard')
export class DashboardRelabelDiffController {
  constructor(@Inject(RELABEL_HOST_DIFFS) private readonly diffs: RelabelHostDiffReader) {}

  @Get('relabels/:id/hosts/:host/diff')
  @ApiOperation({
    summary:
      "A rollout host's relabel diff as an HTML fragment: per step (expand, switch, contract, then the abort's steps back) its files as unified diffs, commands, agent.properties moves, agent restart and CloudStack calls; a refusal (409 no detected OS, 400, 404) comes as a fragment naming the fix",
  })
  @ApiQuery({ name: 'target', required: false, description: 'render target instead of the one the host’s latest hostnet run detected' })
  @ApiProduces('text/html')
  async diff(@Param('id') id: string, @Param('host') host: string, @Query('target') target: unknown, @Res() response: Response): Promise<void> {
    const rolloutId = parseOrThrow(idParam, id, 'id');
    const hostRef = parseOrThrow(idParam, host, 'host');
    try {
      const diff = await this.diffs.diff(rolloutId, hostRef, typeof target === 'string' && target !== '' ? target : undefined);
      fragmentHeaders(response).status(200).send(renderRelabelHostDiff(diff));
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined) throw error;
      fragmentHeaders(response)
        .status(status)
        .send(renderRelabelDiffRefusal({ rolloutId, host: hostRef, status, message: (error as Error).message }));
    }
  }
}

/** The statuses GET /relabels/:id/hosts/:host/diff answers for the same errors. */
function statusOf(error: unknown): number | undefined {
  return error instanceof RelabelDiffsUnavailableError ? 503 : relabelErrorStatus(error);
}

function fragmentHeaders(response: Response): Response {
  return response
    .setHeader('Content-Type', 'text/html; charset=utf-8')
    .setHeader('Cache-Control', 'no-store')
    .setHeader('X-Content-Type-Options', 'nosniff')
    .setHeader('Content-Security-Policy', "default-src 'none'");
}
