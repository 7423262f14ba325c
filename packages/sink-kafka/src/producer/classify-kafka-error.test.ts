import { AbortedError, SinkError } from '@tidb-drainer/core/sdk';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { classifyKafkaError } from './classify-kafka-error.js';

const { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

/** kafkajs builds protocol errors from the broker's error entry (its typings only declare Error | string). */
const protocolError = (type: string, code: number, retriable: boolean): Error =>
  new KafkaJSProtocolError({ type, code, retriable, message: type } as unknown as Error);

describe('classifyKafkaError (by Kafka error code and kafkajs class, never by message)', () => {
  it('fatal codes: message too large, authorization, fenced producer', () => {
    const tooLarge = classifyKafkaError(protocolError('MESSAGE_TOO_LARGE', 10, false), 'send', { topic: 't' });
    expect(tooLarge).toBeInstanceOf(SinkError);
    expect(tooLarge.retryable).toBe(false);
    expect(tooLarge.code).toBe('E_KAFKA_MESSAGE_TOO_LARGE');
    expect((tooLarge).details).toMatchObject({ topic: 't', kafkaCode: 10 });
    expect(classifyKafkaError(protocolError('PRODUCER_FENCED', 90, false), 'send').code).toBe('E_KAFKA_PRODUCER_FENCED');
  });

  it('retryable: lost connections, leader moves, retries exhausted on a retryable cause', () => {
    expect(classifyKafkaError(new KafkaJSConnectionError('refused'), 'connect').retryable).toBe(true);
    const leader = protocolError('NOT_LEADER_FOR_PARTITION', 6, true);
    expect(classifyKafkaError(new KafkaJSNumberOfRetriesExceeded(leader, { retryCount: 5, retryTime: 1 }), 'send').retryable).toBe(true);
    // What kafkajs' producer throws while the broker is down: a non-retriable wrapper whose cause is the refused connection.
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    const NonRetriable = kafkajs.KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
    const wrapper = new NonRetriable(refused, { cause: refused });
    expect(classifyKafkaError(wrapper, 'send').retryable).toBe(true);
  });

  it('aggregates: the first fatal member decides; SinkError and AbortedError pass through', () => {
    const agg = new KafkaJSAggregateError('create topics', [
      protocolError('REQUEST_TIMED_OUT', 7, true),
      protocolError('INVALID_TOPIC_EXCEPTION', 17, false),
    ]);
    expect(classifyKafkaError(agg, 'create').code).toBe('E_KAFKA_INVALID_TOPIC');
    const s = SinkError.fatal('E_X', 'x');
    expect(classifyKafkaError(s, 'w')).toBe(s);
    const a = new AbortedError('w');
    expect(classifyKafkaError(a, 'w')).toBe(a);
  });
});
