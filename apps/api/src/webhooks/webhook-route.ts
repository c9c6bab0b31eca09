/** CloudStack's webhook deliveries: signed bytes of any content type (text/plain when the event is not JSON). */
export const CLOUDSTACK_WEBHOOK_ROUTE = { controller: 'webhooks', action: 'cloudstack' } as const;

/** The path CloudStack posts to, as express sees it. */
export const CLOUDSTACK_WEBHOOK_PATH = `/${CLOUDSTACK_WEBHOOK_ROUTE.controller}/${CLOUDSTACK_WEBHOOK_ROUTE.action}`;
