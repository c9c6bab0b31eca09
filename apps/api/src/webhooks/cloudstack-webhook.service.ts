import { Inject, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { HostTriggerService, TargetNotFoundError } from '../triggers/host-trigger.service';
import { interpretWebhookEvent } from './cloudstack-webhook-event';
import { staleDeliveryReason } from './webhook-freshness';
import { DEFAULT_WEBHOOK_MAX_AGE_SECONDS, WEBHOOK_CLOCK, WEBHOOK_MAX_AGE } from './webhook-secret.token';

/** CloudStack retries a delivery at most a few times, within seconds; a week covers any replay. */
const EVENT_ID_TTL_SECONDS = 7 * 24 * 3600;

/** Body of every 200 answer; CloudStack only looks at the status code, operators read the body. */
export type WebhookReply =
  | { duplicate: true }
  | { ignored: string }
  | { accepted: true; action: 'configure'; event: string; hostId: string; jobId?: string; enqueued: boolean; skipped?: string }
  | { accepted: true; action: 'none'; event: string; hostId: string; note: string };

/**
 * Acts on verified CloudStack webhook deliveries, once per X-CS-Event-ID and once per body. The
 * event id is a header outside the signature, so a captured delivery re-sent with a fresh id would
 * pass that check: its signed body cannot change, though, so a body seen before, or an event older
 * than WEBHOOK_MAX_AGE_SECONDS by its own eventDateTime, is answered 200 and ignored.
 */
@Injectable()
export class CloudStackWebhookService {
  private readonly logger = new Logger(CloudStackWebhookService.name);
  private readonly maxAgeSeconds: number;

  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly triggers: HostTriggerService,
    @Optional() @Inject(WEBHOOK_MAX_AGE) maxAgeSeconds?: number,
    @Optional() @Inject(WEBHOOK_CLOCK) private readonly now: () => number = Date.now,
  ) {
    this.maxAgeSeconds = maxAgeSeconds ?? DEFAULT_WEBHOOK_MAX_AGE_SECONDS;
  }

  /** `eventId` must already be validated (webhookEventIdValid) and the signature over `raw` checked. */
  async handle(eventId: string, body: unknown, raw: Buffer): Promise<WebhookReply> {
    const stale = staleDeliveryReason(body, this.now(), this.maxAgeSeconds);
    if (stale) {
      this.logger.warn(`eventId=${eventId} ignored: ${stale}`);
      return { ignored: stale };
    }
    if (!(await this.statuses.claimOnce(`webhook-${eventId}`, EVENT_ID_TTL_SECONDS))) {
      this.logger.log(`duplicate delivery eventId=${eventId} ignored`);
      return { duplicate: true };
    }
    const bodyClaim = `webhook-body-${createHash('sha256').update(raw).digest('hex')}`;
    if (!(await this.statuses.claimOnce(bodyClaim, Math.max(EVENT_ID_TTL_SECONDS, 2 * this.maxAgeSeconds)))) {
      const reason = 'replay check: this exact body was already accepted (under another X-CS-Event-ID)';
      this.logger.warn(`eventId=${eventId} ignored: ${reason}`);
      return { ignored: reason };
    }
    try {
      return await this.act(eventId, body);
    } catch (error) {
      // Whatever made the delivery fail (answered non-200), CloudStack's retry carries the same body.
      await this.statuses.release(bodyClaim);
      throw error;
    }
  }

  private async act(eventId: string, body: unknown): Promise<WebhookReply> {
    const decision = interpretWebhookEvent(body);
    switch (decision.kind) {
      case 'ignore':
        this.logger.debug(`eventId=${eventId} ignored: ${decision.reason}`);
        return { ignored: decision.reason };
      case 'note':
        // The host is being drained for maintenance; its network config is untouched, so its status
        // (and the reason of its last run) stays as it is. MAINT.CANCEL will re-check it.
        this.logger.log(`eventId=${eventId} ${decision.event} hostId=${decision.hostId}: host entering maintenance, nothing to configure`);
        return { accepted: true, action: 'none', event: decision.event, hostId: decision.hostId, note: 'host entering maintenance: nothing to configure' };
      case 'configure':
        return this.configure(eventId, decision.event, decision.hostId);
    }
  }

  private async configure(eventId: string, event: string, hostId: string): Promise<WebhookReply> {
    try {
      const result = await this.triggers.triggerHost(hostId, {
        mode: 'apply',
        force: false,
        trigger: { kind: 'webhook', by: eventId, detail: event },
        // An event says the host came back, not that anyone wants it run: the poller's holds apply.
        respectHolds: true,
      });
      this.logger.log(`eventId=${eventId} ${event} hostId=${hostId} jobId=${result.jobId ?? '-'} enqueued=${result.enqueued}`);
      return { accepted: true, action: 'configure', event, hostId, jobId: result.jobId, enqueued: result.enqueued, skipped: result.skipped };
    } catch (error) {
      if (error instanceof TargetNotFoundError && error.unknownToCloudStack) {
        // An event about a host CloudStack itself does not know (a forged or misrouted delivery, a
        // webhook of another cloud): say so plainly. The claim is given back so CloudStack's few
        // retries get the same answer rather than a misleading {duplicate}.
        await this.statuses.release(`webhook-${eventId}`);
        this.logger.warn(`eventId=${eventId} ${event} hostId=${hostId}: ${error.message}`);
        throw new NotFoundException(`${event} names host ${hostId}: ${error.message}`);
      }
      // A host hostnet does not manage (not KVM): retrying the delivery cannot help.
      if (error instanceof TargetNotFoundError) return { ignored: error.message };
      // Anything else (Redis, CloudStack down) should be retried by CloudStack: free the event id so
      // its next delivery is acted on instead of being answered as a duplicate.
      await this.statuses.release(`webhook-${eventId}`);
      throw error;
    }
  }
}
