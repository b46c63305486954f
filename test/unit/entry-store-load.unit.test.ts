import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EntryStore } from '../../shared/stores/entry-store.js';

/*
 * What a load reads, against the exact DynamoDB commands: the projection, and
 * one item read of the version after it, which is absent when the projection
 * is up to date. Only a projection that lags (a crash between a commit and
 * its projection) costs a query of the trail, and is written back. An entry
 * the store loaded before costs one read, of whether the next version exists.
 */

const ENTRIES = 'due-process-entries';
const AUDIT = 'due-process-audit';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret' } }));
const ddb = mockClient(DynamoDBDocumentClient);
let store: EntryStore;

const state = { entryId: 'ent_1', subject: { id: '11010519491231002X', name: '张三' }, status: 'listed', cases: [], noticesSent: [], proposedAt: '2026-08-01T02:00:00.000Z' };
const projection = { pk: 'ENTRY#ent_1', sk: 'ENTRY', version: 3, headSeq: 5, headHash: 'h5', state, handedOff: 3 };
const nextCommit = { entryId: 'ent_1', version: 4, events: [{ seq: 6, hash: 'h6', type: 'RecordViewed', data: { by: 'auditor:1', at: '2026-09-14T01:00:00.000Z', what: 'entry' } }] };
const entryGet = (i: number) => ddb.commandCalls(GetCommand)[i]!.args[0].input;

beforeEach(() => {
  ddb.reset();
  // A store per test: each keeps the entries it loaded.
  store = new EntryStore(client, { entries: ENTRIES, audit: AUDIT });
});

describe('EntryStore.load', () => {
  it('reads the projection and the next version of the trail, and no query, when the projection is up to date', async () => {
    ddb.on(GetCommand, { TableName: ENTRIES }).resolves({ Item: projection });
    ddb.on(GetCommand, { TableName: AUDIT }).resolves({});
    const loaded = await store.load('ent_1');
    expect(loaded).toEqual({ state, version: 3, head: { seq: 5, hash: 'h5' }, handedOff: 3 });
    expect(entryGet(0)).toEqual({ TableName: ENTRIES, Key: { pk: 'ENTRY#ent_1', sk: 'ENTRY' }, ConsistentRead: true });
    expect(entryGet(1)).toEqual({ TableName: AUDIT, Key: { entryId: 'ent_1', version: 4 }, ConsistentRead: true });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('reads the rest of the trail after a next version it finds, and writes the projection back', async () => {
    ddb.on(GetCommand, { TableName: ENTRIES }).resolves({ Item: projection });
    ddb.on(GetCommand, { TableName: AUDIT }).resolves({ Item: nextCommit });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    const loaded = await store.load('ent_1');
    expect(loaded).toMatchObject({ version: 4, head: { seq: 6, hash: 'h6' } });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ TableName: AUDIT, KeyConditionExpression: 'entryId = :e AND version > :v', ExpressionAttributeValues: { ':e': 'ent_1', ':v': 4 }, ConsistentRead: true });
    expect(ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item?.pk)).toContain('ENTRY#ent_1');
  });

  it('reads only whether the next version exists for an entry it loaded before, while it does not', async () => {
    ddb.on(GetCommand, { TableName: ENTRIES }).resolves({ Item: projection });
    ddb.on(GetCommand, { TableName: AUDIT }).resolves({});
    const first = await store.load('ent_1');
    ddb.resetHistory();
    expect(await store.load('ent_1')).toEqual(first);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input)).toEqual([{ TableName: AUDIT, Key: { entryId: 'ent_1', version: 4 }, ProjectionExpression: 'version', ConsistentRead: true }]);
  });

  it('reads the projection again once the trail has a version after the one it kept', async () => {
    ddb.on(GetCommand, { TableName: ENTRIES }).resolves({ Item: projection });
    ddb.on(GetCommand, { TableName: AUDIT }).resolves({});
    await store.load('ent_1');
    ddb.on(GetCommand, { TableName: ENTRIES }).resolves({ Item: { ...projection, version: 4, headSeq: 6, headHash: 'h6', handedOff: 4 } });
    ddb.on(GetCommand, { TableName: AUDIT, Key: { entryId: 'ent_1', version: 4 } }).resolves({ Item: { version: 4 } });
    ddb.resetHistory();
    expect(await store.load('ent_1')).toMatchObject({ version: 4, head: { seq: 6, hash: 'h6' } });
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key)).toEqual([{ entryId: 'ent_1', version: 4 }, { pk: 'ENTRY#ent_1', sk: 'ENTRY' }, { entryId: 'ent_1', version: 5 }]);
  });

  it('keeps no entry whose partner events still wait for the relay', async () => {
    ddb.on(GetCommand, { TableName: ENTRIES }).resolves({ Item: { ...projection, handedOff: 2 } });
    ddb.on(GetCommand, { TableName: AUDIT }).resolves({});
    await store.load('ent_1');
    ddb.resetHistory();
    await store.load('ent_1');
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.TableName)).toEqual([ENTRIES, AUDIT]);
  });

  it('answers no entry when there is neither a projection nor a first commit', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await store.load('ent_none')).toBeUndefined();
    expect(entryGet(1)).toEqual({ TableName: AUDIT, Key: { entryId: 'ent_none', version: 1 }, ConsistentRead: true });
  });
});

describe('EntryStore.loadWithCase', () => {
  it('reads the entry and the case id in one consistent BatchGetItem', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [ENTRIES]: [{ pk: 'CASE#cas_1', sk: 'CASE', entryId: 'ent_9' }, projection] } });
    ddb.on(GetCommand, { TableName: AUDIT }).resolves({});
    const { loaded, caseEntryId } = await store.loadWithCase('ent_1', 'cas_1');
    expect(loaded?.version).toBe(3);
    expect(caseEntryId).toBe('ent_9');
    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input).toEqual({ RequestItems: { [ENTRIES]: { Keys: [{ pk: 'ENTRY#ent_1', sk: 'ENTRY' }, { pk: 'CASE#cas_1', sk: 'CASE' }], ConsistentRead: true } } });
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.TableName)).toEqual([AUDIT]);
  });

  it('reads on its own a key the batch left unprocessed', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [ENTRIES]: [] }, UnprocessedKeys: { [ENTRIES]: { Keys: [{ pk: 'ENTRY#ent_1', sk: 'ENTRY' }] } } });
    ddb.on(GetCommand, { TableName: ENTRIES }).resolves({ Item: projection });
    ddb.on(GetCommand, { TableName: AUDIT }).resolves({});
    const { loaded, caseEntryId } = await store.loadWithCase('ent_1', 'cas_1');
    expect(loaded?.version).toBe(3);
    expect(caseEntryId).toBeUndefined();
    expect(entryGet(0)).toEqual({ TableName: ENTRIES, Key: { pk: 'ENTRY#ent_1', sk: 'ENTRY' }, ConsistentRead: true });
  });
});
