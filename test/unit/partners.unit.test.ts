import { createHmac } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PartnerEvent } from '../../shared/domain/partner-events.js';
import { deliveryExecutionName, partnerFanOut } from '../../shared/partners/fan-out.js';
import { PartnerStore, type DeliveryAttempt, type Subscription } from '../../shared/partners/partner-store.js';
import { signBody, verifySignature } from '../../shared/partners/signature.js';
import { derivedId, newId } from '../../shared/platform/ids.js';
import type { MachineKey, WorkflowEngine } from '../../shared/workflows/engine.js';

/*
 * Delivery to joint-enforcement partners, below the running system: the
 * signature a partner checks, the DynamoDB commands of the partner store
 * (exact inputs, aws-sdk-client-mock), and the fan-out from a commit's
 * partner events to one delivery and one execution per interested subscription.
 */

const TABLE = 'due-process-entries';
const SECRET = 'partner-secret-0123456789';

// ---- signature ----

describe('X-Signature', () => {
  const body = JSON.stringify({ eventId: 'ent_sd:5', type: 'entry.delisted', entryId: 'ent_sd', subjectId: '91310000MA1FL0000N', listType: 'serious-dishonesty', at: '2026-10-09T02:00:00.000Z', note: '信用修复' });
  /** Computed here, independently, over the raw UTF-8 bytes of the body. */
  const expected = `sha256=${createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex')}`;

  it('is sha256= and the lowercase hex HMAC-SHA256 of the raw body with the subscription secret', () => {
    expect(signBody(body, SECRET)).toBe(expected);
    expect(signBody(body, SECRET)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('matches the published HMAC-SHA256 vector (RFC 4231, test case 2)', () => {
    expect(signBody('what do ya want for nothing?', 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('verifies with the right secret', () => {
    expect(verifySignature(body, SECRET, expected)).toBe(true);
  });

  it.each([
    ['another secret', body, 'partner-secret-0123456780', expected],
    ['a changed body', body.replace('entry.delisted', 'entry.listed'), SECRET, expected],
    ['a body with one space added', `${body} `, SECRET, expected],
    ['no header', body, SECRET, undefined],
    ['an empty header', body, SECRET, ''],
    ['the hex without the sha256= prefix', body, SECRET, expected.slice('sha256='.length)],
    ['a header one character longer', body, SECRET, `${expected}0`],
    ['a header one character shorter', body, SECRET, expected.slice(0, -1)],
    ['the same digest in upper case', body, SECRET, `sha256=${expected.slice('sha256='.length).toUpperCase()}`],
  ])('refuses %s, without throwing', (_label, b, secret, header) => {
    expect(verifySignature(b, secret, header)).toBe(false);
  });
});

// ---- the partner store ----

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret' } }));
const ddb = mockClient(DynamoDBDocumentClient);
const store = new PartnerStore(client, TABLE);

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } });

const subscription: Subscription = {
  subscriptionId: 'sub_01KAB3X7Q9M2N4P6R8T0V2W4Y6',
  partnerId: 'partner_tax',
  url: 'https://partner.example.cn/credit-events',
  secret: SECRET,
  events: ['entry.listed', 'entry.delisted'],
  createdAt: '2026-09-01T02:00:00.000Z',
};
const ENTRY = 'ent_01KAB3X7Q9M2N4P6R8T0V2W4Y7';
const event = (seq: number, type: PartnerEvent['type'] = 'entry.delisted', at = '2026-10-09T02:00:00.000Z'): PartnerEvent => ({ eventId: `${ENTRY}:${seq}`, type, entryId: ENTRY, subjectId: '91310000MA1FL0000N', listType: 'serious-dishonesty', at });
const PK = `DELIVERIES#${subscription.subscriptionId}`;

beforeEach(() => ddb.reset());

describe('PartnerStore: subscriptions', () => {
  it('subscribe is a put under SUBSCRIPTIONS, keyed by the subscription id, only if none is there', async () => {
    ddb.on(PutCommand).resolves({});
    await store.subscribe(subscription);
    expect(ddb.commandCalls(PutCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: TABLE, Item: { pk: 'SUBSCRIPTIONS', sk: subscription.subscriptionId, ...subscription }, ConditionExpression: 'attribute_not_exists(pk)' },
    ]);
  });

  it('subscribe does not overwrite: the condition failure reaches the caller', async () => {
    const failed = conditionFailed();
    ddb.on(PutCommand).rejects(failed);
    await expect(store.subscribe(subscription)).rejects.toBe(failed);
  });

  it('subscription reads by key; subscriptions reads every page, consistently, and returns only the subscription fields', async () => {
    const stored = { pk: 'SUBSCRIPTIONS', sk: subscription.subscriptionId, ...subscription };
    ddb.on(GetCommand).resolves({ Item: stored });
    expect(await store.subscription(subscription.subscriptionId)).toEqual(subscription);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input)).toEqual([{ TableName: TABLE, Key: { pk: 'SUBSCRIPTIONS', sk: subscription.subscriptionId } }]);

    const second = { ...stored, sk: 'sub_2', subscriptionId: 'sub_2' };
    ddb.on(QueryCommand)
      .resolvesOnce({ Items: [stored], LastEvaluatedKey: { pk: 'SUBSCRIPTIONS', sk: subscription.subscriptionId } })
      .resolvesOnce({ Items: [second] });
    expect(await store.subscriptions()).toEqual([subscription, { ...subscription, subscriptionId: 'sub_2' }]);
    const base = { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SUBSCRIPTIONS' }, ConsistentRead: true };
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      { ...base, ExclusiveStartKey: undefined },
      { ...base, ExclusiveStartKey: { pk: 'SUBSCRIPTIONS', sk: subscription.subscriptionId } },
    ]);
  });
});

