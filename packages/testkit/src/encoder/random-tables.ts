import fc from 'fast-check';
import { BINARY_CHARSET, MysqlType } from '@tidb-drainer/core/codec';
import type { ColumnValue, JsonNode, TableInfo, TimeValue } from '@tidb-drainer/core/codec';
import { formatJsonNode } from '@tidb-drainer/core/codec';
import type { ColumnSpec } from './table-model.js';
import { makeTable } from './table-model.js';

/**
 * fast-check generators of random table schemas (every column type TiDB 7.1 supports, NULLability, defaults,
 * generated columns; pk-is-handle, clustered and `_tidb_rowid` handles) and of rows of values in the canonical
 * form the decoder returns (extremes included). Used by the round-trip and fuzz tests and by workloads.
 */

const INT_RANGES: Record<number, readonly [bigint, bigint, bigint]> = {
  [MysqlType.Tiny]: [-128n, 127n, 255n],
  [MysqlType.Short]: [-32768n, 32767n, 65535n],
  [MysqlType.Int24]: [-8388608n, 8388607n, 16777215n],
  [MysqlType.Long]: [-2147483648n, 2147483647n, 4294967295n],
  [MysqlType.LongLong]: [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 64n - 1n],
};

const colName = (i: number): string => `c${i}`;

const intSpec = fc.record({
  type: fc.constantFrom(MysqlType.Tiny, MysqlType.Short, MysqlType.Int24, MysqlType.Long, MysqlType.LongLong),
  unsigned: fc.boolean(),
});
const stringSpec = fc.oneof(
  fc.record({
    type: fc.constant(MysqlType.Varchar),
    length: fc.integer({ min: 1, max: 40 }),
    collation: fc.constantFrom('utf8mb4_bin', 'utf8mb4_general_ci'),
  }),
  fc.record({
    type: fc.constant(MysqlType.String),
    length: fc.integer({ min: 1, max: 20 }),
    collation: fc.constantFrom('utf8mb4_bin', 'utf8mb4_general_ci'),
  }),
  fc.record({ type: fc.constantFrom(MysqlType.Blob, MysqlType.MediumBlob), collation: fc.constant('utf8mb4_bin') }),
);
const binarySpec = fc.oneof(
  fc.record({
    type: fc.constant(MysqlType.String),
    length: fc.integer({ min: 1, max: 16 }),
    charset: fc.constant(BINARY_CHARSET),
  }),
  fc.record({
    type: fc.constantFrom(MysqlType.Varchar, MysqlType.Blob, MysqlType.LongBlob),
    length: fc.constant(64),
    charset: fc.constant(BINARY_CHARSET),
  }),
);
const decimalSpec = fc.integer({ min: 1, max: 65 }).chain((length) =>
  fc.record({
    type: fc.constant(MysqlType.NewDecimal),
    length: fc.constant(length),
    decimal: fc.integer({ min: 0, max: Math.min(30, length) }),
  }),
);
const timeSpec = fc.record({
  type: fc.constantFrom(MysqlType.Date, MysqlType.Datetime, MysqlType.Timestamp, MysqlType.Duration),
  decimal: fc.integer({ min: 0, max: 6 }),
});
const elems = fc.uniqueArray(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((s) => !s.includes(',')),
  {
    minLength: 1,
    maxLength: 64,
    comparator: (a, b) => a.toLowerCase() === b.toLowerCase(),
  },
);
const otherSpec = fc.oneof(
  fc.record({ type: fc.constantFrom(MysqlType.Float, MysqlType.Double, MysqlType.Year, MysqlType.Json) }),
  fc.record({ type: fc.constant(MysqlType.Bit), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ type: fc.constant(MysqlType.Enum), elems }),
  fc.record({ type: fc.constant(MysqlType.Set), elems }),
);

/** A column type (without name/attributes). */
export const arbColumnType: fc.Arbitrary<Omit<ColumnSpec, 'name'>> = fc.oneof(
  intSpec,
  stringSpec,
  binarySpec,
  decimalSpec,
  timeSpec,
  otherSpec,
);

/** Column types allowed in a clustered primary key (no JSON/BLOB-without-prefix/FLOAT oddities needed). */
const arbPkType: fc.Arbitrary<Omit<ColumnSpec, 'name'>> = fc.oneof(
  intSpec,
  fc.record({
    type: fc.constant(MysqlType.Varchar),
    length: fc.integer({ min: 1, max: 20 }),
    collation: fc.constantFrom('utf8mb4_bin', 'utf8mb4_general_ci'),
  }),
  fc.record({
    type: fc.constant(MysqlType.String),
    length: fc.integer({ min: 1, max: 10 }),
    collation: fc.constant('utf8mb4_bin'),
  }),
  fc.record({ type: fc.constant(MysqlType.Varchar), length: fc.constant(16), charset: fc.constant(BINARY_CHARSET) }),
  decimalSpec,
  timeSpec,
);

