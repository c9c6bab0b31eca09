import { Body, ConflictException, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../auth/api-token.guard';
import { idParam, parseOrThrow } from '../hosts/request-schemas';
import { HostResolveRequester, HostRunInFlightError, type ResolveAccepted } from './host-resolve.requester';
import { resolveRequestSchema } from './resolve.request';

/**
 * POST /hosts/:id/resolve: an operator rolls back the run stuck on a host; the result lands in its
 * history. An unknown host is answered 404 by HostnetErrorFilter.
 */
@ApiTags('hosts')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller('hosts')
export class ResolveController {
  constructor(private readonly resolves: HostResolveRequester) {}

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
}
