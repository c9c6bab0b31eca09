import { randomUUID } from 'node:crypto';
import { webhookSignature } from '../../apps/api/src/webhooks/webhook-signature';

/** What api answered a webhook delivery. */
export interface WebhookAnswer {
  status: number;
  body: { accepted?: boolean; enqueued?: boolean; jobId?: string; duplicate?: boolean; ignored?: string };
}

/**
 * Delivers a CloudStack 4.20+ webhook event about a host the way CloudStack does: JSON body signed
 * with X-CS-Signature = base64(HMAC-SHA256(secret, raw body)) and a fresh X-CS-Event-ID.
 */
export async function deliverHostEvent(apiUrl: string, secret: string, event: string, hostId: string): Promise<WebhookAnswer> {
  const body = JSON.stringify({
    event,
    status: 'Completed',
    entity: 'Host',
    entityuuid: hostId,
    description: `${event} for host ${hostId}`,
    eventDateTime: new Date().toISOString(),
  });
  const res = await fetch(`${apiUrl}/webhooks/cloudstack`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-cs-signature': webhookSignature(secret, Buffer.from(body, 'utf8')),
      'x-cs-event-id': randomUUID(),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as WebhookAnswer['body']) : {} };
}
