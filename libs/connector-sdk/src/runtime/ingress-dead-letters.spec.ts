import { TransientError } from '@threadline/core';
import { DEAD_LETTER_EXCHANGE, Header, InMemoryDriver } from '@threadline/messaging';
import type { MappingRejection } from '../mapping/mapping-rejection';
import { IngressDeadLetters } from './ingress-dead-letters';

const QUEUE = 'threadline.connector-qms.ingress';
const DLQ = `${QUEUE}.dlq`;

function rejection(overrides: Partial<MappingRejection> = {}): MappingRejection {
  return {
    connector: 'qms-main',
    mapping: '/config/mappings/qms-nonconformance.jsonata',
    eventType: 'quality.nonconformance.raised',
    reason: 'schema-invalid',
    errors: [
      {
        path: '/data/severity',
        keyword: 'enum',
        message: 'must be equal to one of the allowed values',
      },
      { path: '', keyword: 'required', message: "must have required property 'subject'" },
    ],
    payload: { nc: { number: 'NC-1', sev: 'WHAT' } },
    rawOutput: { ncrId: 'NC-1', severity: 'WHAT' },
    rejectedAt: '2026-05-14T08:30:00.000Z',
    ...overrides,
  };
}

describe('IngressDeadLetters with the in-memory broker', () => {
  let driver: InMemoryDriver;

  beforeEach(() => {
    driver = new InMemoryDriver();
  });

  afterEach(() => driver.stop());

  it('names the DLQ threadline.<service>.ingress.dlq', () => {
    expect(new IngressDeadLetters(driver, 'connector-qms', [1000]).deadLetterQueue).toBe(DLQ);
  });

  it('publishes the whole rejection as JSON with the headers of every dead letter', async () => {
    await driver.start();
    const deadLetters = new IngressDeadLetters(driver, 'connector-qms', [1000, 5000]);
    const rejected = rejection();

    await deadLetters.reject(rejected);

    const letters = await driver.peekDeadLetters(DLQ, 10);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(JSON.parse(letter.body.toString('utf8'))).toEqual(rejected);
    expect(letter.routingKey).toBe(QUEUE);
    expect(letter.headers).toMatchObject({
      [Header.ErrorKind]: 'validation',
      [Header.OriginalQueue]: QUEUE,
      [Header.Attempts]: 1,
    });
    expect(letter.headers[Header.ErrorMessage]).toBe(
      '/config/mappings/qms-nonconformance.jsonata (schema-invalid) for quality.nonconformance.raised: ' +
        "/data/severity must be equal to one of the allowed values; (root) must have required property 'subject'",
    );
    expect(letter.headers[Header.IdempotencyKey]).toMatch(/^qms-main:[0-9a-f-]{36}:rejected$/);
    expect(letter.headers[Header.IdempotencyKey]).toBe(`qms-main:${letter.messageId}:rejected`);
  });

  it('gives every rejection its own message, also for the same payload', async () => {
    await driver.start();
    const deadLetters = new IngressDeadLetters(driver, 'connector-qms', [1000]);
    await deadLetters.reject(rejection());
    await deadLetters.reject(rejection({ reason: 'evaluation-failed', rawOutput: undefined }));

    const letters = await driver.peekDeadLetters(DLQ, 10);
    expect(letters).toHaveLength(2);
    expect(letters[0].messageId).not.toBe(letters[1].messageId);
    expect(letters[1].headers[Header.ErrorMessage]).toMatch(/\(evaluation-failed\)/);
  });

  it('declares its queue once, however many rejections follow', async () => {
    await driver.start();
    const declared: string[] = [];
    const declare = driver.declareConsumerQueue.bind(driver);
    driver.declareConsumerQueue = (spec) => {
      declared.push(spec.names.queue);
      return declare(spec);
    };
    const deadLetters = new IngressDeadLetters(driver, 'connector-qms', [1000]);
    await deadLetters.declare();
    await deadLetters.reject(rejection());
    await deadLetters.reject(rejection());
    expect(declared).toEqual([QUEUE]);
    expect(await driver.peekDeadLetters(DLQ, 10)).toHaveLength(2);
  });

  it('declares again after a failed declaration', async () => {
    const deadLetters = new IngressDeadLetters(driver, 'connector-qms', [1000]);
    await expect(deadLetters.declare()).rejects.toThrow(TransientError);

    await driver.start();
    await deadLetters.reject(rejection());
    expect(await driver.peekDeadLetters(DLQ, 10)).toHaveLength(1);
  });

  it('fails when the broker cannot take the dead letter, so the caller keeps the payload', async () => {
    await driver.start();
    const deadLetters = new IngressDeadLetters(driver, 'connector-qms', [1000]);
    await deadLetters.declare();
    driver.simulateDisconnect();

    await expect(deadLetters.reject(rejection())).rejects.toThrow(TransientError);

    driver.simulateReconnect();
    expect(await driver.peekDeadLetters(DLQ, 10)).toEqual([]);
  });

  it('routes through the dead-letter exchange', async () => {
    await driver.start();
    const published: string[] = [];
    const publish = driver.publish.bind(driver);
    driver.publish = (messages) => {
      published.push(...messages.map((message) => `${message.exchange} ${message.routingKey}`));
      return publish(messages);
    };
    await new IngressDeadLetters(driver, 'connector-qms', [1000]).reject(rejection());
    expect(published).toEqual([`${DEAD_LETTER_EXCHANGE} ${QUEUE}`]);
  });
});
