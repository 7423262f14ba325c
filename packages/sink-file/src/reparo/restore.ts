import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { readDdl } from '@tidb-drainer/core';
import type { TableFilter } from '@tidb-drainer/core';
import { AbortedError } from '@tidb-drainer/core/sdk';
import { PbBinlogType } from '../format/pb-binlog.js';
import type { PbBinlog, PbEvent } from '../format/pb-binlog.js';
import { readBinlogDir, selectFiles } from '../reader/read-binlog-dir.js';
import { PbEventBuilder } from './pb-to-events.js';
import type { RestoreDestination } from './restore-destination.js';

export interface RestoreRange {
  /** Inclusive; 0 = from the beginning. */
  readonly startTs: bigint;
  /** Inclusive; 0 = to the end. */
  readonly stopTs: bigint;
}

export interface SkippedRange {
  readonly file: string;
  readonly offset: number;
  readonly bytes: number;
  readonly reason: string;
}

export interface RestoreStats {
  files: number;
  totalBytes: number;
  bytesRead: number;
  records: number;
  txns: number;
  ddls: number;
  rows: number;
  /** Binlogs outside the range or dropped entirely by the filter. */
  filtered: number;
  lastTs: bigint;
  readonly skipped: SkippedRange[];
  truncated?: { readonly file: string; readonly offset: number; readonly bytes: number };
}

export interface RestoreOptions {
  readonly dir: string;
  readonly range: RestoreRange;
  readonly filter: TableFilter;
  readonly destination: RestoreDestination;
  readonly zone: string;
  readonly skipCorrupt: boolean;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Called after each file and periodically with the running totals. */
  readonly onProgress?: (s: Readonly<RestoreStats>) => void;
  /** Key lookup for the synthetic tables (the MySQL destination's cache). */
  readonly keys?: (schema: string, table: string) => readonly string[] | undefined;
}

/** (schema, table) of a DDL statement for the filter: the USE database unless the statement names one. */
export function ddlTarget(useSchema: string, statement: string): { readonly schema: string; readonly table: string } {
  const ddl = readDdl(statement);
  const first = ddl.names[0];
  if (first === undefined) return { schema: useSchema, table: '' };
  const name = ddl.tokens[first.nameIdx]?.text ?? '';
  if (first.kind === 'database') return { schema: name, table: '' };
  const schema = first.schemaIdx === undefined ? useSchema : (ddl.tokens[first.schemaIdx]?.text ?? useSchema);
  return { schema, table: name };
}

function keepEvents(b: PbBinlog, filter: TableFilter): PbEvent[] {
  return (b.events ?? []).filter((e) => !filter.skip(e.schemaName ?? '', e.tableName ?? ''));
}

/**
 * reparo's algorithm (spec §8.5): select the files for the range, read records in order, apply those with
 * start ≤ commit ts ≤ stop (start inclusive) that pass the filter, stop at the first record after stop. No
 * checkpoint is kept: a rerun restores the range again (use safe mode for that).
 */
export async function restore(o: RestoreOptions): Promise<RestoreStats> {
  const files = await selectFiles(o.dir, { startTs: o.range.startTs, stopTs: o.range.stopTs, signal: o.signal });
  let totalBytes = 0;
  for (const f of files) totalBytes += (await stat(f.path)).size;
  const stats: RestoreStats = {
    files: 0,
    totalBytes,
    bytesRead: 0,
    records: 0,
    txns: 0,
    ddls: 0,
    rows: 0,
    filtered: 0,
    lastTs: 0n,
    skipped: [],
  };
  const builder = new PbEventBuilder(o.zone, o.keys);
  const { startTs, stopTs } = o.range;
  let doneBytes = 0;
  const items = readBinlogDir(o.dir, { startTs, stopTs, skipCorrupt: o.skipCorrupt, signal: o.signal });
  for await (const item of items) {
    if (o.signal.aborted) throw new AbortedError('reparo', o.signal.reason);
    switch (item.kind) {
      case 'file': {
        if (stats.files > 0) o.onProgress?.(stats);
        doneBytes = stats.bytesRead;
        stats.files++;
        o.logger.debug({ file: item.file }, 'reading binlog file');
        continue;
      }
      case 'skipped':
        stats.skipped.push({ file: item.file, offset: item.offset, bytes: item.bytes, reason: item.reason });
        stats.bytesRead = doneBytes + item.offset + item.bytes;
        o.logger.warn(
          { file: item.file, offset: item.offset, bytes: item.bytes, reason: item.reason },
          'skipped corrupt binlog data',
        );
        continue;
      case 'truncated':
        stats.truncated = { file: item.file, offset: item.offset, bytes: item.bytes };
        o.logger.warn(
          { file: item.file, offset: item.offset, bytes: item.bytes },
          'incomplete last record: end of data',
        );
        continue;
      case 'binlog':
        break;
    }
    stats.records++;
    stats.bytesRead = doneBytes + item.offset + item.size;
    const b = item.binlog;
    if (b.commitTs < startTs) {
      stats.filtered++;
      continue;
    }
    if (stopTs !== 0n && b.commitTs > stopTs) break;
    stats.lastTs = b.commitTs;
    if (b.tp === PbBinlogType.DDL) {
      const ev = builder.toEvent(b);
      if (ev.kind !== 'ddl') continue;
      const target = ddlTarget(ev.schema, ev.query);
      if (o.filter.skip(target.schema, target.table)) {
        stats.filtered++;
        continue;
      }
      await o.destination.apply(
        {
          ...ev,
          schema: ev.schema === '' ? target.schema : ev.schema,
          ...(target.table === '' ? {} : { table: target.table }),
        },
        o.signal,
      );
      builder.forget();
      stats.ddls++;
      continue;
    }
    const events = keepEvents(b, o.filter);
    if (events.length === 0) {
      stats.filtered++;
      continue;
    }
    if (o.destination.prepare !== undefined) {
      const seen = new Map<string, { schema: string; table: string }>();
      for (const e of events)
        seen.set(`${e.schemaName ?? ''}.${e.tableName ?? ''}`, {
          schema: e.schemaName ?? '',
          table: e.tableName ?? '',
        });
      await o.destination.prepare([...seen.values()], o.signal);
    }
    const ev = builder.toEvent({ ...b, events });
    if (ev.kind !== 'txn') continue;
    await o.destination.apply(ev, o.signal);
    stats.txns++;
    stats.rows += ev.changes.length;
  }
  await o.destination.flush(o.signal);
  o.onProgress?.(stats);
  return stats;
}
