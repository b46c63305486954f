import { maskEmail, maskPhone, maskSubjectId } from '../domain/identifiers.js';

/**
 * Logs: one JSON object per line, `{ level, time, msg, ...fields }`, and no
 * personal data in any of it. Every string that reaches a line, the message,
 * the fields, their keys, and an error's message, stack and cause, is passed
 * through `redact` first, so an identity number, a mobile number or an email
 * address inside a DynamoDB error, a file path or a caller's text is masked
 * as the public views mask it.
 */

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

// A run of letters and digits is one token: nothing inside a longer one (a hash, an id) is taken for a number.
const BEFORE = '(?<![0-9A-Za-z])';
const AFTER = '(?![0-9A-Za-z])';

/** An email address, also percent-encoded as in a query string. */
const EMAIL = /[\p{L}\p{N}._%+-]+(?:@|%40)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/**
 * A resident identity number (18 characters, or the 15 digits of the first
 * generation) or a unified social credit code (18 characters, the 3rd to 8th
 * its region digits). Checked by shape, not by check character: a mistyped
 * number is as personal as a valid one.
 */
const IDENTIFIER = new RegExp(`${BEFORE}(?:[0-9A-Za-z]{2}\\d{6}[0-9A-Za-z]{10}|\\d{15})${AFTER}`, 'g');
/** A mainland mobile number, with or without +86 / 0086 / 86, grouped 3-4-4 by spaces or hyphens or not at all. */
const MOBILE = new RegExp(`${BEFORE}((?:\\+|00)?86[- ]?)?(1[3-9]\\d)[- ]?(\\d{4})[- ]?(\\d{4})${AFTER}`, 'g');

/** The text with every email address, identity number, credit code and mobile number in it masked. */
export function redact(text: string): string {
  return text
    .replace(EMAIL, (email) => maskEmail(email.replace(/%40/gi, '@')))
    .replace(IDENTIFIER, (id) => maskSubjectId(id))
    .replace(MOBILE, (_all, prefix: string | undefined, a: string, b: string, c: string) => `${prefix ?? ''}${maskPhone(a + b + c)}`);
}

const MAX_DEPTH = 6;

/**
 * A value as it may be written: errors as their name, message, stack, code
 * and cause (a plain `JSON.stringify` drops them), every string and key
 * redacted, numbers that read as a mobile or an id redacted as text.
 */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    const masked = redact(text);
    return masked === text ? value : masked;
  }
  if (value === null || typeof value !== 'object') return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  // Only the objects being written above this one: a value met twice side by side is written twice.
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactValue(errorFields(value), depth + 1, seen);
    if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[redact(key)] = redactValue(v, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const { code } = error as { code?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: error.stack,
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
    ...(error instanceof AggregateError ? { errors: error.errors } : {}),
  };
}

/** One log line, redacted, without its newline. */
export function logLine(level: LogLevel, msg: string, fields: LogFields = {}, time = new Date()): string {
  const body = redactValue(fields) as Record<string, unknown>;
  return JSON.stringify({ level, time: time.toISOString(), msg: redact(msg), ...body });
}

/** A CloudWatch metric without dimensions: one series to alarm on; the ids that explain it stay in the line. */
export interface Metric {
  namespace: string;
  name: string;
  unit: 'Count';
}

/**
 * The fields that make a log line a CloudWatch Embedded Metric Format document: `_aws` names the
 * metric and CloudWatch Logs extracts its value, stored under its name, from the Lambda's log group.
 * No SDK call and no dimensions (an empty dimension set publishes the metric without any).
 */
export function metricFields(metric: Metric, value: number, time: Date): LogFields {
  return {
    _aws: { Timestamp: time.getTime(), CloudWatchMetrics: [{ Namespace: metric.namespace, Dimensions: [[]], Metrics: [{ Name: metric.name, Unit: metric.unit }] }] },
    [metric.name]: value,
  };
}

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** An info line that also records `value` of `metric` at `time` (the invocation's clock). */
  metric(msg: string, metric: Metric, value: number, time: Date, fields?: LogFields): void;
}

/** A logger writing each line through `write`; the process logger writes info to stdout, the rest to stderr. */
export function createLogger(write: (level: LogLevel, line: string) => void): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: LogFields) => write(level, logLine(level, msg, fields));
  return {
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    metric: (msg, metric, value, time, fields = {}) => write('info', logLine('info', msg, { ...fields, ...metricFields(metric, value, time) }, time)),
  };
}

export const log: Logger = createLogger((level, line) => (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`));
