import { Histogram, type LabelValues, type MetricObjectWithValues, type Registry } from 'prom-client';

/** A value as prom-client's Histogram#getForPromString returns it (not part of prom-client's typings). */
interface PromStringValue {
  labels: LabelValues<string>;
  sharedLabels: LabelValues<string>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

/** Histogram's prototype, typed with the method prom-client has but does not declare. */
const histogramProto = Histogram.prototype as unknown as { getForPromString(this: Histogram<'nodeID'>): Promise<MetricObjectWithValues<PromStringValue>> };

interface Series {
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * `binlog_drainer_read_binlog_size{nodeID}` with a per-pump recorder that costs a few array operations per binlog.
 * prom-client's labelled `observe` re-validates and re-hashes the labels on every call (~1 µs, measured), which on the
 * pull path is a tenth of the whole per-binlog budget. Exposition is identical to a prom-client Histogram's (the test
 * compares them); observations made through the ordinary Histogram API are still reported.
 */
export class PumpSizeHistogram extends Histogram<'nodeID'> {
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, Series>();
  private readonly metricName: string;

  constructor(config: { readonly name: string; readonly help: string; readonly buckets: readonly number[]; readonly registers: Registry[] }) {
    const buckets = [...config.buckets].sort((a, b) => a - b);
    super({ name: config.name, help: config.help, labelNames: ['nodeID'], buckets, registers: config.registers });
    this.bounds = buckets;
    this.metricName = config.name;
  }

  /** A recorder for one pump's binlog sizes. */
  recorder(nodeId: string): (bytes: number) => void {
    let s = this.series.get(nodeId);
    if (s === undefined) {
      s = { counts: new Float64Array(this.bounds.length), sum: 0, count: 0 };
      this.series.set(nodeId, s);
    }
    const series = s;
    const bounds = this.bounds;
    return (bytes: number): void => {
      series.sum += bytes;
      series.count++;
      // First bucket whose upper bound is ≥ the value (binary search; values above every bound only count in +Inf).
      let lo = 0;
      let hi = bounds.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (bounds[mid]! < bytes) lo = mid + 1;
        else hi = mid;
      }
      if (lo < bounds.length) series.counts[lo]! += 1;
    };
  }

  /** Forgets a pump's series (it went offline). */
  forget(nodeId: string): void {
    this.series.delete(nodeId);
  }

  /**
   * prom-client builds both `get()` and the text exposition from this (untyped) method; our series are appended in
   * its pre-"splay" shape: `le` in `labels`, the metric's own labels in `sharedLabels`.
   */
  async getForPromString(): Promise<MetricObjectWithValues<PromStringValue>> {
    const base = await histogramProto.getForPromString.call(this);
    const values = [...base.values];
    const name = this.metricName;
    for (const [nodeID, s] of this.series) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.counts[i]!;
        values.push({ labels: { le }, sharedLabels: { nodeID }, value: acc, metricName: `${name}_bucket`, exemplar: null });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: { nodeID }, value: s.count, metricName: `${name}_bucket`, exemplar: null });
      values.push({ labels: {}, sharedLabels: { nodeID }, value: s.sum, metricName: `${name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: { nodeID }, value: s.count, metricName: `${name}_count`, exemplar: undefined });
    }
    return { ...base, values };
  }

  override reset(): void {
    super.reset();
    // The base constructor calls reset() before this class's fields exist.
    (this.series as Map<string, Series> | undefined)?.clear();
  }
}
