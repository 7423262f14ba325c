const LITERAL = /^[A-Za-z0-9._-]+$/;
const EXPRESSION = /^[A-Za-z0-9._-]*(\{schema\})?([A-Za-z0-9._-]*\{table\})?[A-Za-z0-9._-]*$/;
const AVRO_EXPRESSION = /^[A-Za-z0-9._-]*\{schema\}[A-Za-z0-9._-]*\{table\}[A-Za-z0-9._-]*$/;
/** Kafka's topic name limit. */
const MAX_TOPIC_BYTES = 249;

/** True when `topic` is a valid TiCDC topic rule (a literal or an expression); Avro needs both placeholders. */
export function isValidTopicRule(topic: string, forAvro: boolean): boolean {
  if (forAvro) return AVRO_EXPRESSION.test(topic);
  return LITERAL.test(topic) || EXPRESSION.test(topic);
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]/gu, '_');
}

/**
 * TiCDC topic expression substitution (kafka-encodings §5.2): names sanitized to `[A-Za-z0-9._-]`, placeholders
 * replaced, truncated to 249 bytes; `.` and `..` become `_` and `__`.
 */
export function substituteTopic(expr: string, schema: string, table: string): string {
  let t = expr.replaceAll('{schema}', sanitize(schema)).replaceAll('{table}', sanitize(table));
  if (t.length > MAX_TOPIC_BYTES) t = t.slice(0, MAX_TOPIC_BYTES);
  if (t === '.') return '_';
  if (t === '..') return '__';
  return t;
}
