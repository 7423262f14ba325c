import { DecodeError } from '../errors/drainer-error.js';
import type { TableInfo } from '../model/table-info.js';
import type { ColumnValue, RowValues } from '../model/values.js';
import { readColumnValue } from './column-value.js';
import { DatumCursor } from './datum-cursor.js';
import { DatumFlag } from './datum-flag.js';
import { skipDatum } from './datum.js';
import { defaultOrZeroValue } from './default-value.js';
import { columnPlanById, tablePlan } from './table-plan.js';
import type { TablePlan } from './table-plan.js';

/**
 * Where the row comes from, for error details, and the schema facts the caller (the binlog decoder) knows. Create
 * one per mutation or per binlog, not per row.
 */
export interface RowDecodeContext {
  readonly commitTs?: bigint;
  readonly pump?: string;
  /**
   * `pinfo` (spec §9.4): the table at the binlog's schema version. Its column definitions (origin default,
   * nullability) give the value of columns absent from a row (§9.3). Defaults to the table being decoded.
   */
  readonly pinfo?: TableInfo;
  /**
   * `CanAppendDefaultValue` (§9.4): true when the table is mid DROP COLUMN or the row predates a later DDL of the
   * table. Only then may an update row lack columns (they get §9.3 defaults in both halves); otherwise a missing
   * column in an update is a DecodeError, as in the real drainer. Inserts always get defaults.
   */
  readonly appendDefaults?: boolean;
}

/** Old and new values of an `updated_rows` entry. */
export interface DecodedUpdate {
  readonly before: RowValues;
  readonly after: RowValues;
}

/** Column id TiDB uses for the hidden `_tidb_rowid` handle in update/delete rows. */
export const EXTRA_HANDLE_ID = -1;

// Decoding is synchronous and never re-entered: one cursor serves every row.
const cur = new DatumCursor();

/**
 * Decodes an `inserted_rows` entry (spec §2.1, §9.1): handle prefix (1 int datum, or one datum per clustered PK
 * column), then the old-format row. Returns every column by offset: values from the row, the handle column(s)
 * from the prefix, and the rest filled per §9.3 (origin default / NULL / zero).
 */
export function decodeInsertRow(table: TableInfo, bytes: Uint8Array, ctx: RowDecodeContext): RowValues {
  const plan = tablePlan(table);
  const values: (ColumnValue | undefined)[] = new Array<ColumnValue | undefined>(plan.columns.length);
  let present = 0;
  try {
    cur.reset(bytes);
    const pkCount = plan.clusteredPk.length;
    let handle: ColumnValue = null;
    let keyValues: ColumnValue[] | undefined;
    if (table.isCommonHandle && pkCount > 0) {
      keyValues = new Array<ColumnValue>(pkCount);
      for (let i = 0; i < pkCount; i++) {
        const cp = plan.clusteredPk[i]!;
        lastColumnId = cp.column.id;
        keyValues[i] = readColumnValue(cur, cp);
      }
    } else if (plan.handleColumn !== undefined) {
      lastColumnId = plan.handleColumn.column.id;
      handle = readColumnValue(cur, plan.handleColumn);
    } else {
      lastColumnId = EXTRA_HANDLE_ID;
      const at = cur.pos;
      const flag = cur.byte();
      if (flag !== DatumFlag.Varint && flag !== DatumFlag.Int)
        cur.fail(`row handle has flag 0x${flag.toString(16)}, want an int`, at);
      cur.pos = at;
      skipDatum(cur);
    }
    present = readPairs(plan, values, undefined, 0);
    if (keyValues !== undefined) {
      for (let i = 0; i < pkCount; i++) {
        const cp = plan.clusteredPk[i]!;
        if (plan.clusteredPkFull[i] && values[cp.offset] === undefined) {
          values[cp.offset] = keyValues[i]!;
          present++;
        }
      }
    } else if (plan.handleColumn !== undefined) {
      if (values[plan.handleColumn.offset] === undefined) present++;
      values[plan.handleColumn.offset] = handle;
    }
  } catch (e) {
    throw enrich(e, table, ctx, lastColumnId);
  }
  if (present < plan.columns.length) fillMissing(plan, values, ctx, false);
  return values;
}

/**
 * Decodes an `updated_rows` entry (spec §2.2, §9.2): two old-format rows with the same column list concatenated;
 * the first sighting of a column id is the old value, the second the new one. Unknown ids (including −1,
 * `_tidb_rowid`) are skipped. Columns absent from both halves stay `undefined`, unless `ctx.appendDefaults`
 * fills them (see {@link RowDecodeContext}); a non-generated column absent without `appendDefaults` is an error.
 */
