import { flushLogs } from '../logging/batched-lines';
import { SHUTDOWN_SIGNALS } from './shutdown-signals';

/**
 * Until the app is up, a stop signal ends the process at once: a graceful close then would wait on
 * clients that are still connecting (Redis, BullMQ), and an operator's SIGTERM would seem ignored.
 * Returns the function that hands the signals over to the app's shutdown hooks once it is up.
 */
export function exitOnSignalWhileStarting(app: string): () => void {
  const stop = (signal: NodeJS.Signals): void => {
    flushLogs();
    process.stderr.write(`${app} stopped by ${signal} while starting\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, stop);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) process.removeListener(signal, stop);
  };
}