describe('PartnerStore: deliveries', () => {
  const AT = '2026-10-09T02:00:01.000Z';

  it('addDelivery puts a pending delivery under the subscription, sorted by entry and zero-padded seq, only if none is there', async () => {
    ddb.on(PutCommand).resolves({});
    await store.addDelivery(subscription, event(5), AT);
    expect(ddb.commandCalls(PutCommand).map((c) => c.args[0].input)).toEqual([{
      TableName: TABLE,
      Item: {
        pk: PK,
        sk: `${ENTRY}#00000005`,
        subscriptionId: subscription.subscriptionId,
        partnerId: 'partner_tax',
        event: event(5),
        status: 'pending',
        attempts: [],
        createdAt: AT,
        attemptCount: 0,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }]);
  });

  it('run twice: the second addDelivery meets the condition and changes nothing, without failing', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());
    await store.addDelivery(subscription, event(5), AT);
    await expect(store.addDelivery(subscription, event(5), '2026-10-09T02:05:00.000Z')).resolves.toBeUndefined();
    expect(ddb.commandCalls(PutCommand)).toHaveLength(2);
  });

  it('addDelivery lets any other failure through', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    ddb.on(PutCommand).rejects(throttled);
    await expect(store.addDelivery(subscription, event(5), AT)).rejects.toBe(throttled);
  });

  it('earlierPending queries the same entry from its first event to the one before (seq 4 of 5), leaving out delivered ones', async () => {
    const pendingItem = { pk: PK, sk: `${ENTRY}#00000002`, subscriptionId: subscription.subscriptionId, partnerId: 'partner_tax', event: event(2, 'entry.listed'), status: 'pending', attempts: [{ at: AT, status: 503 }], createdAt: AT, attemptCount: 1 };
    ddb.on(QueryCommand).resolves({ Items: [pendingItem] });
    expect(await store.earlierPending(subscription.subscriptionId, event(5))).toEqual({
      subscriptionId: subscription.subscriptionId,
      partnerId: 'partner_tax',
      event: event(2, 'entry.listed'),
      status: 'pending',
      attempts: [{ at: AT, status: 503 }],
      createdAt: AT,
    });
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([{
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#status <> :delivered',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': PK, ':from': `${ENTRY}#`, ':to': `${ENTRY}#00000004`, ':delivered': 'delivered' },
      ConsistentRead: true,
    }]);
  });

  it('earlierPending pads across a digit boundary: before seq 10 comes 00000009', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await store.earlierPending(subscription.subscriptionId, event(10))).toBeUndefined();
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({ ':to': `${ENTRY}#00000009` });
  });

  it('earlierPending for the first event of an entry asks nothing', async () => {
    expect(await store.earlierPending(subscription.subscriptionId, event(1, 'entry.listed'))).toBeUndefined();
    expect(ddb.calls()).toHaveLength(0);
  });

  it('recordAttempt appends a failed attempt in place and counts it, leaving the status alone', async () => {
    ddb.on(UpdateCommand).resolves({});
    const attempt: DeliveryAttempt = { at: AT, status: 503 };
    await store.recordAttempt(subscription.subscriptionId, event(5), attempt, false);
    const [input] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(input).toEqual({
      TableName: TABLE,
      Key: { pk: PK, sk: `${ENTRY}#00000005` },
      UpdateExpression: 'SET attempts = list_append(attempts, :attempt), attemptCount = attemptCount + :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':attempt': [attempt], ':one': 1 },
    });
    expect(input!.ExpressionAttributeNames).toBeUndefined();
  });

  it('recordAttempt on a 2xx answer also marks the delivery delivered, at the attempt time', async () => {
    ddb.on(UpdateCommand).resolves({});
    const attempt: DeliveryAttempt = { at: AT, status: 200 };
    await store.recordAttempt(subscription.subscriptionId, event(5), attempt, true);
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input)).toEqual([{
      TableName: TABLE,
      Key: { pk: PK, sk: `${ENTRY}#00000005` },
      UpdateExpression: 'SET attempts = list_append(attempts, :attempt), attemptCount = attemptCount + :one, #status = :delivered, deliveredAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':attempt': [attempt], ':one': 1, ':delivered': 'delivered', ':at': AT },
    }]);
  });

  it('recordAttempt for a delivery that was never recorded fails on the condition', async () => {
    const failed = conditionFailed();
    ddb.on(UpdateCommand).rejects(failed);
    await expect(store.recordAttempt(subscription.subscriptionId, event(5), { at: AT, error: 'ECONNREFUSED' }, false)).rejects.toBe(failed);
  });
});

