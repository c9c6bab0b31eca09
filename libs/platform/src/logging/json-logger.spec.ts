import { Logger } from '@nestjs/common';
import { JsonLogger } from './json-logger';
import { withLogContext } from './log-context';
import { SecretMasker } from './secret-masker';
import { createAppLogger, logFormatOf } from './app-logger';
import { MaskingLogger } from './masking-logger';

const SECRET = 'cs-secret-0123456789abcdef';

/** A JsonLogger writing into an array of raw lines. */
function recorder(level: 'log' | 'verbose' | 'warn' = 'verbose') {
  const lines: string[] = [];
  const logger = new JsonLogger(new SecretMasker([SECRET]), level, 'worker', { write: (s: string) => void lines.push(s) });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('JsonLogger', () => {
  it('writes one JSON object a line with level, time, app, context and message', () => {
    const { logger, lines, parsed } = recorder();
    logger.log('worker started', 'Bootstrap');
    logger.warn({ some: 'object' }, 'HostRunService');
    expect(lines.every((l) => l.endsWith('\n') && l.trim().split('\n').length === 1)).toBe(true);
    const [first, second] = parsed();
    expect(first).toMatchObject({ level: 'info', app: 'worker', context: 'Bootstrap', msg: 'worker started', pid: process.pid });
    expect(Date.parse(String(first!.time))).not.toBeNaN();
    expect(second).toMatchObject({ level: 'warn', context: 'HostRunService', msg: "{ some: 'object' }" });
  });

  it('puts host, run and job ids on every line logged while a job is handled; outside one, lifts ids a message names', async () => {
    const { logger, parsed } = recorder();
    await withLogContext({ hostId: 'h-1', runId: 'job-r1', jobId: 'host-h-1' }, async () => {
      await new Promise((r) => setImmediate(r));
      logger.debug('→ listHosts id=h-1', 'CloudStackClient');
      logger.log('phase=facts jobId=host-h-1 hostId=h-1 runId=job-job-r1 attempt=1', 'HostNetworkProcessor');
    });
    logger.log('phase=outcome jobId=host-h-3 hostId=h-3 runId=job-r3 status=applied', 'HostNetworkProcessor');
    logger.log('no ids here', 'Poller');
    const [inJob, workerForm, outside, none] = parsed();
    expect(inJob).toMatchObject({ level: 'debug', hostId: 'h-1', runId: 'job-r1', jobId: 'host-h-1' });
    expect(workerForm).toMatchObject({ hostId: 'h-1', runId: 'job-r1', jobId: 'host-h-1' });
    expect(outside).toMatchObject({ hostId: 'h-3', runId: 'job-r3', jobId: 'host-h-3' });
    expect(none).not.toHaveProperty('hostId');
  });

  it('never writes a secret: in the message, an object, the context, a stack or an Error', () => {
    const { logger, lines, parsed } = recorder();
    const error = new Error(`CloudStack said ${SECRET}`);
    logger.error(`failed with key ${SECRET}`, error.stack, `Ctx-${SECRET}`);
    logger.error(error);
    logger.log({ nested: { secretKey: SECRET } });
    logger.warn('GET /client/api?apikey=AKEY&signature=c2ln%3D');
    logger.log('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).not.toContain(SECRET);
    expect(lines.join('')).not.toMatch(/AKEY|c2ln|AAAA/);
    const [withStack, fromError] = parsed();
    expect(withStack).toMatchObject({ level: 'error', msg: 'failed with key ***', context: 'Ctx-***' });
    expect(String(withStack!.stack)).toMatch(/^Error: CloudStack said \*\*\*\n\s+at /);
    expect(fromError).toMatchObject({ msg: 'Error: CloudStack said ***', stack: expect.stringContaining('***') });
  });

  it('honours LOG_LEVEL and works behind Nest Logger instances', () => {
    const { logger, parsed } = recorder('warn');
    Logger.overrideLogger(logger);
    try {
      const classLogger = new Logger('HostEnableService');
      classLogger.log('not at warn');
      classLogger.warn('enable failed hostId=h-9');
      classLogger.error('boom', new Error('x').stack);
    } finally {
      Logger.overrideLogger(false);
    }
    expect(parsed()).toEqual([
      expect.objectContaining({ level: 'warn', context: 'HostEnableService', msg: 'enable failed hostId=h-9', hostId: 'h-9' }),
      expect.objectContaining({ level: 'error', context: 'HostEnableService', msg: 'boom', stack: expect.stringMatching(/^Error: x/) }),
    ]);
  });
});

describe('LOG_FORMAT', () => {
  it('defaults to json in production and pretty elsewhere; LOG_FORMAT decides when set', () => {
    expect(logFormatOf({ NODE_ENV: 'production' })).toBe('json');
    expect(logFormatOf({})).toBe('pretty');
    expect(logFormatOf({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(createAppLogger('api', [], { LOG_LEVEL: 'log', LOG_FORMAT: 'json' })).toBeInstanceOf(JsonLogger);
    expect(createAppLogger('api', [], { LOG_LEVEL: 'log' })).toBeInstanceOf(MaskingLogger);
  });
});
