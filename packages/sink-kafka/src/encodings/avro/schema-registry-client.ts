import { AbortedError, SinkError } from '@tidb-drainer/core/sdk';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * A Confluent-compatible schema registry over its REST API (Confluent, or Apicurio's ccompat API at
 * `/apis/ccompat/v7`). `baseUrl` is the API root.
 */
export class SchemaRegistryClient {
  private readonly base: string;
  private readonly ids = new Map<string, Promise<number>>();

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /**
   * Registers `schema` under `subject` and returns its id (the registry returns the existing id for an identical
   * schema). Cached per (subject, schema text), so each table version is registered once per run.
   */
  register(subject: string, schema: string, signal: AbortSignal): Promise<number> {
    const key = `${subject}\u0000${schema}`;
    let p = this.ids.get(key);
    if (p === undefined) {
      p = this.post(subject, schema, signal);
      this.ids.set(key, p);
      p.catch(() => this.ids.delete(key));
    }
    return p;
  }

  private async post(subject: string, schema: string, signal: AbortSignal): Promise<number> {
    const url = `${this.base}/subjects/${encodeURIComponent(subject)}/versions`;
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE }, body: JSON.stringify({ schema }), signal });
    } catch (err) {
      if (signal.aborted) throw new AbortedError('schema registration', err);
      throw SinkError.retryable('E_SCHEMA_REGISTRY_UNAVAILABLE', `schema registry ${this.base} unreachable registering ${subject}`, err, { subject });
    }
    const body = await res.text();
    if (res.ok) {
      const id = (JSON.parse(body) as { id?: unknown }).id;
      if (typeof id !== 'number') throw SinkError.fatal('E_SCHEMA_REGISTRY_PROTOCOL', `schema registry returned no id for ${subject}`, undefined, { subject });
      return id;
    }
    const details = { subject, status: res.status, registryError: body.slice(0, 500) };
    // 409 = incompatible with the subject's compatibility level, 422 = invalid schema: resending cannot help.
    if (res.status === 409) throw SinkError.fatal('E_SCHEMA_INCOMPATIBLE', `schema for ${subject} is incompatible with the registered versions`, undefined, details);
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      throw SinkError.fatal('E_SCHEMA_REGISTRY_REJECTED', `schema registry rejected ${subject} (HTTP ${res.status})`, undefined, details);
    }
    throw SinkError.retryable('E_SCHEMA_REGISTRY_UNAVAILABLE', `schema registry error registering ${subject} (HTTP ${res.status})`, undefined, details);
  }
}
