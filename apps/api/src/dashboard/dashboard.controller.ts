import { Controller, Get, Inject, Req, Res, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { Observable } from 'rxjs';
import { API_TOKEN, ApiTokenGuard } from '../auth/api-token.guard';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { DashboardEventsService } from './dashboard-events.service';
import { dashboardCsp, renderDashboardPage } from './dashboard-page.renderer';
import { setTokenCookie, tokenInQuery, urlWithoutToken } from './token-cookie';

/** The live ops dashboard: one self-contained page and its SSE stream, both behind API_TOKEN. */
@ApiTags('dashboard')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly events: DashboardEventsService,
    @Inject(API_TOKEN) private readonly token: string,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Live dashboard: every host by zone, cluster and host, with live job progress' })
  @ApiQuery({ name: 'token', required: false, description: 'API token for a browser first load; moved into an HttpOnly cookie' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page (inline CSS and JS, no external assets)' })
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (tokenInQuery(request)) {
      // The guard has accepted the token: keep it in a cookie and drop it from the address bar.
      setTokenCookie(response, this.token, request.secure);
      response.redirect(303, urlWithoutToken(request.originalUrl));
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const records = await this.statuses.all();
    response
      .status(200)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Content-Security-Policy', dashboardCsp(nonce))
      .setHeader('X-Content-Type-Options', 'nosniff')
      .send(renderDashboardPage({ records, nonce, generatedAt: new Date().toISOString() }));
  }

  @Sse('events')
  @ApiOperation({
    summary: 'Server-sent events: `snapshot` (all host statuses) on connect and on change; `active`, `progress`, `completed`, `failed` per job',
  })
  @ApiProduces('text/event-stream')
  stream(): Observable<MessageEvent> {
    return this.events.stream();
  }
}
