import { buildTxnBatch } from '@tidb-drainer/core/sdk';
import type { DdlEvent, Sink, Txn, TxnBatch } from '@tidb-drainer/core/sdk';

export interface DriveOptions {
  readonly signal: AbortSignal;
  /** First batch seq (batches of a later drive keep increasing). */
  readonly firstSeq?: number;
  /** Overrides the sink's maxInFlight (never above it). */
  readonly maxInFlight?: number;
  /** Called with each batch before it is written (fault tests use it to pick the batch). */
  readonly beforeWrite?: (batch: TxnBatch) => void | Promise<void>;
}

/**
 * Applies events to an opened sink the way the runner does, without the runner: whole transactions in batches of
 * `defaultBatch.maxTxns`, up to `maxInFlight` writes outstanding (1 for ownsCheckpoint sinks, with
 * `batch.checkpoint` filled), a DDL barrier, `writeDdl` only when `supportsDdl`. Rejects with the first error
 * after every outstanding write settled. Returns the number of batches written.
 */
export async function driveSink(sink: Sink, events: readonly (Txn | DdlEvent)[], options: DriveOptions): Promise<number> {
  const caps = sink.capabilities;
  const owns = caps.ownsCheckpoint === true;
  const window = owns ? 1 : Math.min(caps.maxInFlight, options.maxInFlight ?? caps.maxInFlight);
  let seq = options.firstSeq ?? 1;
  let written = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;

  const settleAll = async (): Promise<void> => {
    await Promise.allSettled([...inFlight]);
    if (failure !== undefined) throw failure.error;
  };
  const issue = async (txns: Txn[]): Promise<void> => {
    while (inFlight.size >= window) await Promise.race(inFlight);
    if (failure !== undefined) return;
    const last = txns[txns.length - 1];
    const schemaVersion = last?.schemaVersion ?? 0;
    const batch = buildTxnBatch(seq++, txns, owns && last !== undefined ? { commitTs: last.commitTs, schemaVersion, consistent: false } : undefined);
    await options.beforeWrite?.(batch);
    const p: Promise<void> = sink
      .write(batch, options.signal)
      .then(() => void (written += 1))
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  let pending: Txn[] = [];
  for (const e of events) {
    if (failure !== undefined) break;
    if (e.kind === 'txn') {
      pending.push(e);
      if (pending.length >= caps.defaultBatch.maxTxns) {
        await issue(pending);
        pending = [];
      }
      continue;
    }
    if (pending.length > 0) await issue(pending);
    pending = [];
    await settleAll();
    if (caps.supportsDdl) await sink.writeDdl(e, options.signal);
  }
  if (pending.length > 0 && failure === undefined) await issue(pending);
  await settleAll();
  return written;
}
