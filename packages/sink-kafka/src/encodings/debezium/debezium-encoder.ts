import type { CommitTs, DdlEvent, RowChange, RowValues, TableInfo } from '@tidb-drainer/core/sdk';
import { handleKeyColumnInfos } from '../../format/handle-key.js';
import { storedColumns, TablePlanCache } from '../table-plan-cache.js';
import { jsonString } from '../../format/json-text.js';
import type { EncodedMessage, RowEncoder } from '../row-encoder.js';
import { sanitizeAvroName } from '../avro/avro-table-schema.js';
import { debeziumColumns, debeziumValue } from './debezium-columns.js';
import type { DebeziumColumn } from './debezium-columns.js';

export interface DebeziumOptions {
  /** TiCDC cluster id, used in `source.name`, `cluster_id` and schema names (default `default`). */
  readonly clusterName: string;
  readonly enableTidbExtension: boolean;
  readonly disableSchema: boolean;
  readonly zone: string;
  readonly now?: () => number;
}

const SOURCE_SCHEMA =
  '{"type":"struct","fields":[{"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},' +
  '{"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},' +
  '{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,last,false,incremental"},"default":"false","field":"snapshot"},' +
  '{"type":"string","optional":false,"field":"db"},{"type":"string","optional":true,"field":"sequence"},{"type":"string","optional":true,"field":"table"},' +
  '{"type":"int64","optional":false,"field":"server_id"},{"type":"string","optional":true,"field":"gtid"},{"type":"string","optional":false,"field":"file"},' +
  '{"type":"int64","optional":false,"field":"pos"},{"type":"int32","optional":false,"field":"row"},{"type":"int64","optional":true,"field":"thread"},' +
  '{"type":"string","optional":true,"field":"query"}],"optional":false,"name":"io.debezium.connector.mysql.Source","field":"source"}';
const TAIL_SCHEMA =
  '{"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"},' +
  '{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},{"type":"int64","optional":false,"field":"total_order"},' +
  '{"type":"int64","optional":false,"field":"data_collection_order"}],"optional":true,"name":"event.block","version":1,"field":"transaction"}';

interface Plan {
  readonly keyCols: readonly DebeziumColumn[];
  readonly valueCols: readonly DebeziumColumn[];
  readonly keySchema: string;
  readonly envelopeSchema: string;
  /** `,"schema":<schema>}` (or `}` without schemas), UTF-8, for the key and the value. */
  readonly keyTail: Buffer;
  readonly valueTail: Buffer;
}

/**
 * TiCDC's `debezium` protocol (kafka-encodings §3.2): `{"payload":…,"schema":…}` JSON with the Debezium MySQL
 * envelope, source carrying `commit_ts` and `cluster_id`, no tombstones; key = handle-key columns.
 */
export class DebeziumEncoder implements RowEncoder {
  readonly name = 'debezium';
  readonly ddlPlacement = 'all-partitions';
  private readonly plans = new TablePlanCache((t, schema, table) => this.buildPlan(t, schema, table));
  private readonly now: () => number;

  constructor(private readonly opts: DebeziumOptions) {
    this.now = opts.now ?? Date.now;
  }

  private plan(t: TableInfo, schema: string, table: string): Plan {
    return this.plans.get(t, schema, table);
  }

  private buildPlan(t: TableInfo, schema: string, table: string): Plan {
    const z = this.opts.zone;
    const keyCols = debeziumColumns(handleKeyColumnInfos(t), false, z, true);
    const valueCols = debeziumColumns(storedColumns(t), this.opts.enableTidbExtension, z, false);
    const base = `${sanitizeAvroName(this.opts.clusterName)}.${sanitizeAvroName(schema)}.${table}`;
    const valueStruct = (field: string): string => `{"type":"struct","optional":true,"name":${jsonString(`${base}.Value`)},"field":"${field}","fields":[${valueCols.map((c) => c.schemaJson).join(',')}]}`;
    const keySchema = `{"type":"struct","name":${jsonString(`${base}.Key`)},"optional":false,"fields":[${keyCols.map((c) => c.schemaJson).join(',')}]}`;
    const envelopeSchema = `{"type":"struct","optional":false,"name":${jsonString(`${base}.Envelope`)},"version":1,"fields":[${valueStruct('before')},${valueStruct('after')},${SOURCE_SCHEMA},${TAIL_SCHEMA}]}`;
    const tail = (s: string): Buffer => Buffer.from(this.opts.disableSchema ? '}' : `,"schema":${s}}`, 'utf8');
    return { keyCols, valueCols, keySchema, envelopeSchema, keyTail: tail(keySchema), valueTail: tail(envelopeSchema) };
  }

