// The file `drainer --sink ./examples/dist/webhook-sink.js` loads: one module whose default export is the sink.
export { default } from './webhook-sink/index.js';
export * from './webhook-sink/index.js';
