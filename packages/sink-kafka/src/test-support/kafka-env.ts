import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import kafkajs from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader does not see all of its named exports.
const { Kafka, logLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

/** Test-only helpers for the real Kafka and schema registry started by `bash scripts/services.sh up`. */
export const KAFKA_BROKERS = [`127.0.0.1:${process.env['DRAINER_TEST_KAFKA_PORT'] ?? '9092'}`];
export const REGISTRY_URL = `http://127.0.0.1:${process.env['DRAINER_TEST_REGISTRY_PORT'] ?? '8081'}/apis/ccompat/v7`;

function reachable(hostPort: string): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = hostPort.split(':');
  return new Promise((resolve) => {
    const s = connect({ host, port: Number(port) });
    s.setTimeout(2000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Fails (never skips) with a clear message when Kafka is not running. */
export async function requireKafka(): Promise<void> {
  const b = KAFKA_BROKERS[0] ?? '';
  if (!(await reachable(b))) throw new Error(`Kafka is not reachable at ${b}: start it with \`bash scripts/services.sh up kafka\``);
}

export async function requireRegistry(): Promise<void> {
  const ok = await fetch(`${REGISTRY_URL}/subjects`).then((r) => r.ok, () => false);
  if (!ok) throw new Error(`schema registry is not reachable at ${REGISTRY_URL}: start it with \`bash scripts/services.sh up registry\``);
}

export function uniqueTopic(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

export function testKafka(): Kafka {
  return new Kafka({ brokers: KAFKA_BROKERS, clientId: 'sink-kafka-test', logLevel: logLevel.NOTHING });
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/**
 * Every record of every partition up to the current end, in partition then offset order. `readCommitted`
 * false reads aborted transactional records too (to show what read_committed hides).
 */
export async function readTopic(topic: string, opts: { readonly readCommitted?: boolean } = {}): Promise<ReadRecord[]> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const pending = new Map<number, bigint>();
  for (const o of offsets) if (BigInt(o.high) > BigInt(o.low)) pending.set(o.partition, BigInt(o.high));
  const out: ReadRecord[] = [];
  if (pending.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `read-${randomUUID()}`, readUncommitted: opts.readCommitted === false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out; still waiting for partitions ${[...pending.keys()].join(',')}`)), 30_000);
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        const high = pending.get(e.payload.partition);
        if (high !== undefined && BigInt(e.payload.lastOffset) >= high - 1n) pending.delete(e.payload.partition);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer
        .run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            out.push({ partition, offset: BigInt(message.offset), key: message.key, value: message.value });
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
}
