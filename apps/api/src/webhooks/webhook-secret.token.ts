/** Provider token: the CloudStack webhook secret (string | undefined); webhooks answer 503 while unset. */
export const WEBHOOK_SECRET = Symbol('WEBHOOK_SECRET');
