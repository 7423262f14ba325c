import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { ControlPlane } from './control-plane.js';

describe('ControlPlane without a registry (static pumps)', () => {
  it('serves the port, turns a pause action into its stop signal, pushes metrics to a Pushgateway', async () => {
    const pushes: { method: string; url: string; body: string }[] = [];
    const gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        pushes.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.end();
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
    const gw = gateway.address() as AddressInfo;

    let refreshed = 0;
    let delivered = 0;
    const plane = new ControlPlane({
      nodeId: 'd-1:8249',
      addr: '127.0.0.1:0',
      advertiseAddr: '127.0.0.1:8249',
      refreshPumps: () => {
        refreshed++;
        return Promise.resolve();
      },
      pumpPos: () => undefined,
      checkpointTs: () => 7n << 18n,
      delivered: () => delivered,
      syncedCheckTimeMin: 0,
      metrics: new Registry(),
      metricsAddr: `127.0.0.1:${gw.port}`,
      metricsIntervalSec: 0.05,
    });
    try {
      await plane.open();
      const base = `http://${plane.address}`;
      // Before the upstream runs, PumpPos is null (Go's initial status).
      await new Promise((r) => setTimeout(r, 5));
      expect(await (await fetch(`${base}/status`)).text()).toBe(
        `{"PumpPos":null,"Synced":true,"LastTS":${7n << 18n},"TsMap":""}\n`,
      );
      delivered = 1;
      expect(((await (await fetch(`${base}/status`)).json()) as { Synced: boolean }).Synced).toBe(false);

      for (let i = 0; i < 50 && pushes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(pushes[0]?.method).toBe('POST');
      expect(decodeURIComponent(pushes[0]?.url ?? '')).toBe('/metrics/job/binlog/instance/d-1:8249');
      expect(pushes[0]?.body).toContain('binlog_drainer_event');

      expect(plane.stopSignal.aborted).toBe(false);
      const res = (await (await fetch(`${base}/state/d-1:8249/pause`, { method: 'PUT' })).json()) as { code: number };
      expect(res.code).toBe(200);
      expect(plane.stopSignal.aborted).toBe(true);
      expect(plane.state).toBe('pausing');
      expect(refreshed).toBe(0);
    } finally {
      await plane.close();
      gateway.close();
    }
    expect(plane.state).toBe('paused');
  });
});
