import { SinkError } from '@tidb-drainer/core/sdk';
import type { DdlEvent, SinkContext } from '@tidb-drainer/core/sdk';
import type { Downstream } from '../connection/downstream.js';
import { quoteIdentifier } from '../sql/quote-identifier.js';
import { driverErrorInfo, IGNORABLE_DDL_ERRNOS, MysqlErrorCode, toSinkError } from './classify-error.js';

/** TiDB's ActionCreateSchema: runs without `USE` (the database does not exist yet). */
const ACTION_CREATE_SCHEMA = 1;
const CREATE_DATABASE = /^\s*create\s+(database|schema)\b/i;
/** `ALTER TABLE … SET TIFLASH REPLICA n`: TiDB-only; any error from it is ignored (spec §8.2). */
const TIFLASH_REPLICA = /^\s*alter\s+table\s+\S+\s+set\s+tiflash\s+replica\b/i;

export type DdlOutcome = 'applied' | 'ignored';

/**
 * Executes one DDL as the Go drainer does (spec §8.2): on its own session with the configured sql_mode,
 * ``USE `db` `` first unless it creates a database, then the binlog's DDL text. Errors saying the object already
 * exists / does not exist (1007, 1008, 1049, 1050, 1051, 1146, 1054, 1060, 1061, 1091, 1176, 1831) are ignored —
 * at once, not after five 1 s retries as in Go, since repeating cannot change them. Retryable driver errors reject
 * with a retryable SinkError, others with a fatal one naming schema, table and commit ts.
 */
export async function applyDdl(
  downstream: Downstream,
  ddl: DdlEvent,
  options: { readonly signal: AbortSignal; readonly timeoutMs: number; readonly logger: SinkContext['logger'] },
): Promise<DdlOutcome> {
  const where = { what: 'DDL', schema: ddl.schema, table: ddl.table, commitTs: ddl.commitTs };
  if (ddl.schema === '') {
    throw SinkError.fatal(MysqlErrorCode.Ddl, `DDL at commit ts ${ddl.commitTs.toString()} has no database`, undefined, { commitTs: ddl.commitTs, jobId: ddl.jobId });
  }
  let conn;
  try {
    conn = await downstream.ddlConnection();
  } catch (err) {
    throw toSinkError(err, { ...where, what: 'connect for DDL' }, options.signal, MysqlErrorCode.Connect);
  }
  const onAbort = (): void => conn.destroy();
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (ddl.jobType !== ACTION_CREATE_SCHEMA && !CREATE_DATABASE.test(ddl.query)) {
      await conn.query({ sql: `USE ${quoteIdentifier(ddl.schema)}`, timeout: options.timeoutMs });
    }
    await conn.query({ sql: ddl.query, timeout: options.timeoutMs });
    return 'applied';
  } catch (err) {
    const info = driverErrorInfo(err);
    const ignorable = (info.errno !== undefined && IGNORABLE_DDL_ERRNOS.has(info.errno)) || TIFLASH_REPLICA.test(ddl.query);
    if (ignorable && !options.signal.aborted && !info.fatal) {
      options.logger.warn({ commitTs: ddl.commitTs.toString(), schema: ddl.schema, table: ddl.table, errno: info.errno }, 'ignored DDL error');
      return 'ignored';
    }
    throw toSinkError(err, where, options.signal, MysqlErrorCode.Ddl);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    try {
      await conn.end();
    } catch {
      conn.destroy();
    }
  }
}
