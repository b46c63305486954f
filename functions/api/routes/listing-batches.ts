import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Principal } from '../../../shared/auth/principal.js';
import { BATCH_MAX_BYTES, BATCH_MAX_LINE_BYTES, BATCH_MAX_LINES, BATCH_PAGE_LINES, batchView, NDJSON_TYPES, splitUpload, workflowObject, type BatchHeader, type UploadRefusal } from '../../../shared/domain/listing-batch.js';
import { DomainError, invalid, notFound } from '../../../shared/platform/errors.js';
import { problemSchema } from '../../../shared/schemas/common.js';
import { batchIdParams, batchPageQuery, batchSchema } from '../../../shared/schemas/listing.js';
import { batchObjectKey } from '../../../shared/stores/batch-files.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { idempotentCreate } from '../idempotency.js';
import { problem } from '../problems.js';
import { route, UnsupportedMediaType } from '../route-registry.js';

export const BATCH_UPLOAD_PATH = '/v1/listings:batch';
const batchPath = (batchId: string) => `/v1/listing-batches/${batchId}`;

/** The upload refused as a whole: the limit it broke, or that it held nothing. */
function refusal(r: UploadRefusal): DomainError | { status: 413; detail: string } {
  switch (r.code) {
    case 'EMPTY':
      return invalid([{ path: '(body)', message: 'no proposals: every line is blank' }], 'The upload holds no proposals');
    case 'TOO_LARGE':
      return { status: 413, detail: `The upload is ${r.bytes} bytes; a batch is at most ${BATCH_MAX_BYTES} bytes` };
    case 'TOO_MANY_LINES':
      return { status: 413, detail: `The upload has ${r.lines} proposals; a batch is at most ${BATCH_MAX_LINES}: send the rest as another batch` };
    case 'LINE_TOO_LONG':
      return { status: 413, detail: `Line ${r.line} is ${r.bytes} bytes; a line is at most ${BATCH_MAX_LINE_BYTES}` };
  }
}

/** The submitting agency's officers see a batch; so do auditors. Anyone else: 404, as if it did not exist. */
function inScope(principal: Principal, header: BatchHeader): boolean {
  return principal.role === 'auditor' || (principal.role === 'agency-officer' && principal.agencyId === header.agencyId);
}

