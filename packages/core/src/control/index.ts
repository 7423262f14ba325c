export * from './approx-tso.js';
export * from './control-errors.js';
export * from './control-metrics.js';
export * from './control-plane.js';
export * from './control-server.js';
export * from './drainer-node.js';
export * from './http-api.js';
export * from './node-registry.js';
