import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RelabelValidationError } from '@hostnet/relabel';
import { ApiTokenGuard } from '../auth/api-token.guard';
import type { RelabelHostDiff } from './relabel-host-diff';
import { relabelErrorStatus } from './relabel-error-status';
import { RelabelHostDiffService } from './relabel-host-diff.service';
import { idParam, parseOrThrow } from '../hosts/request-schemas';
import { relabelControlSchema, relabelRequestSchema } from './relabel-request.schema';
import { HOST_DIFF_RESPONSE, PLAN_BODY, ROLLOUT_LIST_RESPONSE, ROLLOUT_RESPONSE } from './relabels.openapi';
import { RelabelsService, type RolloutSummary, type RolloutView } from './relabels.service';
import type { RolloutAction } from './rollout-transitions';

/** Bulk re-labelling (issue 9, docs/relabel.md): plan, then start/pause/resume/abort, and the rollout's progress. */
@ApiTags('relabels')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller('relabels')
export class RelabelsController {
  constructor(
    private readonly relabels: RelabelsService,
    private readonly diffs: RelabelHostDiffService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiBody(PLAN_BODY)
  @ApiCreatedResponse(ROLLOUT_RESPONSE)
  @ApiOperation({ summary: 'Plan a relabel from the live topology (read-only) and keep it as a planned rollout' })
  async plan(@Body() body: unknown): Promise<RolloutView> {
    const request = parseOrThrow(relabelRequestSchema, body, 'body');
    return this.map(() => this.relabels.plan(request));
  }

  @Get()
  @ApiOperation({ summary: 'Every rollout, newest first (without plans), with its overall progress' })
  @ApiOkResponse(ROLLOUT_LIST_RESPONSE)
  list(): Promise<RolloutSummary[]> {
    return this.relabels.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A rollout: plan, state, phase, per-host steps with their runs, CloudStack calls, progress per wave and host' })
  @ApiOkResponse(ROLLOUT_RESPONSE)
  get(@Param('id') id: string): Promise<RolloutView> {
    return this.map(() => this.relabels.view(parseOrThrow(idParam, id, 'id')));
  }

  @Get(':id/hosts/:host/diff')
  @ApiOkResponse(HOST_DIFF_RESPONSE)
  @ApiOperation({
    summary: "One host's files and commands per phase of the rollout (expand, switch, contract, and the abort's steps back), rendered for the target its latest hostnet run detected, or ?target=",
  })
  hostDiff(@Param('id') id: string, @Param('host') host: string, @Query('target') target?: string): Promise<RelabelHostDiff> {
    const rolloutId = parseOrThrow(idParam, id, 'id');
    const hostRef = parseOrThrow(idParam, host, 'host');
    return this.map(() => this.diffs.diff(rolloutId, hostRef, target));
  }

  @Post(':id/start')
  @HttpCode(202)
  @ApiAcceptedResponse(ROLLOUT_RESPONSE)
  @ApiOperation({ summary: 'Start a planned rollout (refused when the zone changed since planning)' })
  start(@Param('id') id: string, @Body() body: unknown): Promise<RolloutView> {
    return this.act(id, 'start', body);
  }

  @Post(':id/pause')
  @HttpCode(202)
  @ApiAcceptedResponse(ROLLOUT_RESPONSE)
  @ApiOperation({ summary: 'Start no new host step; steps in flight finish' })
  pause(@Param('id') id: string, @Body() body: unknown): Promise<RolloutView> {
    return this.act(id, 'pause', body);
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiAcceptedResponse(ROLLOUT_RESPONSE)
  @ApiOperation({ summary: 'Continue a paused rollout (failed hosts are retried)' })
  resume(@Param('id') id: string, @Body() body: unknown): Promise<RolloutView> {
    return this.act(id, 'resume', body);
  }

  @Post(':id/abort')
  @HttpCode(202)
  @ApiAcceptedResponse(ROLLOUT_RESPONSE)
  @ApiOperation({ summary: 'Take everything back: contracted hosts to both bridges, label flipped back, every host to the old layout' })
  abort(@Param('id') id: string, @Body() body: unknown): Promise<RolloutView> {
    return this.act(id, 'abort', body);
  }

  @Post(':id/hosts/:host/give-up')
  @HttpCode(202)
  @ApiAcceptedResponse(ROLLOUT_RESPONSE)
  @ApiOperation({ summary: 'Aborting only: leave one host the rollback cannot finish (dead, removed) as it is, release it, and go on with the others' })
  giveUp(@Param('id') id: string, @Param('host') host: string, @Body() body: unknown): Promise<RolloutView> {
    const rolloutId = parseOrThrow(idParam, id, 'id');
    const hostRef = parseOrThrow(idParam, host, 'host');
    const { requestedBy, reason } = parseOrThrow(relabelControlSchema, body, 'body');
    return this.map(() => this.relabels.giveUp(rolloutId, hostRef, requestedBy ?? 'operator', reason));
  }

  private act(id: string, action: RolloutAction, body: unknown): Promise<RolloutView> {
    const rolloutId = parseOrThrow(idParam, id, 'id');
    const { requestedBy, reason } = parseOrThrow(relabelControlSchema, body, 'body');
    if (reason !== undefined && (action === 'start' || action === 'resume')) {
      throw new BadRequestException(`body.reason: ${action} keeps no reason (the rollout's reason says why it paused or aborted); fix: leave it out, or give it with pause or abort`);
    }
    return this.map(() => this.relabels.control(rolloutId, action, requestedBy ?? 'operator', reason));
  }

  private async map<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof RelabelValidationError) {
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: error.violations.map((v) => v.message), fields: error.violations.map((v) => v.field) });
      }
      const status = relabelErrorStatus(error);
      const message = (error as Error).message;
      if (status === 400) throw new BadRequestException(message);
      if (status === 404) throw new NotFoundException(message);
      if (status === 409) throw new ConflictException(message);
      throw error;
    }
  }
}
