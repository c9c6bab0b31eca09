import { Body, ConflictException, Controller, HttpCode, NotFoundException, Post, UnprocessableEntityException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../auth/api-token.guard';
import { parseOrThrow } from '../hosts/request-schemas';
import { TargetNotFoundError, type HostTriggerResult } from '../triggers/host-trigger.service';
import { skippedRunError } from '../triggers/skipped-run.error';
import { AddHostRefusedError } from './add-host.refusal';
import { addHostRequestSchema } from './add-host.request';
import { AddHostService, HostAlreadyExistsError } from './add-host.service';

/** POST /hosts/add: configure a new host's network, then addHost (Disabled), then enable it. */
@ApiTags('hosts')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller('hosts')
export class AddHostController {
  constructor(private readonly adds: AddHostService) {}

  @Post('add')
  @HttpCode(202)
  @ApiOperation({ summary: 'Add a KVM host: network first, then addHost Disabled, then enable once verified' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['zoneId', 'podId', 'clusterId', 'name', 'ipAddress', 'username', 'password'],
      properties: {
        zoneId: { type: 'string' },
        podId: { type: 'string' },
        clusterId: { type: 'string' },
        name: { type: 'string' },
        ipAddress: { type: 'string', description: 'management address the host will have on its Management bridge' },
        username: { type: 'string', description: "CloudStack's SSH login for addHost (kept in memory only)" },
        password: { type: 'string', description: 'kept in api memory only, never stored' },
        requestedBy: { type: 'string' },
      },
    },
  })
  async add(@Body() body: unknown): Promise<HostTriggerResult> {
    const request = parseOrThrow(addHostRequestSchema, body, 'body');
    try {
      const result = await this.adds.add(request, { kind: 'add-host', ...(request.requestedBy ? { by: request.requestedBy } : {}) });
      // as POST /hosts/:id/configure: a 202 means a run started
      if (result.skipped !== undefined) throw skippedRunError({ ...result, skipped: result.skipped });
      return result;
    } catch (error) {
      if (error instanceof AddHostRefusedError) throw new UnprocessableEntityException({ statusCode: 422, message: error.message });
      if (error instanceof HostAlreadyExistsError) throw new ConflictException(error.message);
      if (error instanceof TargetNotFoundError || (error as Error).name === 'ZoneNotFoundError') throw new NotFoundException((error as Error).message);
      throw error;
    }
  }
}
