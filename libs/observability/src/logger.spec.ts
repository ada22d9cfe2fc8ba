import { ThreadlineError } from '@threadline/core';
import { createLogger, withEventContext, type Logger } from './logger';
import { REDACTED } from './log-redaction';

type LogLine = Record<string, unknown>;

/** A destination that keeps every line pino writes. */
function captureLines() {
  const raw: string[] = [];
  return {
    raw,
    stream: { write: (line: string) => void raw.push(line) },
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
  };
}

function capturingLogger(level?: string) {
  const output = captureLines();
  const logger: Logger = createLogger({
    service: 'connector-erp',
    level,
    destination: output.stream,
  });
  return { logger, output };
}

describe('createLogger', () => {
  const savedLevel = process.env.LOG_LEVEL;
  afterEach(() => {
    if (savedLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = savedLevel;
  });

  it('writes one JSON object per line with service, level name and ISO time', () => {
    const { logger, output } = capturingLogger();
    logger.info({ queue: 'threadline.orchestrator.events' }, 'consumer started');

    expect(output.lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'connector-erp',
        queue: 'threadline.orchestrator.events',
        msg: 'consumer started',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      }),
    ]);
    expect(output.raw[0].endsWith('}\n')).toBe(true);
  });

  it('removes secret-named fields at the top and nested levels', () => {
    const { logger, output } = capturingLogger();
    logger.info(
      {
        password: 'hunter2-top',
        token: 'tok-top',
        config: { secret: 'hunter2-nested', apiKey: 'key-nested', host: 'erp.local' },
        target: { auth: { clientSecret: 'hunter2-deep' } },
        request: { headers: { authorization: 'Bearer abc.def', 'x-api-key': 'k-123' } },
        connector: { erp: { oauth: { accessToken: 'tok-deepest' } } },
      },
      'configured',
    );

    const raw = output.raw.join('');
    for (const secret of ['hunter2', 'tok-', 'key-nested', 'Bearer abc', 'k-123']) {
      expect(raw).not.toContain(secret);
    }
    expect(output.lines()[0]).toMatchObject({
      password: REDACTED,
      token: REDACTED,
      config: { secret: REDACTED, apiKey: REDACTED, host: 'erp.local' },
      target: { auth: { clientSecret: REDACTED } },
      request: { headers: { authorization: REDACTED, 'x-api-key': REDACTED } },
      connector: { erp: { oauth: { accessToken: REDACTED } } },
    });
  });

  it('masks URL credentials in fields, messages, format arguments and bindings', () => {
    const { logger, output } = capturingLogger();
    const child = logger.child({ broker: 'amqp://svc:bind-pw@rabbit:5672' });
    child.info(
      { url: 'postgres://app:field-pw@db/x', nested: { target: 'https://u:deep-pw@erp' } },
      'connecting',
    );
    child.warn('retrying amqps://svc:msg-pw@rabbit in %s', 'https://u:arg-pw@erp/api');
    child.child({ target: 'https://u:grandchild-pw@erp' }).info('grandchild');

    const raw = output.raw.join('');
    for (const secret of ['bind-pw', 'field-pw', 'deep-pw', 'msg-pw', 'arg-pw', 'grandchild-pw']) {
      expect(raw).not.toContain(secret);
    }
    const [connecting, retrying, grandchild] = output.lines();
    expect(connecting).toMatchObject({
      url: `postgres://app:${REDACTED}@db/x`,
      broker: `amqp://svc:${REDACTED}@rabbit:5672`,
      nested: { target: `https://u:${REDACTED}@erp` },
    });
    expect(retrying.msg).toBe(
      `retrying amqps://svc:${REDACTED}@rabbit in https://u:${REDACTED}@erp/api`,
    );
    expect(grandchild.target).toBe(`https://u:${REDACTED}@erp`);
  });

  it('masks URL credentials in errors, logged as a field or on their own', () => {
    const { logger, output } = capturingLogger();
    const error = new Error('connect ECONNREFUSED postgres://app:err-pw@db:5432/x');
    logger.error({ err: error }, 'database unreachable');
    logger.error(error);

    expect(output.raw.join('')).not.toContain('err-pw');
    const message = `connect ECONNREFUSED postgres://app:${REDACTED}@db:5432/x`;
    const [asField, alone] = output.lines();
    expect(asField).toMatchObject({ msg: 'database unreachable', err: { type: 'Error', message } });
    expect(alone).toMatchObject({
      msg: message,
      err: { message, stack: expect.stringContaining(`Error: ${message}\n    at `) },
    });
  });

  it('does not change the objects it logs', () => {
    const { logger } = capturingLogger();
    const fields = { password: 'p', url: 'amqp://u:p@h' };
    logger.info(fields, 'x');
    expect(fields).toEqual({ password: 'p', url: 'amqp://u:p@h' });
  });

  it('honours the level option and LOG_LEVEL', () => {
    const explicit = capturingLogger('warn');
    explicit.logger.info('hidden');
    explicit.logger.warn('shown');
    expect(explicit.output.lines().map((line) => line.msg)).toEqual(['shown']);

    process.env.LOG_LEVEL = 'debug';
    const fromEnvironment = capturingLogger();
    fromEnvironment.logger.trace('too detailed');
    fromEnvironment.logger.debug('detail');
    expect(fromEnvironment.output.lines().map((line) => line.msg)).toEqual(['detail']);
  });

  it('rejects an unknown level, naming where it came from', () => {
    process.env.LOG_LEVEL = 'verbose';
    expect(() => createLogger({ service: 's' })).toThrow(ThreadlineError);
    expect(() => createLogger({ service: 's' })).toThrow(/^LOG_LEVEL must be one of trace, debug/);
    expect(() => createLogger({ service: 's', level: 'loud' })).toThrow(/^level must be one of/);
  });
});

describe('withEventContext', () => {
  it('puts correlationid, eventId and eventType on every line of the child and its children', () => {
    const { logger, output } = capturingLogger();
    const eventLogger = withEventContext(logger, {
      id: 'evt-42',
      correlationid: 'corr-7',
      type: 'quality.nonconformance.raised',
    });
    eventLogger.info('handling');
    eventLogger.child({ step: 'erp-hold' }).warn('retry scheduled');
    logger.info('unrelated');

    const [handling, retry, unrelated] = output.lines();
    const context = {
      correlationid: 'corr-7',
      eventId: 'evt-42',
      eventType: 'quality.nonconformance.raised',
    };
    expect(handling).toMatchObject({ ...context, msg: 'handling' });
    expect(retry).toMatchObject({ ...context, step: 'erp-hold', msg: 'retry scheduled' });
    expect(unrelated).not.toHaveProperty('eventId');
  });
});
