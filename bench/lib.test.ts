import { describe, expect, it } from 'vitest';
import { formatNumber, isBenchmark, median, row } from './lib.js';
import { renderMarkdown } from './render-markdown.js';

describe('bench lib', () => {
  it('row() computes the ratio to its baseline', () => {
    expect(row('merged', 30, 'MB/s', { label: 'raw', value: 40 })).toEqual({
      label: 'merged',
      value: 30,
      unit: 'MB/s',
      baselineLabel: 'raw',
      baselineValue: 40,
      ratio: 0.75,
    });
    expect(row('raw', 40, 'MB/s')).toEqual({ label: 'raw', value: 40, unit: 'MB/s' });
  });

  it('median and number formatting', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(formatNumber(1234567)).toBe('1,230,000');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(60.24)).toBe('60.2');
    expect(formatNumber(undefined)).toBe('');
  });

  it('recognises a Benchmark default export', () => {
    expect(isBenchmark({ name: 'x', description: 'd', run: () => Promise.resolve({ rows: [] }) })).toBe(true);
    expect(isBenchmark({ runXBench: () => 1 })).toBe(false);
  });

  it('renders rows as a markdown table with the baseline and ratio', () => {
    const md = renderMarkdown({
      name: 'x',
      description: 'what',
      startedAt: '2026-01-01T00:00:00.000Z',
      seconds: 1.25,
      commit: 'abc',
      machine: 'm',
      peakRss: '10 MiB',
      rows: [row('a | b', 2000, 'msg/s', { label: 'raw', value: 4000 })],
      notes: ['n1'],
    });
    expect(md).toContain('| a \\| b | 2,000 | msg/s | raw | 4,000 | 0.50× |');
    expect(md).toContain('- peak RSS: 10 MiB');
    expect(md).toContain('- n1');
  });
});
