import { ArgumentsHost, Catch, HttpStatus, Inject, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { HOSTNET_CONFIG, isRedisOutage, redisOutageMessage } from '@hostnet/platform';
import type { ApiConfig } from '../api-config';
import { clientErrorAnswer, upstreamErrorStatus } from './http-status-for';

const REASON: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/**
 * The api's one exception filter: hostnet errors that are about the request become their 4xx
 * (see clientErrorAnswer), CloudStack's failures a 502 with their message (upstreamErrorStatus),
 * body-parser's 4xx (413, 415) are answered without an ERROR log, and
 * everything else goes to Nest's default handling (HttpExceptions as thrown, the rest a 500 that
 * says nothing about its cause).
 */
@Catch()
export class HostnetErrorFilter extends BaseExceptionFilter {
  private readonly log = new Logger(HostnetErrorFilter.name);

  constructor(@Inject(HOSTNET_CONFIG) private readonly config: ApiConfig) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    const answer = clientErrorAnswer(exception);
    const response = host.switchToHttp().getResponse<Response>();
    if (isRedisOutage(exception)) {
      // the client's own "Redis unreachable" lines already say it, once a minute: none per refused request
      response.status(503).json({ statusCode: 503, error: REASON[503], message: redisOutageMessage(this.config, exception) });
      return;
    }
    const upstream = upstreamErrorStatus(exception);
    if (upstream !== undefined) {
      this.log.error(`answered ${upstream}: ${(exception as Error).message}`);
      response.status(upstream).json({ statusCode: upstream, error: REASON[upstream], message: (exception as Error).message });
      return;
    }
    if (answer) {
      response.status(answer.status).json({
        statusCode: answer.status,
        error: REASON[answer.status],
        message: (exception as Error).message,
        ...(answer.candidates ? { candidates: answer.candidates } : {}),
      });
      return;
    }
    const status = exposedClientStatus(exception);
    if (status !== undefined) {
      response.status(status).json({ statusCode: status, error: REASON[status] ?? 'Bad Request', message: (exception as Error).message });
      return;
    }
    super.catch(exception, host);
  }
}

/** http-errors' 4xx that are safe to show (body-parser: too large, bad charset, bad encoding). */
function exposedClientStatus(exception: unknown): number | undefined {
  if (!exception || typeof exception !== 'object') return undefined;
  const { status, expose } = exception as { status?: unknown; expose?: unknown };
  const isClient = typeof status === 'number' && status >= HttpStatus.BAD_REQUEST && status < HttpStatus.INTERNAL_SERVER_ERROR;
  return isClient && expose === true ? status : undefined;
}
