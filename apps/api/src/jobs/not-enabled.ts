/**
 * How a verified run's record begins when hostnet left the host as CloudStack had it (an operator's
 * maintenance, a host already Enabled): the poller reads it to record the host enabled once CloudStack
 * shows it Up and Enabled (apps/api/src/poller/enabled-by-cloudstack.recorder.ts).
 */
export const NOT_ENABLED = 'not enabled: ';
