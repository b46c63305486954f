import * as z from 'zod';
import type { Principal } from '../../shared/auth/principal.js';
import { derivedId } from '../../shared/platform/ids.js';
import { canonicalDigest } from '../../shared/audit/canonical-json.js';
import { BATCH_LINE_CONCURRENCY, boundedRefusal, type BatchHeader, type BatchLine, type ChunkResult, type LineProposed, type LineRefused } from '../../shared/domain/listing-batch.js';
import { DomainError } from '../../shared/platform/errors.js';
import { inPool } from '../../shared/platform/pool.js';
import { proposeListingSchema } from '../../shared/schemas/listing.js';
import { zodErrors } from '../../shared/schemas/common.js';
import { statusOf } from '../api/problems.js';
import type { TaskDeps } from '../deps.js';
import { proposeEntry } from '../proposals.js';
import type { TaskHandler } from './dispatch.js';

const linesPayload = z
  .object({
    batchId: z.string().min(1),
    items: z.array(z.object({ line: z.number().int().positive(), text: z.string() })).min(1),
  })
  .loose();
const finishPayload = z.object({ batchId: z.string().min(1), failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).loose().optional() }).loose();

/** The entry a batch line proposes: the same on every run of its chunk, so a chunk run twice proposes nothing twice. */
export const batchLineEntryId = (batchId: string, line: number) => derivedId('ent', `batch\n${batchId}\n${line}`);

/** The officer who submitted the batch, in the scope their token had: every line is proposed as them. */
const submitter = (header: BatchHeader): Principal => ({ role: 'agency-officer', id: header.submittedBy.id, name: header.submittedBy.name, agencyId: header.agencyId });

/**
 * One line, as `POST /v1/listings` would take it: a line that is not JSON, or
 * not a valid proposal, or one the rules refuse, is reported with the status
 * and errors the route would answer. Anything else (a store unreachable) is
 * thrown, and the chunk is tried again.
 */
async function proposeLine(deps: TaskDeps, header: BatchHeader, item: BatchLine): Promise<LineProposed | LineRefused> {
  let raw: unknown;
  try {
    raw = JSON.parse(item.text);
  } catch (error) {
    return boundedRefusal(item.line, 400, `Line ${item.line} is not valid JSON: ${(error as Error).message}`, [{ path: '(line)', message: 'not valid JSON' }]);
  }
  const parsed = proposeListingSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = zodErrors(parsed.error);
    return boundedRefusal(item.line, 400, `${errors.length} field(s) are invalid`, errors);
  }
  const entryId = batchLineEntryId(header.batchId, item.line);
  try {
    const { created } = await proposeEntry(deps, submitter(header), parsed.data, { entryId, requestHash: canonicalDigest(parsed.data), keyed: true });
    return { line: item.line, entryId, created };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return boundedRefusal(item.line, statusOf(error.code), error.message, error.details.errors);
  }
}

/**
 * A chunk of a batch's lines (one Distributed Map child on AWS): each line
 * proposed or refused, then the chunk's result stored under its first line.
 * A chunk whose result is stored already is not worked again.
 */
const proposeBatchLines: TaskHandler = async (payload, deps) => {
  const { batchId, items } = linesPayload.parse(payload);
  const firstLine = items[0]!.line;
  const summary = (r: ChunkResult) => ({ firstLine, lines: r.proposed.length + r.refused.length, proposed: r.proposed.length, refused: r.refused.length });
  const stored = await deps.batches.chunk(batchId, firstLine);
  if (stored) return summary(stored);
  const header = await deps.batches.header(batchId);
  if (!header) throw new DomainError('NOT_FOUND', `Batch ${batchId} was not found`);
  const outcomes: Array<LineProposed | LineRefused> = new Array(items.length);
  await inPool(items.length, BATCH_LINE_CONCURRENCY, async (i) => {
    outcomes[i] = await proposeLine(deps, header, items[i]!);
  });
  const result: ChunkResult = {
    firstLine,
    proposed: outcomes.filter((o): o is LineProposed => 'entryId' in o),
    refused: outcomes.filter((o): o is LineRefused => 'status' in o),
    finishedAt: deps.clock.now().toISOString(),
  };
  await deps.batches.putChunk(batchId, result, items.at(-1)!.line);
  return summary(result);
};

/** The batch's last step: completed, or failed with the error that stopped its map (the lines done stay done). */
const finishBatch: TaskHandler = async (payload, deps) => {
  const { batchId, failure } = finishPayload.parse(payload);
  const at = deps.clock.now().toISOString();
  await deps.batches.finish(batchId, failure ? { status: 'failed', at, failure: [failure.Error, failure.Cause].filter(Boolean).join(': ') || 'failed' } : { status: 'completed', at });
  return { batchId, status: failure ? 'failed' : 'completed' };
};

export const BATCH_TASKS: Record<string, TaskHandler> = { proposeBatchLines, finishBatch };
