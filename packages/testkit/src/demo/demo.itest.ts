import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrainerError } from '@tidb-drainer/core';
import { PbBinlogType, PbEventType, readBinlogDir } from '@tidb-drainer/sink-file';
import { afterAll, describe, expect, it } from 'vitest';
import { expectDemoWorkload, planDemoWorkload } from './demo-workload.js';
import { demoMatchesWorkload, formatDemoSummary } from './format-demo-summary.js';
import { runDemo } from './run-demo.js';

/**
 * The quickstart (`npm run demo`) end to end, in-process: simulated pumps + fake TiDB status API → the real
 * drainer pipeline → jsonl / file sink. The expected counts come from the workload plan, the delivered ones from
 * what the sink acknowledged, and (jsonl) from reading the output file back.
 */
describe('quickstart demo', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'demo-itest-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('replicates the whole workload into jsonl; the summary and the output file match the workload', async () => {
    const expected = expectDemoWorkload(planDemoWorkload());
    // The plan really covers every kind of change on every table, so the assertions below mean something.
    expect(Object.keys(expected.tables).sort()).toEqual([
      'demo_shop.customers',
      'demo_shop.events',
      'demo_shop.orders',
    ]);
    for (const t of Object.values(expected.tables)) {
      expect(t.insert).toBeGreaterThan(0);
      expect(t.update).toBeGreaterThan(0);
      expect(t.delete).toBeGreaterThan(0);
    }

    const summary = await runDemo({ sink: 'jsonl', dir: tempDir(), paceMs: 0 });
    expect(summary.sink).toBe('jsonl');
    expect(summary.expected).toEqual(expected);
    expect(summary.delivered.txns).toBe(expected.txns);
    expect(summary.delivered.ddls).toBe(expected.ddls);
    expect(summary.delivered.rows).toBe(expected.rows);
    expect(summary.delivered.tables).toEqual(expected.tables);
    expect(demoMatchesWorkload(summary)).toBe(true);
    expect(summary.outcome).toBe('stopped');
    expect(summary.consistent).toBe(true);
    expect(summary.checkpointTs).toBeGreaterThanOrEqual(summary.delivered.lastCommitTs);

    // Independently of the counting wrapper: what is in the file.
    const file = summary.outputFiles[0]?.path;
    expect(file).toBeDefined();
    const lines = readFileSync(file ?? '', 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            schema: string;
            table: string;
            query?: string;
            after?: Record<string, unknown>;
          },
      );
    const fromFile: Record<string, { insert: number; update: number; delete: number }> = {};
    let ddls = 0;
    for (const l of lines) {
      if (l.type === 'ddl') {
        ddls++;
        continue;
      }
      const t = (fromFile[`${l.schema}.${l.table}`] ??= { insert: 0, update: 0, delete: 0 });
      t[l.type as 'insert' | 'update' | 'delete']++;
    }
    expect(fromFile).toEqual(expected.tables);
    expect(ddls).toBe(expected.ddls);
    expect(lines.some((l) => l.type === 'ddl' && /ADD COLUMN/i.test(l.query ?? ''))).toBe(true);
    // Rows inserted after ADD COLUMN carry the new column.
    expect(lines.some((l) => l.type === 'insert' && l.table === 'customers' && l.after?.['tier'] !== undefined)).toBe(
      true,
    );

    const text = formatDemoSummary(summary);
    expect(text).toContain(`rows           ${expected.rows} replicated / ${expected.rows} written`);
    expect(text).toContain(file);
  });

  it('auto picks the file sink when it works and still delivers exactly the workload', async () => {
    const progress: number[] = [];
    const summary = await runDemo({ dir: tempDir(), paceMs: 0, onProgress: (p) => progress.push(p.delivered.rows) });
    expect(summary.fallbackReason).toBeUndefined();
    expect(summary.sink).toBe('file');
    expect(demoMatchesWorkload(summary)).toBe(true);
    expect(summary.delivered.tables).toEqual(summary.expected.tables);
    expect(summary.outputFiles.length).toBeGreaterThan(0);
    expect(summary.outputFiles.every((f) => f.bytes > 0)).toBe(true);
    // The final progress report shows everything delivered.
    expect(progress.at(-1)).toBe(summary.expected.rows);

    // Independently of the counting wrapper: decode the binlog files the file sink wrote.
    const fromFiles: Record<string, { insert: number; update: number; delete: number }> = {};
    const kinds = {
      [PbEventType.Insert]: 'insert',
      [PbEventType.Update]: 'update',
      [PbEventType.Delete]: 'delete',
    } as const;
    let ddls = 0;
    let txns = 0;
    for await (const item of readBinlogDir(join(summary.outputDir, 'binlog'))) {
      expect(item.kind === 'skipped' || item.kind === 'truncated').toBe(false);
      if (item.kind !== 'binlog') continue;
      if (item.binlog.tp === PbBinlogType.DDL) {
        ddls++;
        continue;
      }
      txns++;
      for (const e of item.binlog.events ?? []) {
        const t = (fromFiles[`${e.schemaName ?? ''}.${e.tableName ?? ''}`] ??= { insert: 0, update: 0, delete: 0 });
        t[kinds[e.tp]]++;
      }
    }
    expect(ddls).toBe(summary.expected.ddls);
    expect(txns).toBe(summary.expected.txns);
    expect(fromFiles).toEqual(summary.expected.tables);
  });

  it('auto falls back to jsonl, from scratch, when the file sink fails; an explicit file sink reports the failure', async () => {
    // A real failure: the file sink's directory is taken by a regular file.
    const blocked = (): string => {
      const d = tempDir();
      mkdirSync(join(d, 'output'));
      writeFileSync(join(d, 'output', 'binlog'), 'not a directory');
      return d;
    };
    await expect(runDemo({ dir: blocked(), sink: 'file', paceMs: 0, txns: 5 })).rejects.toBeInstanceOf(DrainerError);

    const summary = await runDemo({ dir: blocked(), paceMs: 0 });
    expect(summary.sink).toBe('jsonl');
    expect(summary.fallbackReason).toBeDefined();
    expect(demoMatchesWorkload(summary)).toBe(true);
    expect(summary.consistent).toBe(true);
    expect(formatDemoSummary(summary)).toContain('file sink unavailable');
  });
});
