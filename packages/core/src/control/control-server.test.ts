import { request as httpsRequest } from 'node:https';
import { rmSync } from 'node:fs';

import * as grpc from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';

import { applyNodeAction } from '../binlogctl/node-action.js';
import { CisternService } from '../protocol/grpc-services.js';
import { upstreamMetrics } from '../upstream/upstream-metrics.js';
import { ControlMetrics } from './control-metrics.js';
import type { ControlTls } from './control-server.js';
import { ControlServer } from './control-server.js';
import { DrainerNode } from './drainer-node.js';
import { createHttpApi } from './http-api.js';
import { makeTestCerts } from './test-certs.js';

type CisternClient = grpc.Client & {
  notify(req: object, cb: (err: grpc.ServiceError | null, res?: object) => void): void;
  dumpDDLJobs(req: object, cb: (err: grpc.ServiceError | null, res?: { ddljobs: Uint8Array[] }) => void): void;
  dumpBinlog(req: object): grpc.ClientReadableStream<unknown>;
};
const Client = grpc.makeGenericClientConstructor(CisternService, 'Cistern') as unknown as new (
  address: string,
  creds: grpc.ChannelCredentials,
  options?: grpc.ClientOptions,
) => CisternClient;

const BIG_TS = 434271871498256385n; // above 2^53: must not be rounded anywhere

function setup(opts: { tls?: ControlTls; notify?: () => Promise<void> } = {}) {
  const metrics = new Registry();
  const stops: string[] = [];
  const node = new DrainerNode({
    nodeId: 'host-1:8249',
    host: '127.0.0.1:8249',
    checkpointTs: () => BIG_TS,
    onStop: (r) => stops.push(r),
  });
  const controlMetrics = new ControlMetrics(
    metrics,
    () => BIG_TS,
    () => 3,
  );
  upstreamMetrics(metrics).pumpPosition.set({ nodeID: 'pump-1' }, 5);
  let notified = 0;
  const server = new ControlServer({
    addr: '127.0.0.1:0',
    ...(opts.tls === undefined ? {} : { tls: opts.tls }),
    http: createHttpApi({
      nodeId: 'host-1:8249',
      status: () => ({ pumpPos: new Map([['pump-1', BIG_TS]]), synced: false, lastTs: BIG_TS }),
      checkpointTs: () => BIG_TS,
      applyAction: (a) => node.applyAction(a),
      metrics,
    }),
    cistern: {
      notify:
        opts.notify ??
        (() => {
          notified++;
          return Promise.resolve();
        }),
    },
  });
  return { server, node, stops, controlMetrics, notified: () => notified };
}

function notify(c: CisternClient): Promise<grpc.ServiceError | null> {
  return new Promise((resolve) => c.notify({}, (err) => resolve(err)));
}

