/**
 * Public codec helpers: rendering model values to MySQL text form and related utilities, for sinks.
 * (Filled by the codec work.)
 */
export * from '../model/index.js';
