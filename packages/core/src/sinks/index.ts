export * from './value-text.js';
export * from './print-sink.js';
export * from './jsonl-sink.js';
export * from './jsonl-codec.js';
export * from './null-sink.js';
