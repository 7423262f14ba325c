import * as grpc from '@grpc/grpc-js';
import type { Namespace } from 'etcd3';

import { CisternService, parseNodeStatus } from '@tidb-drainer/core';

export interface NotifyDrainersOptions {
  /** Go: 3 dial attempts and 3 Notify attempts. */
  readonly tries?: number;
  /** Go: 1 s, doubling after each failed attempt. */
  readonly backoffMs?: number;
  /** Deadline of one attempt (dial + call). */
  readonly attemptTimeoutMs?: number;
}

/** Thrown when an online drainer cannot be notified: the pump then marks itself offline and does not start. */
export class NotifyDrainersError extends Error {
  readonly drainer: string;
  constructor(drainer: string, host: string, cause: unknown) {
    super(
      `fail to notify all living drainer: drainer ${drainer} at ${host}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'NotifyDrainersError';
    this.drainer = drainer;
  }
}

type NotifyClient = grpc.Client & {
  notify(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null) => void): void;
};
const Client = grpc.makeGenericClientConstructor(CisternService, 'Cistern') as unknown as new (
  address: string,
  creds: grpc.ChannelCredentials,
) => NotifyClient;

/**
 * What a new pump does before it goes online (tidb-binlog.md §2.1): every drainer whose registry state is `online`
 * gets `binlog.Cistern/Notify` (tries with doubling backoff); the first drainer that cannot be reached fails the
 * whole call. Returns the node ids notified.
 */
export async function notifyOnlineDrainers(
  etcd: Namespace,
  root: string,
  o: NotifyDrainersOptions = {},
): Promise<string[]> {
  const prefix = `${root}/drainers/`;
  const records = await etcd.getAll().prefix(prefix).strings();
  const notified: string[] = [];
  for (const [key, value] of Object.entries(records)) {
    const status = parseNodeStatus(value, key);
    if (status.state !== 'online') continue;
    let delay = o.backoffMs ?? 1000;
    const tries = o.tries ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await notifyOnce(status.host, o.attemptTimeoutMs ?? 3000);
        break;
      } catch (err) {
        if (attempt >= tries) throw new NotifyDrainersError(status.nodeId, status.host, err);
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
    }
    notified.push(status.nodeId);
  }
  return notified;
}

async function notifyOnce(host: string, timeoutMs: number): Promise<void> {
  const client = new Client(host, grpc.credentials.createInsecure());
  try {
    await new Promise<void>((resolve, reject) =>
      client.notify({}, { deadline: Date.now() + timeoutMs }, (err) => (err === null ? resolve() : reject(err))),
    );
  } finally {
    client.close();
  }
}
