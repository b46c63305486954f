import type { FieldError } from '../platform/errors.js';

/**
 * A batch of listing proposals: an NDJSON upload, one proposal per line,
 * each line committed as `POST /v1/listings` would commit it. Bad lines are
 * reported by their line number and never hold back the good ones.
 */

/** The most proposals one batch may carry; a larger list is sent as several batches. */
export const BATCH_MAX_LINES = 10_000;
/** The largest upload: under the 6 MB a Lambda request may carry on AWS. */
export const BATCH_MAX_BYTES = 5 * 1024 * 1024;
/** The longest line; a proposal's own fields allow about 12 KB of text. */
export const BATCH_MAX_LINE_BYTES = 32 * 1024;
/** Lines one task commits: a Distributed Map child on AWS, a chunk of the local map. */
export const BATCH_LINES_PER_CHUNK = 100;
/** Chunks worked on at once. */
export const BATCH_CHUNK_CONCURRENCY = 8;
/** Lines of one chunk committed at once. */
export const BATCH_LINE_CONCURRENCY = 4;

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
}

export interface ChunkResult {
  /** The first line number of the chunk: its key among the batch's results. */
  firstLine: number;
  lines: number;
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

/** What `GET` on a batch shows: the header, progress so far, and every line's outcome in line order. */
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
  /** Processed lines as a share of all, 0..1. */
  progress: number;
  entries: Array<{ line: number; entryId: string }>;
  errors: LineRefused[];
}

export function batchView(header: BatchHeader, chunks: readonly ChunkResult[]): BatchView {
  const sorted = [...chunks].sort((a, b) => a.firstLine - b.firstLine);
  const entries = sorted.flatMap((c) => c.proposed.map(({ line, entryId }) => ({ line, entryId })));
  const errors = sorted.flatMap((c) => c.refused);
  const processed = sorted.reduce((n, c) => n + c.lines, 0);
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
    proposed: entries.length,
    refused: errors.length,
    progress: header.lines === 0 ? 1 : Math.round((processed / header.lines) * 1000) / 1000,
    entries,
    errors,
  };
}
