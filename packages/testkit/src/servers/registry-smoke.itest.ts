import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertTestServerReachable } from './assert-server-reachable.js';
import { testServers } from './test-servers.js';
import { uniqueName } from './unique-name.js';

// Proves the schema registry of scripts/services.sh through the Confluent Schema Registry REST API (plain fetch).
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const init: RequestInit = { method, headers: { 'Content-Type': CONTENT_TYPE, Accept: CONTENT_TYPE } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${testServers().schemaRegistryUrl}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

const recordV1 = { type: 'record', name: 'Row', namespace: 'drainer.test', fields: [{ name: 'id', type: 'long' }] };
// Adds a field without a default: not BACKWARD compatible (old data cannot be read with it).
const recordBreaking = { ...recordV1, fields: [...recordV1.fields, { name: 'extra', type: 'string' }] };

describe('schema registry (Confluent-compatible API)', () => {
  const subject = `${uniqueName('smoke')}-value`;

  beforeAll(async () => {
    await assertTestServerReachable('registry');
  });

  afterAll(async () => {
    await call('DELETE', `/subjects/${subject}`);
  });

  it('registers an Avro schema and fetches it by id, by subject version and by lookup', async () => {
    const reg = await call('POST', `/subjects/${subject}/versions`, {
      schemaType: 'AVRO',
      schema: JSON.stringify(recordV1),
    });
    expect(reg.status).toBe(200);
    const id = (reg.body as { id?: unknown }).id;
    expect(typeof id).toBe('number');

    const byId = await call('GET', `/schemas/ids/${String(id)}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse((byId.body as { schema: string }).schema)).toEqual(recordV1);

    const latest = await call('GET', `/subjects/${subject}/versions/latest`);
    expect(latest.body).toMatchObject({ subject, version: 1, id });

    // Registering the same schema again is idempotent, and lookup finds it.
    const again = await call('POST', `/subjects/${subject}/versions`, { schema: JSON.stringify(recordV1) });
    expect(again.body).toEqual({ id });
    const lookup = await call('POST', `/subjects/${subject}`, { schema: JSON.stringify(recordV1) });
    expect(lookup.body).toMatchObject({ subject, version: 1, id });

    const subjects = await call('GET', '/subjects');
    expect(subjects.body).toContain(subject);
  });

  it('enforces a subject compatibility level', async () => {
    // Apicurio 2.6 defaults to NONE (Confluent: BACKWARD), so the level is set explicitly.
    const cfg = await call('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' });
    expect(cfg.status).toBe(200);
    const rejected = await call('POST', `/subjects/${subject}/versions`, { schema: JSON.stringify(recordBreaking) });
    expect(rejected.status).toBe(409);
  });
});
