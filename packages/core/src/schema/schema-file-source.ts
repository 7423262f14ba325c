import { readFile, writeFile } from 'node:fs/promises';
import { stringifyJsonLossless } from '../util/lossless-json.js';
import { parseJsonFast } from './fast-lossless-json.js';
import type { DdlJobSource, HistoryCursor } from './ddl-job-source.js';
import { SchemaJsonError } from './schema-errors.js';
import type { TidbJob } from './tidb-json.js';
import { readTidbJob } from './tidb-json.js';

/** The `format` tag of a schema file (see schema-file.md next to this file). */
export const SCHEMA_FILE_FORMAT = 'tidb-drainer-schema-file/v1';

/** Jobs handed out per history page: the file is in memory anyway; this only mirrors the status API's paging. */
const PAGE_SIZE = 256;

/**
 * DDL jobs from a schema file: a JSON document `{ "format": "tidb-drainer-schema-file/v1", "jobs": [Job…] }`, or a
 * bare array of jobs exactly as `GET /ddl/history` returns them. Jobs are TiDB `model.Job` JSON in any order; this
 * source serves them by ascending id. Used by tests and offline restores, where no TiDB is running.
 */
export class SchemaFileSource implements DdlJobSource {
  private readonly jobs: readonly TidbJob[];
  private readonly byId: ReadonlyMap<number, TidbJob>;

  constructor(jobs: readonly TidbJob[]) {
    this.jobs = [...jobs].sort((a, b) => a.id - b.id);
    this.byId = new Map(this.jobs.map((j) => [j.id, j]));
  }

  /** Parses a schema file's text; `file` only names it in errors. */
  static parse(text: string, file = '<schema-file>'): SchemaFileSource {
    let doc: unknown;
    try {
      doc = parseJsonFast(text);
    } catch (err) {
      throw new SchemaJsonError(`schema file is not valid JSON: ${(err as Error).message}`, { path: '$', file });
    }
    let list: unknown;
    if (Array.isArray(doc)) list = doc;
    else if (typeof doc === 'object' && doc !== null) {
      const o = doc as Record<string, unknown>;
      if (o['format'] !== SCHEMA_FILE_FORMAT) {
        throw new SchemaJsonError(`schema file format must be "${SCHEMA_FILE_FORMAT}"`, { path: '$.format', file });
      }
      list = o['jobs'];
    }
    if (!Array.isArray(list)) throw new SchemaJsonError('schema file has no "jobs" array', { path: '$.jobs', file });
    const jobs = list.map((j, i) => {
      try {
        return readTidbJob(j, `$.jobs[${i}]`);
      } catch (err) {
        if (err instanceof SchemaJsonError)
          throw new SchemaJsonError(err.message, { path: String(err.details['path']), file });
        throw err;
      }
    });
    return new SchemaFileSource(jobs);
  }

  static async load(path: string): Promise<SchemaFileSource> {
    return SchemaFileSource.parse(await readFile(path, 'utf8'), path);
  }

  get size(): number {
    return this.jobs.length;
  }

  openHistory(): HistoryCursor {
    let at = 0;
    return {
      next: (signal) => {
        signal.throwIfAborted();
        if (at >= this.jobs.length) return Promise.resolve(undefined);
        const page = this.jobs.slice(at, at + PAGE_SIZE);
        at += page.length;
        return Promise.resolve(page);
      },
    };
  }

  jobById(id: number, signal: AbortSignal): Promise<TidbJob | undefined> {
    signal.throwIfAborted();
    return Promise.resolve(this.byId.get(id));
  }
}

/** Writes jobs (TiDB Job JSON objects, e.g. from `/ddl/history`) as a schema file. */
export async function writeSchemaFile(path: string, jobs: readonly unknown[]): Promise<void> {
  await writeFile(path, `${stringifyJsonLossless({ format: SCHEMA_FILE_FORMAT, jobs }, 2)}\n`);
}
