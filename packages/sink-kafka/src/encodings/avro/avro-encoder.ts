import { SinkError } from '@tidb-drainer/core/sdk';
import type { ColumnValue, CommitTs, DdlEvent, RowChange, RowValues, TableInfo } from '@tidb-drainer/core/sdk';
import { floatText } from '../../format/render-float.js';
import { handleKeyColumnInfos } from '../../format/handle-key.js';
import { storedColumns, TablePlanCache } from '../table-plan-cache.js';
import { plainText, valueText } from '../../format/value-text.js';
import type { EncodedMessage, RowEncoder } from '../row-encoder.js';
import { AvroBinaryWriter, twosComplementBytes, unsignedBytes } from './avro-binary-writer.js';
import { tableAvroSchema, unscaledDecimal } from './avro-table-schema.js';
import type { AvroField, AvroModes, TableAvroSchema } from './avro-table-schema.js';
import type { SchemaRegistryClient } from './schema-registry-client.js';

export interface AvroOptions extends AvroModes {
  readonly enableTidbExtension: boolean;
  readonly clusterName: string;
  readonly zone: string;
}

interface TablePlan {
  readonly key: TableAvroSchema;
  readonly value: TableAvroSchema;
  /** Registered ids per topic: a lookup here avoids hashing the schema text for every row. */
  readonly ids: Map<string, { key: number; value: number }>;
}

const UTF8 = new TextDecoder();

function textOf(v: Exclude<ColumnValue, null>, f: AvroField, zone: string): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return UTF8.decode(v);
  if (typeof v === 'object') {
    if (v.kind === 'enum') return v.name;
    if (v.kind === 'set') return v.names.join(',');
  }
  const t = valueText(f.col, v, zone);
  return typeof t === 'string' ? t : UTF8.decode(t);
}

function asBig(v: Exclude<ColumnValue, null>): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'enum') return BigInt(v.index);
  if (typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'set') return v.mask;
  return 0n;
}

function writeValue(w: AvroBinaryWriter, f: AvroField, v: Exclude<ColumnValue, null>, zone: string): void {
  switch (f.kind) {
    case 'int':
    case 'long':
      w.long(asBig(v));
      return;
    case 'ulong-wrap':
      w.long(BigInt.asIntN(64, asBig(v)));
      return;
    case 'ulong-string':
      w.string(asBig(v).toString());
      return;
    case 'float':
      w.float(typeof v === 'number' && Number.isFinite(v) ? v : 0);
      return;
    case 'double':
      w.double(typeof v === 'number' && Number.isFinite(v) ? v : 0);
      return;
    case 'decimal-bytes':
      w.bytes(twosComplementBytes(unscaledDecimal(typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'decimal' ? v.text : plainText(v), f.scale)));
      return;
    case 'decimal-string':
      w.string(typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'decimal' ? v.text : typeof v === 'number' ? floatText(v, false) : plainText(v));
      return;
    case 'bytes':
      w.bytes(v instanceof Uint8Array ? v : new TextEncoder().encode(textOf(v, f, zone)));
      return;
    case 'bit':
      w.bytes(unsignedBytes(asBig(v)));
      return;
    case 'text':
    case 'enum':
    case 'set':
    case 'string-form':
      w.string(textOf(v, f, zone));
      return;
  }
}

function writeRecord(w: AvroBinaryWriter, s: TableAvroSchema, row: RowValues, zone: string, where: { schema: string; table: string; commitTs: CommitTs }): void {
  for (const f of s.fields) {
    const v = row[f.col.offset];
    if (v === null || v === undefined) {
      if (f.nullBranch === undefined) {
        throw SinkError.fatal('E_AVRO_NULL_IN_NOT_NULL', `NULL in NOT NULL column ${f.col.name} cannot be encoded in Avro`, undefined, { ...where, column: f.col.name });
      }
      w.long(f.nullBranch);
      continue;
    }
    if (f.kind === 'enum' && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'enum' && v.index === 0) {
      throw SinkError.fatal('E_AVRO_INVALID_ENUM', `ENUM error value (index 0) in ${f.col.name} cannot be encoded in Avro (TiCDC fails too)`, undefined, { ...where, column: f.col.name });
    }
    if (f.nullBranch !== undefined) w.long(f.nullBranch === 0 ? 1 : 0);
    writeValue(w, f, v, zone);
  }
}

