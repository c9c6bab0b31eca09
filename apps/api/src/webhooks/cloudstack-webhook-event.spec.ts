import { interpretWebhookEvent, webhookEventIdValid } from './cloudstack-webhook-event';

const HOST = 'd9960e4d-5da9-47be-af88-5cd19473b844';
const event = (fields: Record<string, unknown>) => ({ status: 'Completed', entity: 'Host', entityuuid: HOST, ...fields });

describe('interpretWebhookEvent', () => {
  it.each(['HOST.RECONNECT', 'MAINT.CANCEL'])('configures the host on a completed %s', (name) => {
    expect(interpretWebhookEvent(event({ event: name }))).toEqual({ kind: 'configure', event: name, hostId: HOST });
  });

  it('only notes MAINT.PREPARE: the host is going away', () => {
    expect(interpretWebhookEvent(event({ event: 'MAINT.PREPARE' }))).toEqual({ kind: 'note', event: 'MAINT.PREPARE', hostId: HOST });
  });

  it('accepts a fully qualified Host entity class name', () => {
    expect(interpretWebhookEvent(event({ event: 'HOST.RECONNECT', entity: 'com.cloud.host.Host' })).kind).toBe('configure');
  });

  it.each([
    [event({ event: 'VM.CREATE' }), /VM\.CREATE.*not HOST\.RECONNECT or MAINT/],
    [event({ event: 'MAINT.PREPARE.PS', entity: 'StoragePool' }), /MAINT\.PREPARE\.PS/],
    [event({ event: 'HOST.RECONNECT', status: 'Started' }), /status "Started"; only Completed/],
    [event({ event: 'MAINT.CANCEL', entity: 'StoragePool' }), /entity "StoragePool", not a Host/],
    [event({ event: 'HOST.RECONNECT', entityuuid: 'h1; rm -rf /' }), /no valid entityuuid/],
    [event({ event: 'HOST.RECONNECT', entityuuid: 42 }), /no valid entityuuid/],
    [[1, 2], /not a JSON object/],
    ['MAINT.CANCEL', /not a JSON object/],
    [undefined, /not a JSON object/],
  ])('ignores %j', (body, reason) => {
    const decision = interpretWebhookEvent(body);
    expect(decision.kind).toBe('ignore');
    expect(decision.kind === 'ignore' && decision.reason).toMatch(reason);
  });
});

describe('webhookEventIdValid', () => {
  it('accepts uuid-like ids and refuses anything that could smuggle key syntax or bulk', () => {
    expect(webhookEventIdValid('0b6d5a3c-2f1e-4c3b-9a8d-7e6f5d4c3b2a')).toBe(true);
    expect(webhookEventIdValid(undefined)).toBe(false);
    expect(webhookEventIdValid('')).toBe(false);
    expect(webhookEventIdValid('a:b')).toBe(false);
    expect(webhookEventIdValid('a b')).toBe(false);
    expect(webhookEventIdValid('x'.repeat(65))).toBe(false);
    expect(webhookEventIdValid('x'.repeat(64))).toBe(true);
  });
});
