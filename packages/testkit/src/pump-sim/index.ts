export { TsoAllocator } from './tso-allocator.js';
export { PumpStorage } from './pump-storage.js';
export type { StoredEntry } from './pump-storage.js';
export { SimulatedPump } from './simulated-pump.js';
export type { SimulatedPumpOptions } from './simulated-pump.js';
export { WorkloadDriver, simplePrewriteValue } from './workload-driver.js';
export type { WorkloadDriverOptions, WorkloadTxn, WrittenTxn } from './workload-driver.js';
export { PumpCluster, testEtcdUrl } from './pump-cluster.js';
export type { PumpClusterOptions } from './pump-cluster.js';
