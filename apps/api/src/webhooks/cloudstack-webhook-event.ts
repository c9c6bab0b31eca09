import { isCloudStackUuid } from '../triggers/cloudstack-uuid';

/**
 * What a CloudStack 4.20+ webhook delivery asks hostnet to do. The body is the event map of
 * FACTS §4.2 (event, status, entity, entityuuid, description, eventDateTime, …), all strings.
 */
export type WebhookDecision =
  /** The host came back (HOST.RECONNECT) or left maintenance (MAINT.CANCEL): make sure its network is right. */
  | { kind: 'configure'; event: string; hostId: string }
  /** The host is entering maintenance: nothing to configure, the delivery is only noted. */
  | { kind: 'note'; event: string; hostId: string }
  | { kind: 'ignore'; reason: string };

const CONFIGURE_EVENTS = new Set(['HOST.RECONNECT', 'MAINT.CANCEL']);
const NOTE_EVENTS = new Set(['MAINT.PREPARE']);
const EVENT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** X-CS-Event-ID is an event uuid; anything else is refused before it becomes part of a Redis key. */
export function webhookEventIdValid(id: string | undefined): id is string {
  return typeof id === 'string' && EVENT_ID.test(id);
}

/** Decides what to do with a verified delivery's JSON body; never throws on odd input. */
export function interpretWebhookEvent(body: unknown): WebhookDecision {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { kind: 'ignore', reason: 'body is not a JSON object' };
  }
  const fields = body as Record<string, unknown>;
  const event = text(fields.event);
  if (!CONFIGURE_EVENTS.has(event) && !NOTE_EVENTS.has(event)) {
    return { kind: 'ignore', reason: `event ${JSON.stringify(event.slice(0, 64))} is not HOST.RECONNECT or MAINT.*` };
  }
  const status = text(fields.status);
  if (status !== 'Completed') {
    return { kind: 'ignore', reason: `${event} has status ${JSON.stringify(status.slice(0, 32))}; only Completed events are acted on` };
  }
  if (!isHostEntity(text(fields.entity))) {
    return { kind: 'ignore', reason: `${event} is about entity ${JSON.stringify(text(fields.entity).slice(0, 64))}, not a Host` };
  }
  const hostId = text(fields.entityuuid);
  if (!isCloudStackUuid(hostId)) {
    return { kind: 'ignore', reason: `${event} has no valid entityuuid (expected a host UUID)` };
  }
  return { kind: NOTE_EVENTS.has(event) ? 'note' : 'configure', event, hostId };
}

/** `Host`, or a fully qualified class name ending in `.Host`, as some CloudStack versions send. */
function isHostEntity(entity: string): boolean {
  return entity.split('.').pop()?.toLowerCase() === 'host';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
