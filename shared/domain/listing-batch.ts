import type { FieldError } from '../platform/errors.js';

/**
 * A batch of listing proposals: an NDJSON upload, one proposal per line,
 * each line committed as `POST /v1/listings` would commit it. Bad lines are
 * reported by their line number and never hold back the good ones.
 */

/** The most proposals one batch may carry; a larger list is sent as several batches. */
export const BATCH_MAX_LINES = 10_000;
/**
 * The largest upload. A Lambda request carries at most 6 MB, and API Gateway
 * may pass an NDJSON body base64-encoded (a third larger) in a JSON event.
 */
export const BATCH_MAX_BYTES = 4 * 1024 * 1024;
/** The longest line; a proposal's own fields allow about 12 KB of text. */
export const BATCH_MAX_LINE_BYTES = 32 * 1024;
/** Lines one task commits: a Distributed Map child on AWS, a chunk of the local map. */
export const BATCH_LINES_PER_CHUNK = 100;
/** Chunks worked on at once. */
export const BATCH_CHUNK_CONCURRENCY = 8;
/** Lines of one chunk committed at once. */
export const BATCH_LINE_CONCURRENCY = 4;

/**
 * What is kept of one refused line: at most this many field errors, each path
 * and message cut short, so a chunk's result stays one store item (400 KB) and
 * a page of results one response, whatever a line holds.
 */
export const REFUSAL_MAX_ERRORS = 8;
const REFUSAL_MAX_PATH = 100;
const REFUSAL_MAX_MESSAGE = 200;
const REFUSAL_MAX_DETAIL = 300;
/** Lines whose outcomes one GET on a batch shows; `fromLine` pages on. */
export const BATCH_PAGE_LINES = 1000;

/** The media types an upload may be sent as. */
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'] as const;

/** One line as it is stored for the workflow: its number in the upload, and its text untouched. */
export interface BatchLine {
  line: number;
  text: string;
}

/** A line that became an entry. */
export interface LineProposed {
  line: number;
  entryId: string;
  /** False when an earlier run of the same chunk had already proposed it. */
  created: boolean;
}

/** A line that did not: the status `POST /v1/listings` would have answered, and why. */
export interface LineRefused {
  line: number;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** Field errors beyond the first REFUSAL_MAX_ERRORS, counted but not kept. */
  moreErrors?: number;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A refusal as it is kept: bounded in errors and length, whatever the line held. */
export function boundedRefusal(line: number, status: number, detail: string, errors: FieldError[] = []): LineRefused {
  const kept = errors.slice(0, REFUSAL_MAX_ERRORS).map((e) => ({ path: cut(e.path, REFUSAL_MAX_PATH), message: cut(e.message, REFUSAL_MAX_MESSAGE) }));
  return {
    line,
    status,
    detail: cut(detail, REFUSAL_MAX_DETAIL),
    ...(kept.length > 0 ? { errors: kept } : {}),
    ...(errors.length > kept.length ? { moreErrors: errors.length - kept.length } : {}),
  };
}

export interface ChunkResult {
  /** The first line number of the chunk: its key among the batch's results. */
  firstLine: number;
  proposed: LineProposed[];
  refused: LineRefused[];
  finishedAt: string;
}

export type BatchStatus = 'processing' | 'completed' | 'failed';

export interface BatchHeader {
  batchId: string;
  agencyId: string;
  /** The officer who submitted it: the actor of every entry it proposes. */
  submittedBy: { id: string; name?: string };
  submittedAt: string;
  /** Non-blank lines in the upload. */
  lines: number;
  /** Lines with nothing on them: skipped, not counted. */
  blankLines: number;
  bytes: number;
  requestHash: string;
  /** Where its lines are for the workflow: named by the upload's digest, so a different upload under the same id cannot replace them. */
  objectKey: string;
  status: BatchStatus;
  finishedAt?: string;
  /** Why a failed batch stopped (its workflow failed after retries); the lines done stay done. */
  failure?: string;
}

/** Why an upload is refused as a whole; each maps to a problem response naming the limit. */
export type UploadRefusal =
  | { code: 'EMPTY' }
  | { code: 'TOO_LARGE'; bytes: number }
  | { code: 'TOO_MANY_LINES'; lines: number }
  | { code: 'LINE_TOO_LONG'; line: number; bytes: number };

/**
 * Splits an upload into numbered lines. Line numbers count every line of the
 * upload, blank ones included, so they match what an editor shows; a final
 * newline does not make a line. CRLF line ends are accepted.
 */
export function splitUpload(body: string): { lines: BatchLine[]; blankLines: number } | { refusal: UploadRefusal } {
  const bytes = Buffer.byteLength(body);
  if (bytes > BATCH_MAX_BYTES) return { refusal: { code: 'TOO_LARGE', bytes } };
  const raw = body.split('\n');
  if (raw.at(-1) === '') raw.pop();
  const lines: BatchLine[] = [];
  let blankLines = 0;
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i]!.endsWith('\r') ? raw[i]!.slice(0, -1) : raw[i]!;
    if (text.trim() === '') {
      blankLines++;
      continue;
    }
    const lineBytes = Buffer.byteLength(text);
    if (lineBytes > BATCH_MAX_LINE_BYTES) return { refusal: { code: 'LINE_TOO_LONG', line: i + 1, bytes: lineBytes } };
    lines.push({ line: i + 1, text });
  }
  if (lines.length === 0) return { refusal: { code: 'EMPTY' } };
  if (lines.length > BATCH_MAX_LINES) return { refusal: { code: 'TOO_MANY_LINES', lines: lines.length } };
  return { lines, blankLines };
}