  private rowJson(cols: readonly DebeziumColumn[], row: RowValues): string {
    const parts: string[] = [];
    for (const c of cols) {
      let v = row[c.col.offset];
      // TiCDC quirk: a NULL column whose definition has a default is written with the default.
      if ((v === null || v === undefined) && c.col.defaultValue !== undefined) v = c.col.defaultValue;
      const text = v === null || v === undefined ? undefined : debeziumValue(c, v, this.opts.zone);
      parts.push(`${jsonString(c.col.name)}:${text ?? 'null'}`);
    }
    return `{${parts.join(',')}}`;
  }

  private source(db: string, table: string, commitTs: CommitTs): string {
    const cluster = jsonString(this.opts.clusterName);
    return (
      `{"version":"2.4.0.Final","connector":"TiCDC","name":${cluster},"ts_ms":${(commitTs >> 18n).toString()},"snapshot":"false",` +
      `"db":${jsonString(db)},"table":${jsonString(table)},"server_id":0,"gtid":null,"file":"","pos":0,"row":0,"thread":0,"query":null,` +
      `"commit_ts":${commitTs.toString()},"cluster_id":${cluster}}`
    );
  }

  private wrap(payload: string, schema: string): Buffer {
    return Buffer.from(this.opts.disableSchema ? `{"payload":${payload}}` : `{"payload":${payload},"schema":${schema}}`, 'utf8');
  }

  /** As `wrap`, with the schema tail pre-encoded once per table (it is most of a row message's bytes). */
  private wrapWithTail(payload: string, tail: Buffer): Buffer {
    const head = `{"payload":${payload}`;
    const headLen = Buffer.byteLength(head, 'utf8');
    const out = Buffer.allocUnsafe(headLen + tail.length);
    out.write(head, 0, 'utf8');
    tail.copy(out, headLen);
    return out;
  }

  encodeRow(ch: RowChange, commitTs: CommitTs): EncodedMessage {
    const p = this.plan(ch.tableInfo, ch.schema, ch.table);
    const keyRow = ch.op === 'delete' ? ch.before : ch.after;
    const key = this.wrapWithTail(this.rowJson(p.keyCols, keyRow), p.keyTail);
    const head = `{"source":${this.source(ch.schema, ch.table, commitTs)},"ts_ms":${this.now()},"transaction":null`;
    let body: string;
    switch (ch.op) {
      case 'insert':
        body = `${head},"op":"c","before":null,"after":${this.rowJson(p.valueCols, ch.after)}}`;
        break;
      case 'update':
        body = `${head},"op":"u","before":${this.rowJson(p.valueCols, ch.before)},"after":${this.rowJson(p.valueCols, ch.after)}}`;
        break;
      case 'delete':
        body = `${head},"op":"d","after":null,"before":${this.rowJson(p.valueCols, ch.before)}}`;
        break;
    }
    return { key, value: this.wrapWithTail(body, p.valueTail) };
  }

  encodeDdl(ddl: DdlEvent): EncodedMessage {
    const keySchema = '{"type":"struct","name":"io.debezium.connector.mysql.SchemaChangeKey","optional":false,"version":1,"fields":[{"field":"databaseName","optional":false,"type":"string"}]}';
    const valueSchema =
      '{"type":"struct","optional":false,"name":"io.debezium.connector.mysql.SchemaChangeValue","version":1,"fields":[' +
      `${SOURCE_SCHEMA},{"type":"int64","optional":true,"field":"ts_ms"},{"type":"string","optional":true,"field":"databaseName"},` +
      '{"type":"string","optional":true,"field":"schemaName"},{"type":"string","optional":true,"field":"ddl"},' +
      '{"type":"array","optional":false,"items":{"type":"struct","optional":false,"fields":[]},"field":"tableChanges"}]}';
    const payload =
      `{"source":${this.source(ddl.schema, ddl.table ?? '', ddl.commitTs)},"ts_ms":${this.now()},"databaseName":${jsonString(ddl.schema)},` +
      `"schemaName":null,"ddl":${jsonString(ddl.query)},"tableChanges":[]}`;
    return { key: this.wrap(`{"databaseName":${jsonString(ddl.schema)}}`, keySchema), value: this.wrap(payload, valueSchema) };
  }

  encodeWatermark(commitTs: CommitTs): EncodedMessage | undefined {
    if (!this.opts.enableTidbExtension) return undefined;
    const base = sanitizeAvroName(this.opts.clusterName);
    const key = this.wrap('{}', `{"type":"struct","name":"${base}.watermark.Key","optional":false,"fields":[]}`);
    const value = this.wrap(
      `{"source":${this.source('', '', commitTs)},"ts_ms":${this.now()},"transaction":null,"op":"m"}`,
      `{"type":"struct","optional":false,"name":"${base}.watermark.Envelope","version":1,"fields":[${SOURCE_SCHEMA},${TAIL_SCHEMA}]}`,
    );
    return { key, value };
  }
}
