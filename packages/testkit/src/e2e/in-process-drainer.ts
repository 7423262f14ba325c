import { Drainer, EtcdPumpRegistry, loadConfig, prepareSink } from '@tidb-drainer/core';
import type { PreparedSink } from '@tidb-drainer/core';
import type { PumpCluster } from '../pump-sim/pump-cluster.js';

export interface InProcessDrainer {
  readonly drainer: Drainer;
  readonly prepared: PreparedSink;
  /** Asks for a graceful stop and resolves to the run's result. */
  stop(): ReturnType<Drainer['run']>;
}

/**
 * A Drainer built from `tomlText` (as the CLI would, with an empty environment), reading the pumps `cluster`
 * registered in etcd, opened and running. Owner: the caller, through `stop()`.
 */
export async function startInProcessDrainer(tomlText: string, cluster: PumpCluster): Promise<InProcessDrainer> {
  if (cluster.etcd === undefined) throw new Error('startInProcessDrainer needs a pump cluster registered in etcd');
  const { config, origins } = await loadConfig({ env: {}, tomlText });
  const prepared = await prepareSink(config, { env: {} });
  const drainer = new Drainer({
    config,
    sink: prepared,
    txnBatchExplicit: origins.has('syncer.txn-batch'),
    registry: new EtcdPumpRegistry({ etcd: cluster.etcd }),
    clusterId: cluster.clusterId,
  });
  const stopper = new AbortController();
  await drainer.open(stopper.signal);
  const running = drainer.run(stopper.signal);
  return {
    drainer,
    prepared,
    stop: () => {
      stopper.abort();
      return running;
    },
  };
}