/** The object the workflow reads: JSON Lines, each `{ line, text }`, so a line that is not JSON still reaches a task to be reported. */
export function workflowObject(lines: readonly BatchLine[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

/** A chunk's counts, readable without its outcomes. */
export interface ChunkCounts {
  firstLine: number;
  proposed: number;
  refused: number;
}

/** What `GET` on a batch shows: the header, progress so far, and the outcome of each line in the page, in line order. */
export interface BatchView {
  batchId: string;
  status: BatchStatus;
  agencyId: string;
  submittedAt: string;
  finishedAt?: string;
  failure?: string;
  lines: number;
  blankLines: number;
  processed: number;
  proposed: number;
  refused: number;
  /** Processed lines as a share of all, 0..1; 1 only once every line is processed. */
  progress: number;
  /** The page of outcomes shown: lines fromLine .. toLine of the upload. */
  page: { fromLine: number; toLine: number; nextFromLine?: number };
  entries: Array<{ line: number; entryId: string }>;
  errors: LineRefused[];
}

/** The view of a batch: counts from every chunk, outcomes from the chunks of the page (lines fromLine .. toLine). */
export function batchView(header: BatchHeader, counts: readonly ChunkCounts[], page: { fromLine: number; toLine: number; lastLine: number }, chunks: readonly ChunkResult[]): BatchView {
  const inPage = (line: number) => line >= page.fromLine && line <= page.toLine;
  const sorted = [...chunks].sort((a, b) => a.firstLine - b.firstLine);
  const processed = counts.reduce((n, c) => n + c.proposed + c.refused, 0);
  return {
    batchId: header.batchId,
    status: header.status,
    agencyId: header.agencyId,
    submittedAt: header.submittedAt,
    ...(header.finishedAt ? { finishedAt: header.finishedAt } : {}),
    ...(header.failure ? { failure: header.failure } : {}),
    lines: header.lines,
    blankLines: header.blankLines,
    processed,
    proposed: counts.reduce((n, c) => n + c.proposed, 0),
    refused: counts.reduce((n, c) => n + c.refused, 0),
    progress: header.lines === 0 ? 1 : Math.floor((processed / header.lines) * 1000) / 1000,
    page: { fromLine: page.fromLine, toLine: page.toLine, ...(page.toLine < page.lastLine ? { nextFromLine: page.toLine + 1 } : {}) },
    entries: sorted.flatMap((c) => c.proposed.filter((p) => inPage(p.line)).map(({ line, entryId }) => ({ line, entryId }))),
    errors: sorted.flatMap((c) => c.refused.filter((r) => inPage(r.line))),
  };
}