describe('one port: HTTP API and gRPC Cistern', () => {
  it('serves /status, /commit_ts, /metrics, state actions and Notify/DumpDDLJobs/DumpBinlog on one plain port', async () => {
    const { server, node, stops, controlMetrics, notified } = setup();
    await server.listen();
    const base = `http://${server.address}`;
    try {
      const status = await fetch(`${base}/status`);
      expect(await status.text()).toBe(
        `{"PumpPos":{"pump-1":${BIG_TS}},"Synced":false,"LastTS":${BIG_TS},"TsMap":""}\n`,
      );

      const commit = await (await fetch(`${base}/commit_ts`)).text();
      expect(commit).toBe(
        `{\n  "message": "get drainer's latest ts success!",\n  "code": 200,\n  "data": {\n    "ts": ${BIG_TS}\n  }\n}\n`,
      );

      controlMetrics.onEvent({
        kind: 'ddl',
        commitTs: 1n,
        schema: 's',
        query: 'x',
        jobId: 1,
        jobType: 3,
        schemaVersion: 1,
      } as never);
      controlMetrics.onReceived('pump-1', BIG_TS);
      controlMetrics.onCheckpoint(BIG_TS);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const name of [
        'binlog_drainer_pump_position{nodeID="pump-1"} 5',
        'binlog_drainer_event{type="DDL"} 1',
        'binlog_drainer_event{type="savepoint"} 1',
        'binlog_drainer_checkpoint_delay_seconds_bucket{le="0.001"}',
        'binlog_drainer_binlog_reach_duration_time_count{nodeID="pump-1"} 1',
        'binlog_drainer_queue_size{name="syncer_input"} 3',
        '# TYPE binlog_drainer_read_binlog_size histogram',
        '# TYPE binlog_drainer_execute_duration_time histogram',
        '# TYPE binlog_drainer_error_count counter',
        'drainer_commit_ts_lag_seconds ',
        'process_cpu_seconds_total',
      ]) {
        expect(metrics).toContain(name);
      }

      const put = async (path: string): Promise<unknown> =>
        JSON.parse(await (await fetch(`${base}${path}`, { method: 'PUT' })).text());
      expect(await put('/state/other:1/pause')).toEqual({
        message: "invalid nodeID other:1, this pump's nodeID is host-1:8249",
        code: 3,
        data: null,
      });
      expect(await put('/state/host-1:8249/stop')).toEqual({ message: 'invalid action stop', code: 3, data: null });
      expect(node.state).toBe('online');
      expect(await put('/state/host-1:8249/pause')).toEqual({
        message: 'apply action pause success!',
        code: 200,
        data: null,
      });
      expect(node.state).toBe('pausing');
      expect(stops).toEqual(['pause']);
      expect(await put('/state/host-1:8249/close')).toEqual({
        message: "this pump's state is pausing, apply close failed!",
        code: 3,
        data: null,
      });
      expect((await fetch(`${base}/state/host-1:8249/pause`)).status).toBe(405);
      expect((await fetch(`${base}/nope`)).status).toBe(404);

      const client = new Client(server.address, grpc.credentials.createInsecure());
      try {
        expect(await notify(client)).toBeNull();
        expect(notified()).toBe(1);
        const ddl = await new Promise<{ ddljobs: Uint8Array[] } | undefined>((resolve, reject) =>
          client.dumpDDLJobs({ beginCommitTs: 0n }, (err, res) => (err === null ? resolve(res) : reject(err))),
        );
        expect(ddl?.ddljobs).toEqual([]);
        const stream = client.dumpBinlog({ beginCommitTs: 0n });
        const got: unknown[] = [];
        stream.on('data', (d) => got.push(d));
        const code = await new Promise<number>((resolve) =>
          stream.on('status', (s: grpc.StatusObject) => resolve(s.code)),
        );
        expect(code).toBe(grpc.status.OK);
        expect(got).toEqual([]);
        // HTTP/1 still works on the same port after gRPC used it.
        expect((await fetch(`${base}/status`)).status).toBe(200);
      } finally {
        client.close();
      }
      await node.close();
      expect(node.state).toBe('paused');
    } finally {
      await server.close();
    }
  });

  it('returns a failed pump refresh as the Notify gRPC error', async () => {
    const { server } = setup({ notify: () => Promise.reject(new Error('cannot list pumps from etcd: 100% down')) });
    await server.listen();
    const client = new Client(server.address, grpc.credentials.createInsecure());
    try {
      const err = await notify(client);
      expect(err?.code).toBe(grpc.status.UNKNOWN);
      expect(err?.details).toBe('cannot list pumps from etcd: 100% down');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('close action ends offline; kill leaves the state as it was', async () => {
    const { node, stops } = setup();
    expect(node.applyAction('close').code).toBe(200);
    expect(node.state).toBe('closing');
    await node.close();
    expect(node.state).toBe('offline');
    expect(stops).toEqual(['close']);
  });

  describe('with [security] TLS', () => {
    const certs = makeTestCerts('binlog-client');
    afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

    function httpsGet(
      address: string,
      path: string,
      withClientCert: boolean,
    ): Promise<{ status: number; body: string }> {
      const [host, port] = address.split(':');
      return new Promise((resolve, reject) => {
        const req = httpsRequest(
          {
            host,
            port: Number(port),
            path,
            servername: 'localhost',
            ca: certs.ca,
            ...(withClientCert ? { cert: certs.client.cert, key: certs.client.key } : {}),
          },
          (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    it('serves HTTPS and gRPC over TLS on one port, requires a client certificate and checks cert-allowed-cn', async () => {
      const allowed = setup({
        tls: { ca: certs.ca, cert: certs.server.cert, key: certs.server.key, allowedCn: ['binlog-client'] },
      });
      await allowed.server.listen();
      const creds = grpc.credentials.createSsl(certs.ca, certs.client.key, certs.client.cert);
      const client = new Client(allowed.server.address, creds);
      try {
        const res = await httpsGet(allowed.server.address, '/status', true);
        expect(res.status).toBe(200);
        expect(res.body).toContain('"LastTS":434271871498256385');
        await expect(httpsGet(allowed.server.address, '/status', false)).rejects.toThrow();
        expect(await notify(client)).toBeNull();
        expect(allowed.notified()).toBe(1);
        // binlogctl pause-drainer with -ssl-* flags: https with the client certificate.
        const target = {
          nodeId: 'host-1:8249',
          host: allowed.server.address,
          state: 'online',
          isAlive: false,
          score: 0n,
          label: null,
          maxCommitTs: 0n,
          updateTs: 0n,
        } as const;
        const tls = { ca: certs.ca, cert: certs.client.cert, key: certs.client.key };
        expect(await applyNodeAction(target, 'pause', tls)).toBe('apply action pause success!');
        expect(allowed.node.state).toBe('pausing');
        await expect(applyNodeAction(target, 'close', tls)).rejects.toThrow(
          "this pump's state is pausing, apply close failed!",
        );
        // Plain HTTP on a TLS port is refused.
        await expect(fetch(`http://${allowed.server.address}/status`)).rejects.toThrow();
      } finally {
        client.close();
        await allowed.server.close();
      }

      const denied = setup({
        tls: { ca: certs.ca, cert: certs.server.cert, key: certs.server.key, allowedCn: ['someone-else'] },
      });
      await denied.server.listen();
      const client2 = new Client(denied.server.address, creds);
      try {
        await expect(httpsGet(denied.server.address, '/status', true)).rejects.toThrow();
        const err = await notify(client2);
        expect(err?.code).toBe(grpc.status.UNAVAILABLE);
        expect(denied.notified()).toBe(0);
      } finally {
        client2.close();
        await denied.server.close();
      }
    });
  });
});
