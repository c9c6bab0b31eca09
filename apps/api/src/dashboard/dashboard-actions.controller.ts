import { BadRequestException, Controller, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { idParam, parseOrThrow } from '../hosts/request-schemas';
import { HostTriggerService, TargetNotFoundError, type HostTriggerResult, type TriggerOptions } from '../triggers/host-trigger.service';
import { DashboardAuthGuard } from './dashboard-auth.guard';
import { CSRF_HEADER } from './dashboard-csrf';
import { HOST_ACTIONS, type HostAction } from './host-drawer.renderer';
import { skippedRunError } from '../triggers/skipped-run.error';

const MODES: Record<HostAction, Pick<TriggerOptions, 'mode' | 'force'>> = {
  'dry-run': { mode: 'dry-run', force: false },
  configure: { mode: 'apply', force: false },
  force: { mode: 'apply', force: true },
};

/**
 * The drawer's actions. The same trigger POST /hosts/:id/configure runs, for a browser session:
 * the token cookie authenticates, the session's CSRF token (header) proves the page asked.
 */
@ApiTags('dashboard')
@ApiBearerAuth()
@UseGuards(DashboardAuthGuard)
@Controller('dashboard/hosts')
export class DashboardActionsController {
  constructor(private readonly triggers: HostTriggerService) {}

  @Post(':id/:action')
  @HttpCode(202)
  @ApiHeader({ name: CSRF_HEADER, required: true, description: "the dashboard session's CSRF token (403 without it)" })
  @ApiOperation({ summary: 'Dry-run, configure or force-configure one host from the dashboard (CSRF-checked)' })
  async act(@Param('id') id: string, @Param('action') action: string): Promise<HostTriggerResult> {
    const hostId = parseOrThrow(idParam, id, 'id');
    if (!Object.hasOwn(HOST_ACTIONS, action)) throw new BadRequestException(`action must be one of ${Object.keys(HOST_ACTIONS).join(', ')}`);
    const options: TriggerOptions = { ...MODES[action as HostAction], trigger: { kind: 'operator', by: 'dashboard' } };
    let result: HostTriggerResult;
    try {
      result = await this.triggers.triggerHost(hostId, options);
    } catch (error) {
      if (error instanceof TargetNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
    if (result.skipped !== undefined) throw skippedRunError({ ...result, skipped: result.skipped });
    return result;
  }
}