/**
 * TiCDC's Avro protocol (kafka-encodings §2): Confluent-framed key and value records, schemas registered per
 * topic (`<topic with . → _>-key` / `-value`); deletes are tombstones (value null); DDL and watermarks are not sent.
 * A DDL gives the table a new TableInfo, hence a new schema registered on first use (schema evolution).
 */
export class AvroEncoder implements RowEncoder {
  readonly name = 'avro';
  readonly ddlPlacement = 'none';
  private readonly plans = new TablePlanCache((t, schema, table) => this.buildPlan(t, schema, table));
  /** One growable buffer reused for every record; each message gets an exact-size copy. */
  private readonly scratch = new AvroBinaryWriter();

  constructor(private readonly opts: AvroOptions, private readonly registry: SchemaRegistryClient) {}

  plan(t: TableInfo, schema: string, table: string): TablePlan {
    return this.plans.get(t, schema, table);
  }

  private buildPlan(t: TableInfo, schema: string, table: string): TablePlan {
    const keyCols = handleKeyColumnInfos(t);
    if (keyCols.length === 0) {
      throw SinkError.fatal('E_AVRO_NO_HANDLE_KEY', `table ${schema}.${table} has no primary or not-null unique key; Avro needs one for the message key`, undefined, { schema, table });
    }
    const valueCols = storedColumns(t);
    const o = this.opts;
    return {
      key: tableAvroSchema(schema, table, keyCols, o, o.clusterName, false, o.zone),
      value: tableAvroSchema(schema, table, valueCols, o, o.clusterName, o.enableTidbExtension, o.zone),
      ids: new Map(),
    };
  }

  encodeRow(ch: RowChange, commitTs: CommitTs, topic: string, signal: AbortSignal): EncodedMessage | Promise<EncodedMessage> {
    const plan = this.plan(ch.tableInfo, ch.schema, ch.table);
    const ids = plan.ids.get(topic);
    // Registered already (every row after a table's first): encode synchronously.
    if (ids !== undefined) return this.encodeWith(ch, commitTs, plan, ids.key, ids.value);
    const subject = topic.replaceAll('.', '_');
    return (async () => {
      const key = await this.registry.register(`${subject}-key`, plan.key.text, signal);
      const value = await this.registry.register(`${subject}-value`, plan.value.text, signal);
      plan.ids.set(topic, { key, value });
      return this.encodeWith(ch, commitTs, plan, key, value);
    })();
  }

  private encodeWith(ch: RowChange, commitTs: CommitTs, plan: TablePlan, keyId: number, valueId: number): EncodedMessage {
    const where = { schema: ch.schema, table: ch.table, commitTs };
    const row = ch.op === 'delete' ? ch.before : ch.after;
    const kw = this.scratch.reset().confluentHeader(keyId);
    writeRecord(kw, plan.key, row, this.opts.zone, where);
    const key = kw.finishCopy();
    if (ch.op === 'delete') return { key, value: null };
    const vw = this.scratch.reset().confluentHeader(valueId);
    writeRecord(vw, plan.value, row, this.opts.zone, where);
    if (this.opts.enableTidbExtension) {
      vw.string(ch.op === 'insert' ? 'c' : 'u').long(BigInt.asIntN(64, commitTs)).long(commitTs >> 18n);
    }
    return { key, value: vw.finishCopy() };
  }

  encodeDdl(_ddl: DdlEvent): EncodedMessage | undefined {
    return undefined;
  }

  encodeWatermark(_commitTs: CommitTs): EncodedMessage | undefined {
    return undefined;
  }
}
