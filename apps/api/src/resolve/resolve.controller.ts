import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../auth/api-token.guard';
import { idParam, parseOrThrow } from '../hosts/request-schemas';
import { HostResolveRequester, HostRunInFlightError, type ResolveAccepted } from './host-resolve.requester';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { ResolveAnswerStore } from './resolve-answer.store';
import { resolveRequestSchema } from './resolve.request';

/**
 * POST /hosts/:id/resolve: an operator rolls back the run stuck on a host; the result lands in its
 * history, unless there was nothing to resolve, and is the answer of GET /hosts/:id/resolves/:runId either way.
 * An unknown host is answered 404 by HostnetErrorFilter.
 */
@ApiTags('hosts')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller('hosts')
export class ResolveController {
  constructor(
    private readonly resolves: HostResolveRequester,
    private readonly answers: ResolveAnswerStore,
  ) {}

  @Post(':id/resolve')
  @HttpCode(202)
  @ApiOperation({ summary: 'Roll back a run stuck on the host (armed or rolling-back with nothing left to end it); never enables the host' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['action', 'reason'],
      properties: {
        action: { type: 'string', enum: ['rollback'], description: 'rollback only: a run nobody verified is never confirmed' },
        reason: { type: 'string', maxLength: 200, description: 'why, kept in the history and the host journal' },
        requestedBy: { type: 'string', description: 'who asked' },
      },
    },
  })
  async resolve(@Param('id') id: string, @Body() body: unknown): Promise<ResolveAccepted> {
    const hostId = parseOrThrow(idParam, id, 'id');
    const request = parseOrThrow(resolveRequestSchema, body, 'body');
    try {
      return await this.resolves.request(hostId, request);
    } catch (error) {
      if (error instanceof HostRunInFlightError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get(':id/resolves/:runId')
  @ApiOperation({ summary: "A resolve's answer by the run id POST /hosts/:id/resolve gave (404 until the host answered)" })
  async answer(@Param('id') id: string, @Param('runId') runId: string): Promise<HostStatusRecord> {
    const host = parseOrThrow(idParam, id, 'id');
    const run = parseOrThrow(idParam, runId, 'runId');
    const record = await this.answers.get(run);
    if (!record || (record.hostId !== host && record.hostName !== host)) {
      throw new NotFoundException(`no answer yet for resolve run ${run} of host ${host}: the host has not answered, or the run is not this host's (POST /hosts/:id/resolve gives the run id)`);
    }
    return record;
  }
}
