import type { HostWorkflowOptions } from '../domain/workflow-plan';
import type { Clock } from './run-tracker';

/**
 * Reads of live state that may still be settling: the daemons behind activation steps (NetworkManager,
 * networkd) attach ports after their command returns. The window opens at the first read that asks;
 * `again()` waits one interval and says true while another read fits in it, false once it has closed.
 */
export function settleWindow(clock: Clock, options: Pick<HostWorkflowOptions, 'verifySettleMs' | 'verifySettleIntervalMs'>): { again(): Promise<boolean> } {
  let until: number | undefined;
  return {
    async again() {
      until ??= clock.now() + options.verifySettleMs;
      if (clock.now() + options.verifySettleIntervalMs > until) return false;
      await clock.sleep(options.verifySettleIntervalMs);
      return true;
    },
  };
}
