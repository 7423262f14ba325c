export * from './value-text.js';
