import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<'background'>();

/**
 * Runs `work` as background work (api's results worker, poller, drift checks, relabel runner): there a client
 * routed by `routedByWork` waits for Redis to come back instead of failing fast as a request does, so a Redis
 * blip delays a result's handling instead of failing it half-way. Timers and promises started inside inherit it.
 */
export function asBackgroundWork<T>(work: () => T): T {
  return scope.run('background', work);
}

export function inBackgroundWork(): boolean {
  return scope.getStore() === 'background';
}

/**
 * One face over two clients (Redis clients, BullMQ queues): a call made in background work goes to `background`,
 * any other (an HTTP request's) to `requestPath`. Only for callers' own calls: never hand it to BullMQ as a connection.
 */
export function routedByWork<T extends object>(requestPath: T, background: T): T {
  return new Proxy(requestPath, {
    get(_target, property) {
      const target = inBackgroundWork() ? background : requestPath;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
