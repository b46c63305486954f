import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { agencyQueue, EntryStore } from '../../shared/stores/entry-store.js';

/*
 * The queue filter against the exact DynamoDB commands: it stays a query of
 * the byQueue index with a FilterExpression, reads on while the page is not
 * full, a bounded number of times, and never scans.
 */

const TABLE = 'due-process-entries';
const QUEUE = agencyQueue('310000-samr');
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret' } }));
const ddb = mockClient(DynamoDBDocumentClient);
const store = new EntryStore(client, { entries: TABLE, audit: 'due-process-audit' });

/** A case projection in the queue, as the index holds it. */
const item = (n: number) => ({ pk: `CASE#cas_${n}`, sk: 'CASE', queueKey: QUEUE, queueSort: `2026-09-08T16:00:00.000Z#cas_${n}`, version: 1, case: { caseId: `cas_${n}`, kind: 'objection' }, entry: { listType: 'serious-dishonesty' } });
const keyOf = (n: number) => { const { pk, sk, queueKey, queueSort } = item(n); return { pk, sk, queueKey, queueSort }; };
const cursorOf = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

beforeEach(() => ddb.reset());

describe('EntryStore.queue with a filter', () => {
  it('filters on the index query by case kind and list type, reading on until the page is full', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [], LastEvaluatedKey: keyOf(1) }).resolvesOnce({ Items: [item(2)], LastEvaluatedKey: keyOf(2) }).resolvesOnce({ Items: [item(3)], LastEvaluatedKey: keyOf(3) });
    const page = await store.queue(QUEUE, 1, undefined, { kind: 'objection', listType: 'serious-dishonesty' });
    expect(page).toEqual({ items: [item(2)], nextCursor: cursorOf(keyOf(2)) });
    const filtered = {
      TableName: TABLE,
      IndexName: 'byQueue',
      KeyConditionExpression: 'queueKey = :k',
      FilterExpression: '#case.#kind = :kind AND #entry.#listType = :listType',
      ExpressionAttributeNames: { '#case': 'case', '#kind': 'kind', '#entry': 'entry', '#listType': 'listType' },
      ExpressionAttributeValues: { ':k': QUEUE, ':kind': 'objection', ':listType': 'serious-dishonesty' },
      ScanIndexForward: true,
    };
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      { ...filtered, Limit: 2, ExclusiveStartKey: undefined },
      { ...filtered, Limit: 2, ExclusiveStartKey: keyOf(1) },
      { ...filtered, Limit: 1, ExclusiveStartKey: keyOf(2) },
    ]);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('stops after a bounded number of reads and hands back a cursor where it stopped', async () => {
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: keyOf(9) });
    const page = await store.queue(QUEUE, 50, undefined, { listType: 'penalty-general' });
    expect(page).toEqual({ items: [], nextCursor: cursorOf(keyOf(9)) });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(20);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ FilterExpression: '#entry.#listType = :listType', ExpressionAttributeNames: { '#entry': 'entry', '#listType': 'listType' } });
  });

  it('reads once, with no filter, when none is asked for', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(1)] });
    expect(await store.queue(QUEUE, 50)).toEqual({ items: [item(1)], nextCursor: undefined });
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toEqual({ TableName: TABLE, IndexName: 'byQueue', KeyConditionExpression: 'queueKey = :k', ExpressionAttributeValues: { ':k': QUEUE }, Limit: 51, ScanIndexForward: true, ExclusiveStartKey: undefined });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
