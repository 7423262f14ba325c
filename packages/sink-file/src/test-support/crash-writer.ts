/**
 * A child process for the kill -9 test: writes `total` single-row transactions (commit ts BASE+1 … BASE+total)
 * through the file sink in small batches, saving a checkpoint only after every third batch (as the runner saves
 * periodically), so every restart replays batches that are already in the file. Prints "ready" once open.
 * argv: <dir> <total> <fsync policy> [schema]
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTxnBatch, createSinkContext } from '@tidb-drainer/core/sdk';
import type { TableInfo, Txn } from '@tidb-drainer/core/sdk';
import { FileSink } from '../sink/file-sink.js';
import { fileSinkConfigSchema } from '../sink/file-sink-config.js';
import { idValueTable } from './id-value-table.js';

export const CRASH_BASE_TS = 450_000_000_000_000_000n;
const BATCH = 20;

/** The table every crash transaction writes (its module avoids the testkit: the child is spawned many times). */
export const crashTable: TableInfo = idValueTable(7, 'crash', 't');

export function crashTxn(i: number, schema = 'crash'): Txn {
  const ts = CRASH_BASE_TS + BigInt(i);
  const tableInfo = schema === crashTable.schema ? crashTable : { ...crashTable, schema };
  return {
    kind: 'txn',
    commitTs: ts,
    startTs: ts - 1n,
    schemaVersion: 1,
    changes: [
      {
        op: 'insert',
        schema,
        table: 't',
        tableInfo,
        after: [BigInt(i), `row ${i} `.repeat(1 + (i % 5))],
      },
    ],
    bytes: 40,
  };
}

async function main(): Promise<void> {
  const [dir = '', totalText = '0', fsync = 'batch', schema = 'crash'] = process.argv.slice(2);
  const total = Number(totalText);
  const savepoint = join(dir, 'savepoint');
  const text = await readFile(savepoint, 'utf8').catch(() => '');
  const checkpoint = text === '' ? CRASH_BASE_TS : BigInt(text.trim());
  const sink = new FileSink(fileSinkConfigSchema.parse({ dir, fsync, 'max-file-size': 4096 }), { timezone: 'UTC' });
  await sink.open(createSinkContext({ checkpoint, dataDir: join(dir, 'file') }));
  process.stdout.write('ready\n');
  const signal = new AbortController().signal;
  let seq = 0;
  for (let i = Number(checkpoint - CRASH_BASE_TS) + 1; i <= total; i += BATCH) {
    const txns: Txn[] = [];
    for (let j = i; j < i + BATCH && j <= total; j++) txns.push(crashTxn(j, schema));
    const batch = buildTxnBatch(++seq, txns);
    await sink.write(batch, signal);
    if (seq % 3 === 0) {
      await writeFile(`${savepoint}.tmp`, batch.lastCommitTs.toString());
      await rename(`${savepoint}.tmp`, savepoint);
    }
  }
  await sink.close();
  process.stdout.write('done\n');
}

if (process.argv[1]?.endsWith('crash-writer.ts') === true) await main();
