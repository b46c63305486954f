import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchHeader, ChunkCounts, ChunkResult } from '../domain/listing-batch.js';

const batchPk = (batchId: string) => `BATCH#${batchId}`;
const HEADER = 'HEADER';
const CHUNK = 'CHUNK#';
/** Sorted by first line, so the results read back in line order. */
const chunkSk = (firstLine: number) => `${CHUNK}${String(firstLine).padStart(6, '0')}`;

/**
 * Listing batches in the entries table: a header per batch and one result
 * item per chunk of lines (`BATCH#<id>`, `CHUNK#<first line>`). A chunk's
 * result is written once its lines are committed; a chunk run again writes
 * the same result, so progress is the sum of the chunks stored, with no
 * counter to double.
 */
export class BatchStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a new batch; false when one with this id already exists (a retried submission). */
  async create(header: BatchHeader): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: batchPk(header.batchId), sk: HEADER, ...header }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async header(batchId: string): Promise<BatchHeader | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: batchPk(batchId), sk: HEADER }, ConsistentRead: true }))).Item;
    return item ? toHeader(item) : undefined;
  }

  /** Every chunk's counts (read without their outcomes), and the outcomes of the chunks holding lines fromLine .. toLine. */
  async progress(batchId: string, fromLine: number, toLine: number): Promise<{ counts: ChunkCounts[]; chunks: ChunkResult[] }> {
    const counted: Array<ChunkCounts & { lastLine: number }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunk)',
          ExpressionAttributeValues: { ':pk': batchPk(batchId), ':chunk': CHUNK },
          ProjectionExpression: 'firstLine, lastLine, proposedCount, refusedCount',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      counted.push(...(page.Items ?? []).map((i) => ({ firstLine: i.firstLine, lastLine: i.lastLine, proposed: i.proposedCount, refused: i.refusedCount })));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const wanted = counted.filter((c) => c.firstLine <= toLine && c.lastLine >= fromLine).map((c) => ({ pk: batchPk(batchId), sk: chunkSk(c.firstLine) }));
    const chunks: ChunkResult[] = [];
    for (let keys: Record<string, unknown>[] = wanted; keys.length > 0; ) {
      const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
      chunks.push(...(out.Responses?.[this.table] ?? []).map((i) => i.result as ChunkResult));
      keys = (out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    return { counts: counted.map(({ lastLine: _last, ...c }) => c), chunks };
  }

  async chunk(batchId: string, firstLine: number): Promise<ChunkResult | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: batchPk(batchId), sk: chunkSk(firstLine) }, ConsistentRead: true }))).Item;
    return item?.result as ChunkResult | undefined;
  }

  /** Stores a chunk's outcomes, with its counts beside them so progress is read without the outcomes. */
  async putChunk(batchId: string, result: ChunkResult, lastLine: number): Promise<void> {
    const counts = { firstLine: result.firstLine, lastLine, proposedCount: result.proposed.length, refusedCount: result.refused.length };
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: batchPk(batchId), sk: chunkSk(result.firstLine), ...counts, result } }));
  }

  /**
   * Marks the batch finished. A failure is recorded on any batch not completed
   * (the latest failure of a restarted batch replaces the first); completion
   * is recorded over a failure too (a restarted batch that then finished), and
   * clears it.
   */
  async finish(batchId: string, outcome: { status: 'completed'; at: string } | { status: 'failed'; at: string; failure: string }): Promise<void> {
    const failed = outcome.status === 'failed';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: batchPk(batchId), sk: HEADER },
          UpdateExpression: failed ? 'SET #status = :status, finishedAt = :at, failure = :failure' : 'SET #status = :status, finishedAt = :at REMOVE failure',
          ConditionExpression: failed ? 'attribute_exists(pk) AND #status <> :completed' : 'attribute_exists(pk) AND #status <> :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': outcome.status, ':at': outcome.at, ...(failed ? { ':failure': outcome.failure, ':completed': 'completed' } : {}) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function toHeader(item: Record<string, unknown>): BatchHeader {
  const { pk: _pk, sk: _sk, ...header } = item;
  return header as unknown as BatchHeader;
}