export type HandleKind = 'handle' | 'clustered' | 'rowid';

/** A random table: 1–12 columns, some nullable / with defaults / generated, and a handle kind. */
export const arbTable: fc.Arbitrary<TableInfo> = fc
  .record({
    handle: fc.constantFrom<HandleKind>('handle', 'clustered', 'rowid'),
    cols: fc.array(
      fc.record({
        t: arbColumnType,
        nullable: fc.boolean(),
        withDefault: fc.boolean(),
        gen: fc.constantFrom('no', 'no', 'no', 'virtual', 'stored'),
      }),
      {
        minLength: 0,
        maxLength: 11,
      },
    ),
    pk: fc.array(fc.record({ t: arbPkType, prefix: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    handleType: intSpec,
    id: fc.integer({ min: 1, max: 2 ** 40 }),
    idStart: fc.constantFrom(1, 1, 5000),
  })
  .map(({ handle, cols, pk, handleType, id, idStart }) => {
    const specs: ColumnSpec[] = [];
    const primaryKey: (string | { name: string; length: number })[] = [];
    if (handle === 'handle') {
      specs.push({ name: 'pk', ...handleType });
      primaryKey.push('pk');
    } else if (handle === 'clustered') {
      pk.forEach((p, i) => {
        const name = `pk${i}`;
        specs.push({ name, ...p.t });
        const isString = p.t.type === MysqlType.Varchar || p.t.type === MysqlType.String;
        primaryKey.push(isString && p.prefix ? { name, length: 2 } : name);
      });
    }
    cols.forEach((c, i) => {
      const spec: ColumnSpec = {
        name: colName(i),
        ...c.t,
        nullable: c.gen !== 'no' ? true : c.nullable,
        ...(c.gen !== 'no' ? { generated: true, generatedStored: c.gen === 'stored', generatedExpr: '1' } : {}),
      };
      specs.push(spec);
    });
    const table = makeTable({
      id,
      name: 'rt',
      columns: specs.map((s, i) => ({ ...s, id: idStart + i })),
      primaryKey,
      handle,
    });
    // Defaults are attached after the fact so they can be generated from the final column definitions.
    return {
      table,
      withDefault: [
        ...(handle === 'rowid' ? [] : primaryKey.map(() => false)),
        ...cols.map((c) => c.withDefault && c.gen === 'no'),
      ],
    };
  })
  .chain(({ table, withDefault }) =>
    fc
      .tuple(
        ...table.columns.map((c, i) =>
          withDefault[i] ? arbValue(table, i, false).map((v) => v) : fc.constant(undefined),
        ),
      )
      .map((defaults) => ({
        ...table,
        columns: table.columns.map((c, i) =>
          defaults[i] !== undefined && defaults[i] !== null ? { ...c, defaultValue: defaults[i] } : c,
        ),
      })),
  );

const ts = (type: TimeValue['type'], fsp: number): fc.Arbitrary<TimeValue> =>
  fc.oneof(
    {
      weight: 1,
      arbitrary: fc.constant({
        kind: 'time',
        type,
        year: 0,
        month: 0,
        day: 0,
        hour: 0,
        minute: 0,
        second: 0,
        microsecond: 0,
        fsp,
      } satisfies TimeValue),
    },
    {
      weight: 6,
      arbitrary: fc
        .record({
          year: type === 'timestamp' ? fc.integer({ min: 1970, max: 2037 }) : fc.integer({ min: 0, max: 9999 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 28 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.integer({ min: 0, max: 59 }),
          micro: fc.integer({ min: 0, max: 999999 }),
        })
        .map((r) => {
          const unit = 10 ** (6 - fsp);
          const timePart =
            type === 'date'
              ? { hour: 0, minute: 0, second: 0, microsecond: 0 }
              : { hour: r.hour, minute: r.minute, second: r.second, microsecond: Math.floor(r.micro / unit) * unit };
          return { kind: 'time', type, year: r.year, month: r.month, day: r.day, ...timePart, fsp } satisfies TimeValue;
        }),
    },
  );

const MAX_TIME_MICROS = 838n * 3600n * 1_000_000n + 59n * 60_000_000n + 59_999_999n;

const jsonKey = fc.string({ unit: 'grapheme', maxLength: 8 });
/** Nested JSON trees: int64/uint64 as bigint, doubles, 4-byte UTF-8 strings, nested arrays/objects. */
export const arbJson: fc.Arbitrary<JsonNode> = fc.letrec<{ node: JsonNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(jsonKey, tie('node'), { maxKeys: 4 }),
  ),
})).node;

/** A random value for column `i` of `table` in decoder-canonical form (`null` only when allowed). */
export function arbValue(table: TableInfo, i: number, allowNull = true): fc.Arbitrary<ColumnValue> {
  const col = table.columns[i]!;
  const v = arbNonNull(table, i);
  return allowNull && col.nullable
    ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: v })
    : v;
}

