/** Provider token: the CloudStack webhook secret (string | undefined); webhooks answer 503 while unset. */
export const WEBHOOK_SECRET = Symbol('WEBHOOK_SECRET');

/** Provider token: WEBHOOK_MAX_AGE_SECONDS (number); 900 when not provided. */
export const WEBHOOK_MAX_AGE = Symbol('WEBHOOK_MAX_AGE');
export const DEFAULT_WEBHOOK_MAX_AGE_SECONDS = 900;
/** Provider token: the clock the replay window is measured with (tests only; Date.now otherwise). */
export const WEBHOOK_CLOCK = Symbol('WEBHOOK_CLOCK');
