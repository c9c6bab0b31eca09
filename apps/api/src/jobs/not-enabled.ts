/**
 * How a verified run's record begins when hostnet left the host as CloudStack had it (an operator's
 * maintenance, a host already Enabled): the poller reads it to record the host enabled once CloudStack
 * shows it Up and Enabled (apps/api/src/poller/enabled-by-cloudstack.recorder.ts).
 */
export const NOT_ENABLED = 'not enabled: ';

/**
 * How a verified run's record begins when hostnet left the host Disabled because someone chose that (an
 * operator disabled it, a relabel rollout left it so): triggers read it to keep withholding the enable,
 * the poller to leave the host alone.
 */
export const ENABLE_WITHHELD = `${NOT_ENABLED}left Disabled by choice: `;