export function listingBatchRoutes(app: Hono<AppEnv>, deps: Deps) {
  /** The batch's counts, and the outcomes of BATCH_PAGE_LINES lines from `fromLine`. */
  async function readView(header: BatchHeader, fromLine: number) {
    const toLine = fromLine + BATCH_PAGE_LINES - 1;
    const { counts, chunks } = await deps.batches.progress(header.batchId, fromLine, toLine);
    return batchView(header, counts, { fromLine, toLine, lastLine: header.lines + header.blankLines }, chunks);
  }

  // Larger than the 1 MB of other bodies: up to 10,000 proposals. The per-agency limit (limitBatches) runs before.
  app.use(BATCH_UPLOAD_PATH, bodyLimit({ maxSize: BATCH_MAX_BYTES, onError: (c) => problem(c, 413, `The upload exceeds ${BATCH_MAX_BYTES} bytes; a batch is at most ${BATCH_MAX_LINES} proposals`) }));

  route(
    app,
    {
      method: 'post',
      path: BATCH_UPLOAD_PATH,
      summary: 'Propose listings in a batch',
      tag: 'listings',
      access: ['agency-officer'],
      rawBody: {
        contentType: 'application/x-ndjson',
        description: `NDJSON (${NDJSON_TYPES.join(', ')}): one proposal per line, each the body of POST /v1/listings; blank lines are skipped. At most ${BATCH_MAX_LINES} proposals, ${BATCH_MAX_BYTES} bytes and ${BATCH_MAX_LINE_BYTES} bytes a line. An Idempotency-Key is required. The answer's Location header names the batch.`,
      },
      responses: {
        202: { description: 'Accepted: the lines are being proposed. Location names the batch; GET it for progress, each entry made and each line refused', schema: batchSchema },
        200: { description: 'The same Idempotency-Key and upload again: the batch the first one started', schema: batchSchema },
        400: { description: 'No proposal in the upload, or the Idempotency-Key missing or malformed', schema: problemSchema },
        413: { description: 'Over a limit: bytes, proposals or the length of a line, named', schema: problemSchema },
        415: { description: 'Not sent as NDJSON', schema: problemSchema },
        422: { description: 'The Idempotency-Key was used for another upload', schema: problemSchema },
        429: { description: 'The agency sent 20 batches this hour already; Retry-After says when the next is taken', schema: problemSchema },
      },
    },
    async (c, { principal }) => {
      const contentType = c.req.header('content-type') ?? '';
      if (!NDJSON_TYPES.some((t) => contentType.toLowerCase().split(';')[0]!.trim() === t)) throw new UnsupportedMediaType(contentType, NDJSON_TYPES[0]);
      const text = await c.req.text();
      const split = splitUpload(text);
      if ('refusal' in split) {
        const refused = refusal(split.refusal);
        if (refused instanceof DomainError) throw refused;
        return problem(c, refused.status, refused.detail);
      }
      const now = deps.clock.now();
      // The digest of the upload as sent: the same bytes again with the same key are a retry.
      const { id: batchId, requestHash, keyed } = idempotentCreate(c, principal!, 'bat', now, text);
      // Without a key, a retry after a lost answer (a large upload is the request that times out) would propose every line again.
      if (!keyed) throw invalid([{ path: 'Idempotency-Key', message: 'required: send the upload again under the same key if no answer comes' }]);
      const proposed: BatchHeader = {
        batchId,
        agencyId: principal!.agencyId!,
        submittedBy: { id: principal!.id, ...(principal!.name ? { name: principal!.name } : {}) },
        submittedAt: now.toISOString(),
        lines: split.lines.length,
        blankLines: split.blankLines,
        bytes: Buffer.byteLength(text),
        requestHash,
        objectKey: batchObjectKey(batchId, requestHash),
        status: 'processing',
      };
      // The header first: of two uploads racing under one key, one makes the batch and the other is compared with it.
      const created = await deps.batches.create(proposed);
      const header = created ? proposed : (await deps.batches.header(batchId))!;
      if (header.requestHash !== requestHash) throw new DomainError('RULE_REFUSED', 'This Idempotency-Key was already used for a different upload', { batchId });
      // Then the lines, and the workflow that reads them; a retry puts the same bytes under the same key and finds the one execution.
      await deps.batchFiles.put(header.objectKey, workflowObject(split.lines));
      await deps.workflows.startExecution('listingBatch', batchId, { batchId, objectKey: header.objectKey });
      c.header('location', batchPath(batchId));
      // A batch just made has no results yet; a retried upload shows how far its batch has come.
      return created ? c.json(batchView(header, [], { fromLine: 1, toLine: BATCH_PAGE_LINES, lastLine: header.lines + header.blankLines }, []), 202) : c.json(await readView(header, 1), 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/v1/listing-batches/{batchId}',
      summary: 'Read a listing batch',
      tag: 'listings',
      access: ['agency-officer', 'auditor'],
      params: batchIdParams,
      query: batchPageQuery,
      responses: {
        200: { description: 'Progress over the whole batch, and for lines fromLine to fromLine + 999, each line proposed with its entry, and each line refused with its line number and errors', schema: batchSchema },
        404: { description: 'Absent, or not the caller\'s agency', schema: problemSchema },
      },
    },
    async (c, { params, query, principal }) => {
      const header = await deps.batches.header(params.batchId!);
      if (!header || !inScope(principal!, header)) throw notFound('Batch');
      return c.json(await readView(header, query.fromLine ?? 1));
    },
  );
}
