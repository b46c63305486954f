import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchHeader, ChunkResult } from '../domain/listing-batch.js';

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

  /** The header and every chunk result so far. */
  async read(batchId: string): Promise<{ header: BatchHeader; chunks: ChunkResult[] } | undefined> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': batchPk(batchId) }, ConsistentRead: true, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const head = items.find((i) => i.sk === HEADER);
    if (!head) return undefined;
    const chunks = items.filter((i) => String(i.sk).startsWith(CHUNK)).map((i) => i.result as ChunkResult);
    return { header: toHeader(head), chunks };
  }

  async chunk(batchId: string, firstLine: number): Promise<ChunkResult | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: batchPk(batchId), sk: chunkSk(firstLine) }, ConsistentRead: true }))).Item;
    return item?.result as ChunkResult | undefined;
  }

  async putChunk(batchId: string, result: ChunkResult): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: batchPk(batchId), sk: chunkSk(result.firstLine), result } }));
  }

  /**
   * Marks the batch finished. A failure is recorded only on a batch still
   * processing; completion is recorded over a failure too (a redriven batch
   * that then finished), and clears it.
   */
  async finish(batchId: string, outcome: { status: 'completed'; at: string } | { status: 'failed'; at: string; failure: string }): Promise<void> {
    const failed = outcome.status === 'failed';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: batchPk(batchId), sk: HEADER },
          UpdateExpression: failed ? 'SET #status = :status, finishedAt = :at, failure = :failure' : 'SET #status = :status, finishedAt = :at REMOVE failure',
          ConditionExpression: failed ? 'attribute_exists(pk) AND #status = :processing' : 'attribute_exists(pk) AND #status <> :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': outcome.status, ':at': outcome.at, ...(failed ? { ':failure': outcome.failure, ':processing': 'processing' } : {}) },
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
