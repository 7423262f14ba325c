import { valueText } from '@tidb-drainer/core/sdk';
import type { DdlEvent, RowChange, RowValues, TableInfo, Txn } from '@tidb-drainer/core/sdk';

/** A row by column name in MySQL text form (`valueText`: DECIMAL digits kept, binary as hex); NULL is `null`. */
export type WebhookRow = Record<string, string | null>;

/**
 * One event of a request body. `id` is the idempotency key of the event: `<commitTs>-<index of the change in its
 * transaction>` (`<commitTs>-ddl` for a DDL). It is the same on every resend and every replay after a restart, so
 * a receiver that remembers the ids it applied can ignore duplicates.
 */
export type WebhookEvent =
  | {
      readonly id: string;
      readonly type: 'insert' | 'update' | 'delete';
      /** Decimal string: TSOs do not fit a JSON number. */
      readonly commitTs: string;
      readonly schema: string;
      readonly table: string;
      readonly before?: WebhookRow;
      readonly after?: WebhookRow;
    }
  | {
      readonly id: string;
      readonly type: 'ddl';
      readonly commitTs: string;
      readonly schema: string;
      readonly table?: string;
      readonly query: string;
    };

/** The JSON body of every POST: `{"events":[…]}` (a ping has no events). */
export interface WebhookBody {
  readonly events: readonly WebhookEvent[];
}

function row(table: TableInfo, values: RowValues): WebhookRow {
  const out: WebhookRow = {};
  table.columns.forEach((c, i) => {
    const v = values[i];
    // Absent (undefined) columns were not in the binlog: leave them out rather than claim NULL.
    if (v !== undefined) out[c.name] = valueText(v);
  });
  return out;
}

function rowEvent(commitTs: string, index: number, c: RowChange): WebhookEvent {
  const base = { id: `${commitTs}-${index}`, commitTs, schema: c.schema, table: c.table };
  switch (c.op) {
    case 'insert':
      return { ...base, type: 'insert', after: row(c.tableInfo, c.after) };
    case 'update':
      return { ...base, type: 'update', before: row(c.tableInfo, c.before), after: row(c.tableInfo, c.after) };
    case 'delete':
      return { ...base, type: 'delete', before: row(c.tableInfo, c.before) };
  }
}

/** The events of one transaction, each already serialised (the splitter measures bytes without re-encoding). */
export function txnEvents(txn: Txn): { readonly ids: readonly string[]; readonly json: readonly string[] } {
  const ts = txn.commitTs.toString();
  const events = txn.changes.map((c, i) => rowEvent(ts, i, c));
  return { ids: events.map((e) => e.id), json: events.map((e) => JSON.stringify(e)) };
}

export function ddlEvent(ddl: DdlEvent): WebhookEvent {
  const ts = ddl.commitTs.toString();
  return {
    id: `${ts}-ddl`,
    type: 'ddl',
    commitTs: ts,
    schema: ddl.schema,
    ...(ddl.table === undefined || ddl.table === '' ? {} : { table: ddl.table }),
    query: ddl.query,
  };
}

/** One HTTP request's worth of events: the body and its idempotency key (`<first id>..<last id>`). */
export interface WebhookRequest {
  readonly body: string;
  readonly key: string;
  readonly events: number;
}

function request(ids: readonly string[], json: readonly string[]): WebhookRequest {
  return {
    body: `{"events":[${json.join(',')}]}`,
    key: `${ids[0] ?? ''}..${ids[ids.length - 1] ?? ''}`,
    events: json.length,
  };
}

/**
 * Splits a batch into requests of at most `maxEvents` events and `maxBytes` body bytes, cutting only between
 * transactions (a transaction larger than the limits goes alone in one request). Deterministic: resending the same
 * batch yields the same requests with the same keys.
 */
export function splitRequests(txns: readonly Txn[], maxEvents: number, maxBytes: number): WebhookRequest[] {
  const out: WebhookRequest[] = [];
  let ids: string[] = [];
  let json: string[] = [];
  let bytes = 0;
  for (const txn of txns) {
    const e = txnEvents(txn);
    if (e.json.length === 0) continue;
    const size = e.json.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);
    if (json.length > 0 && (json.length + e.json.length > maxEvents || bytes + size > maxBytes)) {
      out.push(request(ids, json));
      ids = [];
      json = [];
      bytes = 0;
    }
    ids.push(...e.ids);
    json.push(...e.json);
    bytes += size;
  }
  if (json.length > 0) out.push(request(ids, json));
  return out;
}
