import { AbortedError, SinkError } from '@tidb-drainer/core/sdk';
import type { SinkErrorOptions } from '@tidb-drainer/core/sdk';

/** Kafka error codes that retrying the same request cannot fix (protocol error codes, kafka.apache.org/protocol). */
const FATAL_KAFKA_CODES: ReadonlyMap<number, string> = new Map([
  [10, 'E_KAFKA_MESSAGE_TOO_LARGE'],
  [17, 'E_KAFKA_INVALID_TOPIC'],
  [18, 'E_KAFKA_RECORD_LIST_TOO_LARGE'],
  [29, 'E_KAFKA_TOPIC_AUTHORIZATION_FAILED'],
  [31, 'E_KAFKA_CLUSTER_AUTHORIZATION_FAILED'],
  [47, 'E_KAFKA_INVALID_PRODUCER_EPOCH'],
  [53, 'E_KAFKA_TRANSACTIONAL_ID_AUTHORIZATION_FAILED'],
  [58, 'E_KAFKA_SASL_AUTHENTICATION_FAILED'],
  [87, 'E_KAFKA_INVALID_RECORD'],
  [90, 'E_KAFKA_PRODUCER_FENCED'],
]);

/** kafkajs error classes that mean the broker could not be reached or answered too late: retry later. */
const CONNECTION_ERRORS: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);

interface KafkaJsLikeError {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly code?: unknown;
  readonly retriable?: unknown;
  readonly originalError?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

function asKafkaError(err: unknown): KafkaJsLikeError | undefined {
  return typeof err === 'object' && err !== null ? err : undefined;
}

/**
 * Wraps a kafkajs error once, at the client boundary. Classification uses the Kafka protocol error code and
 * kafkajs' error class and `retriable` flag, never the message text.
 */
export function classifyKafkaError(err: unknown, what: string, details: SinkErrorOptions['details'] = {}): SinkError | AbortedError {
  if (err instanceof SinkError || err instanceof AbortedError) return err;
  let e = asKafkaError(err);
  // kafkajs wraps the last attempt's error after its own retries (or when its inner retrier gives up): judge
  // the original error, not the wrapper.
  let wrapped = false;
  while (e?.name === 'KafkaJSNumberOfRetriesExceeded' || e?.name === 'KafkaJSNonRetriableError') {
    const inner = asKafkaError(e.originalError ?? e.cause);
    if (inner === undefined) break;
    wrapped = true;
    e = inner;
  }
  // Admin calls (create topics…) aggregate one error per resource: the first fatal one decides.
  if (Array.isArray(e?.errors) && e.errors.length > 0) {
    const inner = (e.errors as unknown[]).map((x) => classifyKafkaError(x, what, details));
    return inner.find((x) => !x.retryable) ?? inner[0] ?? SinkError.retryable('E_KAFKA_RETRYABLE', what, err, details);
  }
  const code = typeof e?.code === 'number' ? e.code : undefined;
  if (code !== undefined) {
    const fatal = FATAL_KAFKA_CODES.get(code);
    if (fatal !== undefined) return SinkError.fatal(fatal, `${what}: Kafka error ${String(e?.type)} (${code})`, err, { ...details, kafkaCode: code });
  }
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  if (name === 'KafkaJSSASLAuthenticationError' || name === 'KafkaJSNonRetriableError' || name === 'KafkaJSInvalidArgumentError') {
    return SinkError.fatal('E_KAFKA_FATAL', `${what}: ${name}`, err, details);
  }
  // A non-retriable wrapper around something that is not a connection problem: trust kafkajs.
  if (wrapped && e?.retriable === false && !CONNECTION_ERRORS.has(name)) return SinkError.fatal('E_KAFKA_FATAL', `${what}: ${name}`, err, details);
  // Connection loss, timeouts, leader moves, coordinator loads: resending the batch can succeed.
  return SinkError.retryable('E_KAFKA_RETRYABLE', `${what}: ${name}${code === undefined ? '' : ` (Kafka error ${String(e?.type)} ${code})`}`, err, {
    ...details,
    ...(code === undefined ? {} : { kafkaCode: code }),
  });
}