function arbNonNull(table: TableInfo, i: number): fc.Arbitrary<ColumnValue> {
  const col = table.columns[i]!;
  const fsp = Math.max(col.decimal, 0);
  switch (col.type) {
    case MysqlType.Tiny:
    case MysqlType.Short:
    case MysqlType.Int24:
    case MysqlType.Long:
    case MysqlType.LongLong: {
      const [min, max, umax] = INT_RANGES[col.type]!;
      return col.unsigned
        ? fc.oneof(fc.constantFrom(0n, umax), fc.bigInt({ min: 0n, max: umax }))
        : fc.oneof(fc.constantFrom(min, max, 0n, -1n), fc.bigInt({ min, max }));
    }
    case MysqlType.Year:
      return fc.oneof(fc.constant(0n), fc.bigInt({ min: 1901n, max: 2155n }));
    case MysqlType.Bit:
      return fc.bigInt({ min: 0n, max: 2n ** BigInt(col.length) - 1n });
    case MysqlType.Float:
      return fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : Math.fround(x)));
    case MysqlType.Double:
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case MysqlType.NewDecimal: {
      const scale = col.decimal;
      const intg = col.length - scale;
      return fc
        .record({
          neg: fc.boolean(),
          int: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: intg }),
          frac: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: scale, maxLength: scale }),
          max: fc.boolean(),
        })
        .map(({ neg, int, frac, max }) => {
          const intPart = max ? '9'.repeat(intg) : int;
          const fracPart = max ? '9'.repeat(scale) : frac;
          const intText = intPart.replace(/^0+/, '') || '0';
          const body = scale > 0 ? `${intText}.${fracPart}` : intText;
          const zero = /^[0.]*$/.test(body);
          return { kind: 'decimal', text: neg && !zero ? '-' + body : body, precision: col.length, scale } as const;
        });
    }
    case MysqlType.Date:
      return ts('date', 0);
    case MysqlType.Datetime:
      return ts('datetime', fsp);
    case MysqlType.Timestamp:
      return ts('timestamp', fsp);
    case MysqlType.Duration: {
      const unit = 10n ** BigInt(6 - fsp);
      return fc
        .oneof(
          fc.constantFrom(-MAX_TIME_MICROS, MAX_TIME_MICROS, 0n),
          fc.bigInt({ min: -MAX_TIME_MICROS, max: MAX_TIME_MICROS }),
        )
        .map((us) => ({
          kind: 'duration',
          nanos: (us / unit) * unit * 1000n,
          fsp,
        }));
    }
    case MysqlType.Enum:
      return fc
        .integer({ min: 0, max: col.elems.length })
        .map((index) => ({ kind: 'enum', index, name: index === 0 ? '' : col.elems[index - 1]! }));
    case MysqlType.Set:
      return fc.array(fc.boolean(), { minLength: col.elems.length, maxLength: col.elems.length }).map((bits) => ({
        kind: 'set',
        mask: bits.reduce((m, b, k) => (b ? m | (1n << BigInt(k)) : m), 0n),
        names: col.elems.filter((_, k) => bits[k]),
      }));
    case MysqlType.Json:
      return arbJson.map((value) => ({ kind: 'json', value, text: formatJsonNode(value) }));
    default:
      break;
  }
  if (col.charset === BINARY_CHARSET) {
    if (col.type === MysqlType.String) return fc.uint8Array({ minLength: col.length, maxLength: col.length });
    return fc.uint8Array({ maxLength: 40 });
  }
  const max = col.length > 0 ? col.length : 60;
  const s = fc.string({
    unit: fc.oneof(fc.constantFrom('a', ' ', 'é', '中', '😀', '\u0000'), fc.constant('z')),
    maxLength: max,
  });
  // CHAR drops trailing spaces at insert (TiDB `truncateTrailingSpaces`): generate values that already did.
  return col.type === MysqlType.String ? s.map((x) => x.replace(/ +$/, '')) : s;
}

/** A full row for `table`. */
export function arbRow(table: TableInfo): fc.Arbitrary<ColumnValue[]> {
  return fc.tuple(...table.columns.map((_, i) => arbValue(table, i)));
}
