import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { decideCase, fileCase, withdrawCase } from '../../shared/domain/entry.js';
import { agencyQueue, EntryStore, finishedQueue, type LoadedEntry } from '../../shared/stores/entry-store.js';
import { at, company, given, proposal } from '../support/domain.js';

/*
 * What the statistics read, against the exact DynamoDB commands: a case
 * leaves its queue for its agency's finished partition of the same index,
 * keyed by when it finished, and both are read by key condition, every page,
 * never by a scan.
 */

const TABLE = 'due-process-entries';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret' } }));
const ddb = mockClient(DynamoDBDocumentClient);
const store = new EntryStore(client, { entries: TABLE, audit: 'due-process-audit' });
const actor = { role: 'agency-reviewer', id: 'rev_samr' };

// A representation filed Tuesday 2026-02-24 (the window runs to 03-04) on the serious-dishonesty proposal of 310000-samr.
const proposed = given(proposal());
const filed = given(proposal(), ...fileCase({ caseId: 'cas_r', kind: 'representation', subjectId: company.id, grounds: 'Paid in full', evidence: [] }, proposed, at('2026-02-24T10:00')));
const loaded = (state = filed, version = 2): LoadedEntry => ({ state, version, head: { seq: version, hash: 'a'.repeat(64) }, handedOff: version });
const caseItem = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item!).find((i) => i.pk === 'CASE#cas_r');

beforeEach(() => {
  ddb.reset();
  ddb.on(PutCommand).resolves({});
});

describe('EntryStore for the review statistics', () => {
  it('keeps an open case in its agency queue, by deadline', async () => {
    await store.commit('ent_sd', loaded(proposed, 1), fileCase({ caseId: 'cas_r', kind: 'representation', subjectId: company.id, grounds: 'Paid in full', evidence: [] }, proposed, at('2026-02-24T10:00')), actor, at('2026-02-24T10:00').now);
    // 5 working days from Tuesday 02-24: 25, 26, 27, make-up Saturday 28, Monday 03-02.
    expect(caseItem()).toMatchObject({ queueKey: agencyQueue('310000-samr'), queueSort: '2026-03-03T00:00:00.000+08:00#cas_r' });
  });

  it('moves a decided case to its agency\'s finished partition, sorted by the instant of the decision', async () => {
    const events = decideCase({ caseId: 'cas_r', outcome: 'rejected', reasons: 'Not paid', by: 'rev_samr', level: 'agency' }, filed, at('2026-02-26T15:30'));
    await store.commit('ent_sd', loaded(), events, actor, at('2026-02-26T15:30').now);
    expect(caseItem()).toMatchObject({ queueKey: 'DONE#310000-samr', queueSort: '2026-02-26T07:30:00.000Z#cas_r' });
  });

  it('moves a withdrawn case there too, by the instant of the withdrawal', async () => {
    await store.commit('ent_sd', loaded(), withdrawCase({ caseId: 'cas_r', by: company.id }, filed, at('2026-02-25T09:00')), actor, at('2026-02-25T09:00').now);
    expect(caseItem()).toMatchObject({ queueKey: finishedQueue('310000-samr'), queueSort: '2026-02-25T01:00:00.000Z#cas_r' });
  });

  it('reads an agency\'s finished cases since an instant by key condition, every page', async () => {
    const page = (n: number) => ({ case: { caseId: `cas_${n}` } });
    const key = { pk: 'CASE#cas_1', sk: 'CASE', queueKey: 'DONE#310000-samr', queueSort: '2026-01-05T02:00:00.000Z#cas_1' };
    ddb.on(QueryCommand).resolvesOnce({ Items: [page(1)], LastEvaluatedKey: key }).resolvesOnce({ Items: [page(2)] });
    const cases = await store.finishedCases('310000-samr', '2025-11-01T00:00:00+08:00');
    expect(cases.map((c) => c.caseId)).toEqual(['cas_1', 'cas_2']);
    const query = {
      TableName: TABLE,
      IndexName: 'byQueue',
      KeyConditionExpression: 'queueKey = :k AND queueSort >= :from',
      // The instant in the index's own format, so the range compares like with like.
      ExpressionAttributeValues: { ':k': 'DONE#310000-samr', ':from': '2025-10-31T16:00:00.000Z' },
      ProjectionExpression: '#case',
      ExpressionAttributeNames: { '#case': 'case' },
    };
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      { ...query, ExclusiveStartKey: undefined },
      { ...query, ExclusiveStartKey: key },
    ]);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('reads every open case of a queue by its key alone', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ case: { caseId: 'cas_9' } }] });
    expect((await store.openCases(agencyQueue('310000-samr'))).map((c) => c.caseId)).toEqual(['cas_9']);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'byQueue',
      KeyConditionExpression: 'queueKey = :k',
      ExpressionAttributeValues: { ':k': 'AGENCY#310000-samr' },
      ProjectionExpression: '#case',
      ExpressionAttributeNames: { '#case': 'case' },
      ExclusiveStartKey: undefined,
    });
  });
});