// ---- fan-out ----

describe('partnerFanOut', () => {
  const NOW = new Date('2026-10-09T02:00:01.000Z');

  /** A stand-in store and engine that record, in one log, what the fan-out asked of them. */
  const harness = (subscriptions: Subscription[]) => {
    const log: string[] = [];
    const deliveries: Array<{ subscriptionId: string; eventId: string; at: string }> = [];
    const executions: Array<{ machine: MachineKey; name: string; input: unknown }> = [];
    const partners = {
      subscriptions: async () => subscriptions,
      addDelivery: async (s: Subscription, e: PartnerEvent, at: string) => {
        log.push(`delivery ${s.subscriptionId} ${e.eventId}`);
        deliveries.push({ subscriptionId: s.subscriptionId, eventId: e.eventId, at });
      },
    } as unknown as PartnerStore;
    const workflows: WorkflowEngine = {
      startExecution: async (machine, name, input) => {
        log.push(`execution ${name}`);
        executions.push({ machine, name, input });
        return { executionArn: `arn:aws:states:ap-east-1:000000000000:execution:${machine}:${name}` };
      },
      sendTaskSuccess: async () => { throw new Error('not used by the fan-out'); },
      sendTaskFailure: async () => { throw new Error('not used by the fan-out'); },
    };
    return { fanOut: partnerFanOut(partners, workflows, { now: () => NOW }), log, deliveries, executions };
  };

  const wantsBoth = { ...subscription, subscriptionId: 'sub_both' };
  const wantsCorrections = { ...subscription, subscriptionId: 'sub_corr', events: ['entry.corrected' as const] };
  /** Subscribed on 10-01: the listing of 09-10 happened before it. */
  const lateSubscriber = { ...subscription, subscriptionId: 'sub_late', events: ['entry.listed' as const, 'entry.delisted' as const, 'entry.corrected' as const], createdAt: '2026-10-01T00:00:00.000Z' };
  const listedEvent = event(2, 'entry.listed', '2026-09-10T02:00:00.000Z');
  const delistedEvent = event(5, 'entry.delisted', '2026-10-09T02:00:00.000Z');

  it('one delivery, then one execution, per subscription that wants the type; older events are not sent to a newer subscription', async () => {
    const h = harness([wantsBoth, wantsCorrections, lateSubscriber]);
    await h.fanOut([listedEvent, delistedEvent]);
    expect(h.log).toEqual([
      `delivery sub_both ${ENTRY}:2`,
      `execution sub_both-${ENTRY}-2`,
      `delivery sub_both ${ENTRY}:5`,
      `execution sub_both-${ENTRY}-5`,
      `delivery sub_late ${ENTRY}:5`,
      `execution sub_late-${ENTRY}-5`,
    ]);
    expect(h.deliveries.every((d) => d.at === NOW.toISOString())).toBe(true);
    expect(h.executions).toEqual([
      { machine: 'partnerDelivery', name: `sub_both-${ENTRY}-2`, input: { subscriptionId: 'sub_both', entryId: ENTRY, eventId: `${ENTRY}:2` } },
      { machine: 'partnerDelivery', name: `sub_both-${ENTRY}-5`, input: { subscriptionId: 'sub_both', entryId: ENTRY, eventId: `${ENTRY}:5` } },
      { machine: 'partnerDelivery', name: `sub_late-${ENTRY}-5`, input: { subscriptionId: 'sub_late', entryId: ENTRY, eventId: `${ENTRY}:5` } },
    ]);
  });

  it('an event at the very instant of the subscription is sent; one a millisecond before is not', async () => {
    const h = harness([lateSubscriber]);
    await h.fanOut([event(3, 'entry.corrected', '2026-09-30T23:59:59.999Z'), event(4, 'entry.corrected', '2026-10-01T00:00:00.000Z')]);
    expect(h.executions.map((e) => e.name)).toEqual([`sub_late-${ENTRY}-4`]);
  });

  it('no subscriptions, or no partner events: nothing recorded, nothing started', async () => {
    const none = harness([]);
    await none.fanOut([delistedEvent]);
    const empty = harness([wantsBoth]);
    await empty.fanOut([]);
    expect([...none.log, ...empty.log]).toEqual([]);
  });

  it('run twice: the same deliveries and the same execution names, so the store and the engine start nothing twice', async () => {
    const h = harness([wantsBoth]);
    await h.fanOut([listedEvent, delistedEvent]);
    const first = [...h.log];
    await h.fanOut([listedEvent, delistedEvent]);
    expect(h.log).toEqual([...first, ...first]);
  });

  it('names the execution ${subscriptionId}-${entryId}-${seq}, within the 80 characters Step Functions allows for real ids', () => {
    expect(deliveryExecutionName('sub_a', { entryId: 'ent_b', eventId: 'ent_b:12' })).toBe('sub_a-ent_b-12');
    // Ids are a prefix and 26 Crockford characters (shared/platform/ids.ts); seq up to the 8 digits the store sorts by.
    const subscriptionId = newId('sub', NOW);
    const entryId = derivedId('ent', 'any seed');
    expect(subscriptionId).toHaveLength(4 + 26);
    expect(entryId).toHaveLength(4 + 26);
    const name = deliveryExecutionName(subscriptionId, { entryId, eventId: `${entryId}:99999999` });
    expect(name).toBe(`${subscriptionId}-${entryId}-99999999`);
    expect(name.length).toBe(70);
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});
