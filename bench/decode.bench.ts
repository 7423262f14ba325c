/**
 * Row decode throughput: rows/s on one core for a 10-column mixed-type table and a 3-column narrow table, decoding
 * TiDB-format binlogs (PrewriteValue → TableMutation → inserted rows → model values), beside (a) protobuf decode
 * alone of the same binlogs (the core protocol codec on protobufjs' Reader) and (b) a plain JS loop that only walks
 * the same row bytes (varints and strings, no model values) — the floor any decoder has to pay. Reports, never
 * asserts. Goal: ≥ 1M rows/s/core for the mixed table.
 *
 *   npm run bench -- decode            (through bench/run.ts, when present)
 *   node --import tsx bench/decode.bench.ts
 */
import { decodePrewriteValue, encodePrewriteValue } from '@tidb-drainer/core';
import { decodeInsertRow, decodeUtf8, MysqlType } from '@tidb-drainer/core/codec';
import type { ColumnValue, TableInfo } from '@tidb-drainer/core/codec';
import { TableMutationBuilder, makeTable } from '@tidb-drainer/testkit';
import { defineBenchmark, row as benchRow } from './lib.js';

export interface DecodeBenchOptions {
  /** Binlogs per measured pass. */
  readonly binlogs?: number;
  /** Inserted rows per binlog (one table mutation). */
  readonly rowsPerBinlog?: number;
  /** Seconds each measurement runs for (repeated passes, median pass taken). */
  readonly seconds?: number;
}

export interface DecodeBenchResult {
  readonly table: string;
  readonly name: string;
  readonly rowsPerSec: number;
  readonly bytesPerRow: number;
}

const mixed = makeTable({
  name: 'mixed',
  handle: 'handle',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: MysqlType.LongLong },
    { name: 'name', type: MysqlType.Varchar, length: 32 },
    { name: 'email', type: MysqlType.Varchar, length: 64 },
    { name: 'age', type: MysqlType.Long },
    { name: 'balance', type: MysqlType.NewDecimal, length: 12, decimal: 2 },
    { name: 'score', type: MysqlType.Double },
    { name: 'created', type: MysqlType.Datetime, decimal: 3 },
    { name: 'active', type: MysqlType.Tiny },
    { name: 'status', type: MysqlType.Enum, elems: ['new', 'active', 'closed'] },
    { name: 'note', type: MysqlType.Varchar, length: 255 },
  ],
});

const narrow = makeTable({
  name: 'narrow',
  handle: 'handle',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: MysqlType.Long },
    { name: 'v', type: MysqlType.Long },
    { name: 's', type: MysqlType.Varchar, length: 20 },
  ],
});

function mixedRow(i: number): ColumnValue[] {
  return [
    BigInt(i),
    `user_${i}`,
    `user${i}@example.com`,
    BigInt(18 + (i % 60)),
    { kind: 'decimal', text: `${(i * 37) % 100000}.${String(i % 100).padStart(2, '0')}`, precision: 12, scale: 2 },
    (i % 1000) / 7,
    {
      kind: 'time',
      type: 'datetime',
      year: 2023,
      month: 1 + (i % 12),
      day: 1 + (i % 28),
      hour: i % 24,
      minute: i % 60,
      second: (i * 7) % 60,
      microsecond: (i % 1000) * 1000,
      fsp: 3,
    },
    BigInt(i % 2),
    { kind: 'enum', index: 1 + (i % 3), name: ['new', 'active', 'closed'][i % 3]! },
    i % 5 === 0 ? null : `note ${i} — ünïcode ok`,
  ];
}

function narrowRow(i: number): ColumnValue[] {
  return [BigInt(i), BigInt(i * 3), `v${i}`];
}

function binlogs(table: TableInfo, row: (i: number) => ColumnValue[], count: number, perBinlog: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 1;
  for (let b = 0; b < count; b++) {
    const m = new TableMutationBuilder(table);
    for (let k = 0; k < perBinlog; k++) m.insert(row(i++));
    out.push(encodePrewriteValue({ schemaVersion: 1n, mutations: [m.build()] }));
  }
  return out;
}

/**
 * Runs `pass` repeatedly for about `seconds` of wall time; returns the median rows/s over passes, timed in CPU time
 * of this process (user + system) so that other load on a shared machine does not count against us: the figure is
 * rows per second per core.
 */
