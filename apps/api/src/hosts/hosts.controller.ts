import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../auth/api-token.guard';
import { HostTriggerService, type HostTriggerResult, type TriggerOptions } from '../triggers/host-trigger.service';
import { latestByIdOrName } from './host-record.lookup';
import { HostStatusRepository } from './host-status.repository';
import { byPlacement, hostListFilter } from './host-list.filter';
import { HOST_PHASES, type HostStatusRecord, type RejectedResultRecord } from './host-status.types';
import { clusterParam, idParam, parseOrThrow, runRequestSchema, zoneParam, type RunRequest } from './request-schemas';
import { nothingRunError, skippedRunError } from '../triggers/skipped-run.error';

const RUN_BODY = {
  // no body is the defaults: an apply (README "Configure")
  required: false,
  description: 'optional: no body, or {}, applies',
  schema: {
    type: 'object',
    properties: {
      dryRun: { type: 'boolean', description: 'render and diff against the host, change nothing' },
      force: { type: 'boolean', description: 're-apply even if the last run of this spec failed or nothing differs' },
      enable: { type: 'boolean', description: 'enable the host once verified even if it was disabled after hostnet enabled it, or a relabel rollout left it Disabled (without it such a host is configured and left Disabled)' },
      requestedBy: { type: 'string', description: 'who asked, kept in the history' },
    },
  },
};

/**
 * Operator requests (configure a host, cluster or zone; dry-run; force) and host status/history.
 * Unknown or ambiguous targets are answered 404/409 by HostnetErrorFilter.
 */
@ApiTags('hosts')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller()
export class HostsController {
  constructor(
    private readonly triggers: HostTriggerService,
    private readonly statuses: HostStatusRepository,
  ) {}

  @Get('hosts')
  @ApiOperation({ summary: 'Latest status of every host hostnet has seen, by zone, cluster and name (drifted=true: only hosts the last drift check found drifted; phase=failed,rolled-back: only hosts in those phases; zone=, cluster=: only hosts there)' })
  @ApiQuery({ name: 'drifted', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'phase', required: false, description: `one or more of ${HOST_PHASES.join(', ')}, comma-separated` })
  @ApiQuery({ name: 'zone', required: false, description: 'a zone id or name (any case)' })
  @ApiQuery({ name: 'cluster', required: false, description: 'a cluster id or name (any case)' })
  async list(@Query() query: Record<string, unknown>): Promise<HostStatusRecord[]> {
    const filter = hostListFilter(query);
    return (await this.statuses.all()).filter(filter).sort(byPlacement);
  }

  @Get('hosts/:id')
  @ApiOperation({
    summary: "A host's latest status and its history (who, what, when, diff, verification, CloudStack calls), and results api refused",
  })
  async get(@Param('id') id: string): Promise<{ latest: HostStatusRecord; history: HostStatusRecord[]; rejectedResults: RejectedResultRecord[] }> {
    const idOrName = parseOrThrow(idParam, id, 'id');
    const latest = await latestByIdOrName(this.statuses, idOrName);
    const { hostId } = latest;
    return { latest, history: await this.statuses.history(hostId), rejectedResults: await this.statuses.rejected(hostId) };
  }

  @Post('hosts/:id/configure')
  @HttpCode(202)
  @ApiBody(RUN_BODY)
  @ApiOperation({ summary: 'Configure one host (or dry-run it)' })
  async configureHost(@Param('id') id: string, @Body() body: unknown): Promise<HostTriggerResult> {
    const hostId = parseOrThrow(idParam, id, 'id');
    const request = parseOrThrow(runRequestSchema, body, 'body');
    const result = await this.triggers.triggerHost(hostId, options(request));
    if (result.skipped !== undefined) throw skippedRunError({ ...result, skipped: result.skipped });
    return result;
  }

  @Post('clusters/:id/configure')
  @HttpCode(202)
  @ApiBody(RUN_BODY)
  @ApiOperation({
    summary: 'Configure every KVM host of a cluster (id or name, URL-encoded; 409 with the candidates when a name is in several zones or pods; 409/422 with every host\'s answer when none was run)',
  })
  async configureCluster(@Param('id') id: string, @Body() body: unknown): Promise<HostTriggerResult[]> {
    const clusterId = parseOrThrow(clusterParam, id, 'id');
    const request = parseOrThrow(runRequestSchema, body, 'body');
    return startedSome(`cluster ${clusterId}`, await this.triggers.triggerCluster(clusterId, options(request)));
  }

  @Post('zones/:id/configure')
  @HttpCode(202)
  @ApiBody(RUN_BODY)
  @ApiOperation({ summary: "Configure every KVM host of a zone (id or name; 409/422 with every host's answer when none was run)" })
  async configureZone(@Param('id') id: string, @Body() body: unknown): Promise<HostTriggerResult[]> {
    const zone = parseOrThrow(zoneParam, id, 'id');
    const request = parseOrThrow(runRequestSchema, body, 'body');
    return startedSome(`zone ${zone}`, await this.triggers.triggerZone(zone, options(request)));
  }
}

/** Every host's answer (202), unless none was run: then 409 or 422 with those answers (nothingRunError). */
function startedSome(target: string, results: HostTriggerResult[]): HostTriggerResult[] {
  const error = nothingRunError(target, results);
  if (error) throw error;
  return results;
}

function options(request: RunRequest): TriggerOptions {
  return {
    mode: request.dryRun ? 'dry-run' : 'apply',
    force: request.force,
    ...(request.enable ? { enable: true } : {}),
    trigger: { kind: 'operator', ...(request.requestedBy ? { by: request.requestedBy } : {}) },
  };
}
