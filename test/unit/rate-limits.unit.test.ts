import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { clientAddress, overLimit } from '../../functions/api/rate-limit.js';
import { errorResponse } from '../../functions/api/problems.js';
import { RATE_LIMITS, rateWindow } from '../../shared/platform/rate-limits.js';
import { RateLimitStore } from '../../shared/stores/rate-limit-store.js';

/*
 * The fixed-window counter against the exact DynamoDB command: one conditional
 * UpdateItem that counts and checks at once, keyed by a digest, with a TTL.
 */

const TABLE = 'due-process-entries';
const SUBJECT = '110102199001010015';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret' } }));
const ddb = mockClient(DynamoDBDocumentClient);
const store = new RateLimitStore(client, TABLE);
const NOW = new Date('2026-09-18T02:00:17.250Z');

beforeEach(() => ddb.reset());

describe('rate windows', () => {
  it('aligns a window to the epoch and says how long until it ends, in whole seconds, at least 1', () => {
    expect(rateWindow(NOW, 60)).toEqual({ startsAt: '2026-09-18T02:00:00.000Z', endsAtEpochSeconds: Date.parse('2026-09-18T02:01:00Z') / 1000, retryAfterSeconds: 43 });
    expect(rateWindow(new Date('2026-09-18T02:00:59.999Z'), 60).retryAfterSeconds).toBe(1);
    expect(rateWindow(new Date('2026-09-18T02:01:00.000Z'), 60).startsAt).toBe('2026-09-18T02:01:00.000Z');
  });
});

describe('RateLimitStore', () => {
  it('counts a request with one conditional UpdateItem, keyed by a digest of the subject id, and allows it under the limit', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { hits: 3 } });
    expect(await store.hit('filingPerSubject', SUBJECT, NOW)).toEqual({ allowed: true, hits: 3 });
    const digest = createHash('sha256').update(SUBJECT).digest('base64url');
    expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Key: { pk: `RATE#filingPerSubject#${digest}`, sk: '2026-09-18T02:00:00.000Z' },
        UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
        ExpressionAttributeNames: { '#ttl': 'ttlEpochSeconds' },
        ExpressionAttributeValues: { ':one': 1, ':limit': RATE_LIMITS.filingPerSubject.limit, ':ttl': Date.parse('2026-09-18T02:02:00Z') / 1000 },
        ReturnValues: 'UPDATED_NEW',
      },
    ]);
  });

  it('refuses when the window already holds the limit, until the window ends', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    expect(await store.hit('tokenUsePerIp', '203.0.113.7', NOW)).toEqual({ allowed: false, retryAfterSeconds: 43 });
  });

  it('lets any other failure through', async () => {
    ddb.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(store.hit('filingPerIp', '203.0.113.7', NOW)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});

describe('the client address', () => {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c)));
  const from = async (env: unknown, headers: Record<string, string> = {}) => (await app.request('/', { headers }, env as never)).text();

  it('is API Gateway\'s source address on AWS and the socket\'s peer locally, never a header the client wrote', async () => {
    expect(await from({ requestContext: { http: { sourceIp: '198.51.100.4' } } }, { 'x-forwarded-for': '203.0.113.9' })).toBe('198.51.100.4');
    expect(await from({ incoming: { socket: { remoteAddress: '127.0.0.1' } } }, { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' })).toBe('127.0.0.1');
    expect(await from(undefined, { 'x-forwarded-for': '203.0.113.9' })).toBe('unknown');
  });

  it('reads an IPv4-mapped address as IPv4, and counts an IPv6 address by its /64', async () => {
    const local = (remoteAddress: string) => from({ incoming: { socket: { remoteAddress } } });
    expect(await local('::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(await local('2001:db8:0:12:a:b:c:d')).toBe('2001:db8:0:12::/64');
    expect(await local('2001:0db8:0000:0012::1')).toBe('2001:db8:0:12::/64');
    expect(await local('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(await local('::1')).toBe('0:0:0:0::/64');
  });
});

describe('a limit whose count cannot be kept', () => {
  it('answers 503 with Retry-After, never a 500, and lets nothing through', async () => {
    const app = new Hono();
    let reached = false;
    const failing = { hit: async () => { throw new Error('ProvisionedThroughputExceededException'); } };
    app.post('/v1/cases', async (c) => (await overLimit({ clock: { now: () => NOW }, rateLimits: failing as never }, c as never, [['filingPerSubject', SUBJECT]])) ?? ((reached = true), c.text('filed')));
    app.onError((error, c) => errorResponse(c, error));
    const res = await app.request('/v1/cases', { method: 'POST' });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(reached).toBe(false);
  });
});

