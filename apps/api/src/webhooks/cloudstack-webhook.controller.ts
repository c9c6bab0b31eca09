import {
  BadRequestException,
  Controller,
  Headers,
  HttpCode,
  Inject,
  InternalServerErrorException,
  Post,
  Req,
  ServiceUnavailableException,
  UnauthorizedException,
  type RawBodyRequest,
} from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { webhookEventIdValid } from './cloudstack-webhook-event';
import { CloudStackWebhookService, type WebhookReply } from './cloudstack-webhook.service';
import { WEBHOOK_SECRET } from './webhook-secret.token';
import { webhookSignatureValid } from './webhook-signature';
import { CLOUDSTACK_WEBHOOK_ROUTE } from './webhook-route';

/**
 * POST /webhooks/cloudstack: CloudStack 4.20+ webhook deliveries. Authenticated by X-CS-Signature
 * (not by API_TOKEN), answered 200 for every accepted delivery: CloudStack retries anything else.
 */
@ApiTags('webhooks')
@Controller(CLOUDSTACK_WEBHOOK_ROUTE.controller)
export class CloudStackWebhookController {
  constructor(
    private readonly webhooks: CloudStackWebhookService,
    @Inject(WEBHOOK_SECRET) private readonly secret: string | undefined,
  ) {}

  @Post(CLOUDSTACK_WEBHOOK_ROUTE.action)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a CloudStack webhook delivery',
    description:
      'HOST.RECONNECT and MAINT.CANCEL (status Completed, entity Host) enqueue an apply job for the host; ' +
      'MAINT.PREPARE is acknowledged without action; anything else is ignored. Idempotent on X-CS-Event-ID; ' +
      'replays (a body already accepted, or an eventDateTime further than WEBHOOK_MAX_AGE_SECONDS from now) are answered 200 {ignored}.',
  })
  @ApiHeader({ name: 'X-CS-Signature', required: true, description: 'base64(HMAC-SHA256(WEBHOOK_SECRET, raw body))' })
  @ApiHeader({ name: 'X-CS-Event-ID', required: true, description: 'event uuid, used to drop duplicate deliveries' })
  @ApiBody({ description: 'CloudStack event map: event, status, entity, entityuuid, description, eventDateTime, …' })
  @ApiOkResponse({ description: '{accepted, action, hostId, …} | {duplicate: true} | {ignored: reason}' })
  async receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers('x-cs-signature') signature: string | undefined,
    @Headers('x-cs-event-id') eventId: string | undefined,
  ): Promise<WebhookReply> {
    if (!this.secret) {
      throw new ServiceUnavailableException(
        'webhooks are disabled: WEBHOOK_SECRET is unset; set it to the secret key of the CloudStack webhook',
      );
    }
    const raw = rawBodyOf(request);
    if (!signature) throw new UnauthorizedException('X-CS-Signature is missing: a CloudStack webhook with a secret key signs every delivery; set the webhook\'s secret key to WEBHOOK_SECRET');
    if (!webhookSignatureValid(this.secret, raw, signature)) {
      throw new UnauthorizedException('X-CS-Signature does not match the body; check WEBHOOK_SECRET and the webhook secret key');
    }
    if (!webhookEventIdValid(eventId)) {
      throw new BadRequestException('X-CS-Event-ID must be an event uuid: 1-64 letters, digits or dashes');
    }
    return this.webhooks.handle(eventId, parsedBody(request, raw), raw);
  }
}

/** JSON bodies: Nest's `rawBody: true` keeps the bytes; other types: the module's raw parser made req.body a Buffer. */
function rawBodyOf(request: RawBodyRequest<Request>): Buffer {
  if (request.rawBody) return request.rawBody;
  if (Buffer.isBuffer(request.body)) return request.body;
  if (request.body && typeof request.body === 'object' && Object.keys(request.body).length > 0) {
    // Parsed JSON without its bytes: re-serialising would not match CloudStack's signature.
    throw new InternalServerErrorException('the api must be created with NestFactory.create(…, { rawBody: true }) to verify webhooks');
  }
  return Buffer.alloc(0);
}

/** CloudStack sends text/plain when the body does not parse as JSON; try anyway, the decision handles junk. */
function parsedBody(request: Request, raw: Buffer): unknown {
  if (request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) return request.body;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
