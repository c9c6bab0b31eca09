import { Controller, Get, Inject, Param, Query, Req, Res, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { Observable } from 'rxjs';
import { API_TOKEN } from '../auth/api-token.guard';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { idParam, parseOrThrow } from '../hosts/request-schemas';
import { AcceptsQueryToken, DashboardAuthGuard } from './dashboard-auth.guard';
import type { DashboardCsrf } from './dashboard-csrf';
import { DashboardEventsService } from './dashboard-events.service';
import { dashboardCsp, renderDashboardPage } from './dashboard-page.renderer';
import { DASHBOARD_CSRF } from './dashboard.tokens';
import { renderHostDrawer } from './host-drawer.renderer';
import { latestByIdOrName } from '../hosts/host-record.lookup';
import { parseHostQuery } from './host-query';
import { RelabelRolloutsSource } from './relabel-rollouts.source';
import { runsOf } from './run-timeline';
import { setTokenCookie, tokenInQuery, urlWithoutToken } from './token-cookie';

/** The live ops dashboard: the page, its event stream and host drawers (GET, token or cookie). */
@ApiTags('dashboard')
@ApiBearerAuth()
@UseGuards(DashboardAuthGuard)
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly events: DashboardEventsService,
    private readonly rollouts: RelabelRolloutsSource,
    @Inject(API_TOKEN) private readonly token: string,
    @Inject(DASHBOARD_CSRF) private readonly csrf: DashboardCsrf,
  ) {}

  @Get()
  @AcceptsQueryToken()
  @ApiOperation({ summary: 'Dashboard: phase counts, relabel rollouts (waves, failed hosts first), hosts needing attention first, filters (zone, pod, cluster, phase, target, q), paging' })
  @ApiQuery({ name: 'token', required: false, description: 'API token for a browser first load; moved into an HttpOnly cookie' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page (inline CSS and JS, no external assets)' })
  async page(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    if (tokenInQuery(request)) {
      // The guard has accepted the token: keep it in a cookie and drop it from the address bar.
      setTokenCookie(response, this.token, request.secure);
      response.redirect(303, urlWithoutToken(request.originalUrl));
      return;
    }
    const session = this.csrf.ensureSession(request, response);
    const nonce = randomBytes(16).toString('base64');
    const hostQuery = parseHostQuery(query);
    const [view, rollouts] = await Promise.all([this.events.view(hostQuery), this.rollouts.panel(hostQuery)]);
    htmlHeaders(response, nonce)
      .status(200)
      .send(renderDashboardPage({ view, rollouts, nonce, csrfToken: this.csrf.tokenFor(session), generatedAt: new Date().toISOString() }));
  }

  @Sse('events')
  @ApiOperation({
    summary: 'Server-sent events for the same filters as the page: `page` (its rows) on connect, `delta` (changed rows only) on change; `rollouts` (the relabel rollout region) on connect and on change; `active`, `progress`, `completed`, `failed` per job',
  })
  @ApiProduces('text/event-stream')
  stream(@Query() query: Record<string, unknown>): Observable<MessageEvent> {
    return this.events.stream(parseHostQuery(query));
  }

  @Sse('hosts/:id/events')
  @ApiOperation({ summary: "Server-sent `changed` events whenever one host's latest status moves (its open drawer reloads on them)" })
  @ApiProduces('text/event-stream')
  async hostStream(@Param('id') id: string): Promise<Observable<MessageEvent>> {
    // by id or name, as the drawer and GET /hosts/:id: a host hostnet has no record of is a 404, not a stream that never speaks
    const { hostId } = await latestByIdOrName(this.statuses, parseOrThrow(idParam, id, 'id'));
    return this.events.hostStream(hostId);
  }

  @Get('hosts/:id')
  @ApiOperation({ summary: "A host's drawer as an HTML fragment: runs as a timeline, diff, verification, CloudStack calls, actions" })
  @ApiProduces('text/html')
  async drawer(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const latest = await latestByIdOrName(this.statuses, parseOrThrow(idParam, id, 'id'));
    const { hostId } = latest;
    const [history, rejected] = await Promise.all([this.statuses.history(hostId), this.statuses.rejected(hostId)]);
    htmlHeaders(response)
      .status(200)
      .send(renderHostDrawer({ latest, runs: runsOf(history), rejected }));
  }
}

function htmlHeaders(response: Response, nonce?: string): Response {
  response.setHeader('Content-Type', 'text/html; charset=utf-8').setHeader('Cache-Control', 'no-store').setHeader('X-Content-Type-Options', 'nosniff');
  return nonce ? response.setHeader('Content-Security-Policy', dashboardCsp(nonce)) : response.setHeader('Content-Security-Policy', "default-src 'none'");
}