function measure(seconds: number, rowsPerPass: number, pass: () => number): number {
  for (let w = 0; w < 3; w++) pass(); // warm-up: let the JIT settle before timing
  const rates: number[] = [];
  const until = performance.now() + seconds * 1000;
  let sink = 0;
  while (performance.now() < until || rates.length < 3) {
    const c0 = process.cpuUsage();
    sink += pass();
    const c = process.cpuUsage(c0);
    rates.push(rowsPerPass / ((c.user + c.system) / 1e6));
  }
  if (sink === -1) console.log('unreachable');
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

/** The floor: walk every datum of the rows with a minimal varint / string loop, building nothing but strings. */
function plainLoop(bins: readonly Uint8Array[]): number {
  let acc = 0;
  for (const bin of bins) {
    for (const m of decodePrewriteValue(bin).mutations) {
      for (const row of m.insertedRows) {
        let p = 0;
        while (p < row.length) {
          const flag = row[p++]!;
          if (flag === 0x08 || flag === 0x09) {
            let v = 0;
            let mul = 1;
            for (;;) {
              const b = row[p++]!;
              v += (b & 0x7f) * mul;
              if (b < 0x80) break;
              mul *= 128;
            }
            acc += v;
          } else if (flag === 0x02) {
            let n = 0;
            let mul = 1;
            for (;;) {
              const b = row[p++]!;
              n += (b & 0x7f) * mul;
              if (b < 0x80) break;
              mul *= 128;
            }
            n /= 2;
            acc += decodeUtf8(row, p, p + n).length;
            p += n;
          } else if (flag === 0x05) p += 8;
          else if (flag === 0x06) p += 2 + 6;
          else if (flag !== 0x00) throw new Error(`baseline loop does not handle flag ${flag}`);
        }
        acc++;
      }
    }
  }
  return acc;
}

export function runDecodeBench(options: DecodeBenchOptions = {}): DecodeBenchResult[] {
  const count = options.binlogs ?? 200;
  const perBinlog = options.rowsPerBinlog ?? 100;
  const seconds = options.seconds ?? 2;
  const rowsPerPass = count * perBinlog;
  const ctx = { commitTs: 1n };
  const results: DecodeBenchResult[] = [];
  for (const [table, row] of [
    [mixed, mixedRow],
    [narrow, narrowRow],
  ] as const) {
    const bins = binlogs(table, row, count, perBinlog);
    const bytesPerRow = bins.reduce((n, b) => n + b.length, 0) / rowsPerPass;
    const add = (name: string, rate: number): void => {
      results.push({ table: `${table.name} (${table.columns.length} cols)`, name, rowsPerSec: rate, bytesPerRow });
    };
    add(
      'protobuf decode only',
      measure(seconds, rowsPerPass, () => bins.reduce((n, b) => n + decodePrewriteValue(b).mutations.length, 0)),
    );
    add(
      'plain JS varint/string loop (+protobuf)',
      measure(seconds, rowsPerPass, () => plainLoop(bins)),
    );
    add(
      'full decode (protobuf + rows → model values)',
      measure(seconds, rowsPerPass, () => {
        let n = 0;
        for (const b of bins)
          for (const m of decodePrewriteValue(b).mutations)
            for (const r of m.insertedRows) n += decodeInsertRow(table, r, ctx).length;
        return n;
      }),
    );
    const rows = bins.flatMap((b) => decodePrewriteValue(b).mutations.flatMap((m) => m.insertedRows));
    add(
      'row decode only (rows → model values)',
      measure(seconds, rowsPerPass, () => {
        let n = 0;
        for (const r of rows) n += decodeInsertRow(table, r, ctx).length;
        return n;
      }),
    );
  }
  return results;
}

export function formatDecodeBench(results: readonly DecodeBenchResult[]): string {
  const lines = results.map(
    (r) =>
      `${r.table.padEnd(18)} ${r.name.padEnd(46)} ${(r.rowsPerSec / 1e6).toFixed(2).padStart(6)} M rows/s   (${r.bytesPerRow.toFixed(0)} B/row)`,
  );
  return [
    'decode: rows per CPU-second (one core), median pass; inserted rows of a pk-is-handle table, 100 rows per binlog',
    ...lines,
  ].join('\n');
}

export default defineBenchmark({
  name: 'decode',
  description:
    'Rows per CPU-second (one core) through PrewriteValue protobuf decode + TiDB row decode to model values, for a ' +
    '10-column mixed table and a 3-column narrow table, beside protobuf decode alone and a plain JS varint/string ' +
    'loop over the same rows. Goal: ≥ 1M rows/s/core for the mixed table.',
  run(ctx) {
    const results = runDecodeBench(ctx.quick ? { binlogs: 20, rowsPerBinlog: 50, seconds: 0.2 } : {});
    const find = (table: string, name: string): number =>
      results.find((r) => r.table.startsWith(table) && r.name.startsWith(name))?.rowsPerSec ?? Number.NaN;
    const rows = ['mixed', 'narrow'].flatMap((t) => [
      benchRow(`${t}: protobuf + row decode → model values`, find(t, 'full decode'), 'rows/s', {
        label: 'protobuf decode alone (same binlogs)',
        value: find(t, 'protobuf decode only'),
      }),
      benchRow(`${t}: row decode → model values`, find(t, 'row decode only'), 'rows/s', {
        label: 'plain JS varint/string loop (+protobuf)',
        value: find(t, 'plain JS'),
      }),
    ]);
    const bytes = (t: string): string => (results.find((r) => r.table.startsWith(t))?.bytesPerRow ?? 0).toFixed(0);
    return Promise.resolve({
      rows,
      notes: [
        "rates are rows per CPU-second of this process (user + system, GC threads included): the shared machine's " +
          'other load does not count; median pass after a JIT warm-up',
        `mixed = BIGINT pk-is-handle, 2×VARCHAR, INT, DECIMAL(12,2), DOUBLE, DATETIME(3), TINYINT, ENUM, VARCHAR ` +
          `(20% NULL, non-ASCII); ${bytes('mixed')} B/row. narrow = INT pk, INT, VARCHAR(20); ${bytes('narrow')} B/row`,
        '100 inserted rows per binlog (one TableMutation); protobuf = core/protocol static codec on protobufjs Reader',
      ],
    });
  },
});

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatDecodeBench(runDecodeBench()));
}
