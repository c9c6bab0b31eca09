import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/dist/types';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { Application, NextFunction, Request, Response } from 'express';
import type { Queue } from 'bullmq';
import { withoutExternalOrigins } from './local-only-page';
import { tokenAuthMiddleware } from './token-auth.middleware';

/** Where Bull Board lives in the api. */
export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board for `queues` at /admin/queues behind the API token (Bearer header, the
 * hostnet_token cookie, or a `?token=` first load), read-only: a job added, retried or edited by
 * hand there would be a run no trigger asked for, or a result no worker produced. Call it before
 * `app.listen()`/`app.init()`: express routes added after Nest's not-found handler are never reached.
 */
export function mountBullBoard(app: INestApplication, queues: Queue[], token: string): void {
  const serverAdapter = new ExpressAdapter().setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    // @bull-board/express 9.10.1 nests its own @bull-board/api 9.10.1, whose private fields make the
    // types differ from the top-level 9.10.2; the runtime contract is the same (covered by a test).
    serverAdapter: serverAdapter as unknown as IServerAdapter,
    options: { uiConfig: { boardTitle: 'hostnet queues' } },
  });
  withoutExternalOrigins(serverAdapter.getRouter() as Application);
  app.use(BULL_BOARD_PATH, tokenAuthMiddleware(token), readOnlyMethods, serverAdapter.getRouter());
}

/** Whatever Bull Board's own read-only checks cover, nothing but reads gets through to it. */
function readOnlyMethods(request: Request, response: Response, next: NextFunction): void {
  if (request.method === 'GET' || request.method === 'HEAD') return next();
  response.status(405).json({ statusCode: 405, message: 'Bull Board is read-only: trigger runs through the hostnet API', error: 'Method Not Allowed' });
}