export function decodeUpdateRow(table: TableInfo, bytes: Uint8Array, ctx: RowDecodeContext): DecodedUpdate {
  const plan = tablePlan(table);
  const n = plan.columns.length;
  const before: (ColumnValue | undefined)[] = new Array<ColumnValue | undefined>(n);
  const after: (ColumnValue | undefined)[] = new Array<ColumnValue | undefined>(n);
  try {
    cur.reset(bytes);
    const taken = readPairs(plan, before, after, 2 * n);
    if (taken % 2 !== 0 || !sameColumns(before, after)) {
      cur.fail('row data is corrupted: old and new halves of the update list different columns', cur.end);
    }
  } catch (e) {
    throw enrich(e, table, ctx, lastColumnId);
  }
  if (ctx.appendDefaults) {
    fillMissing(plan, before, ctx, true);
    fillMissing(plan, after, ctx, true);
  } else {
    for (const cp of plan.columns) {
      if (before[cp.offset] === undefined && !cp.column.generated) {
        throw enrich(
          new DecodeError(`update row lacks column ${cp.column.name} and the schema allows no default for it`, {
            offset: bytes.length,
          }),
          table,
          ctx,
          cp.column.id,
        );
      }
    }
  }
  return { before, after };
}

/**
 * Decodes a `deleted_rows` entry (spec §2.3): an old-format row without handle prefix. Columns not present stay
 * `undefined` (the drainer uses only present columns for deletes).
 */
export function decodeDeleteRow(table: TableInfo, bytes: Uint8Array, ctx: RowDecodeContext): RowValues {
  const plan = tablePlan(table);
  const values: (ColumnValue | undefined)[] = new Array<ColumnValue | undefined>(plan.columns.length);
  try {
    cur.reset(bytes);
    readPairs(plan, values, undefined, 0);
  } catch (e) {
    throw enrich(e, table, ctx, lastColumnId);
  }
  return values;
}

/** Id of the column whose datum was being read when an error struck (0 = none / between columns). */
let lastColumnId = 0;

/**
 * Reads `(id, value)` pairs to the end of the cursor. With `second` set (updates), a repeated id goes there;
 * stops after `limit` values when `limit` > 0. A row that is exactly `00` has no columns. Returns values taken.
 */
function readPairs(
  plan: TablePlan,
  first: (ColumnValue | undefined)[],
  second: (ColumnValue | undefined)[] | undefined,
  limit: number,
): number {
  lastColumnId = 0;
  if (cur.remaining === 1 && cur.buf[cur.pos] === DatumFlag.Nil) {
    cur.pos++;
    return 0;
  }
  let taken = 0;
  while (cur.pos < cur.end) {
    const at = cur.pos;
    let id: number;
    const b1 = at + 1 < cur.end ? cur.buf[at + 1]! : 0x80;
    if (cur.buf[at] === DatumFlag.Varint && b1 < 0x80) {
      // Column ids below 64 (nearly all) are a 2-byte datum: decode the zig-zag byte in place.
      id = (b1 >>> 1) ^ -(b1 & 1);
      cur.pos = at + 2;
    } else {
      const idFlag = cur.byte();
      if (idFlag === DatumFlag.Varint) id = cur.varintNumber();
      else if (idFlag === DatumFlag.Int) id = Number(cur.comparableInt64());
      else return cur.fail(`column id datum has flag 0x${idFlag.toString(16)}, want an int`, at);
    }
    lastColumnId = id;
    const cp = columnPlanById(plan, id);
    if (cp === undefined) {
      skipDatum(cur);
      continue;
    }
    let target = first;
    if (first[cp.offset] !== undefined) {
      if (second === undefined || second[cp.offset] !== undefined)
        return cur.fail(`column id ${id} repeated in row`, at);
      target = second;
    }
    target[cp.offset] = readColumnValue(cur, cp);
    lastColumnId = 0;
    if (++taken === limit) break;
  }
  return taken;
}

function sameColumns(a: readonly (ColumnValue | undefined)[], b: readonly (ColumnValue | undefined)[]): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] === undefined) !== (b[i] === undefined)) return false;
  return true;
}

/** Fills absent columns per §9.3 from `pinfo`'s definition of the column (by id), else the table's own. */
function fillMissing(
  plan: TablePlan,
  values: (ColumnValue | undefined)[],
  ctx: RowDecodeContext,
  skipGenerated: boolean,
): void {
  const pplan = ctx.pinfo !== undefined && ctx.pinfo !== plan.table ? tablePlan(ctx.pinfo) : plan;
  for (const cp of plan.columns) {
    if (values[cp.offset] !== undefined || (skipGenerated && cp.column.generated)) continue;
    const def = columnPlanById(pplan, cp.column.id)?.column ?? cp.column;
    values[cp.offset] = defaultOrZeroValue(def);
  }
}

function enrich(e: unknown, table: TableInfo, ctx: RowDecodeContext, columnId: number): unknown {
  if (!(e instanceof DecodeError)) return e;
  const column = columnId !== 0 ? columnPlanById(tablePlan(table), columnId)?.column.name : undefined;
  const offset = typeof e.details['offset'] === 'number' ? e.details['offset'] : undefined;
  return new DecodeError(
    `${e.message} (table ${table.schema}.${table.name}${columnId !== 0 ? `, column id ${columnId}` : ''}${offset !== undefined ? `, byte ${offset}` : ''})`,
    {
      commitTs: ctx.commitTs,
      schema: table.schema,
      table: table.name,
      tableId: table.id,
      ...(columnId !== 0 ? { columnId } : {}),
      ...(column !== undefined ? { column } : {}),
      ...(offset !== undefined ? { offset } : {}),
      ...(ctx.pump !== undefined ? { pump: ctx.pump } : {}),
    },
    e,
  );
}
