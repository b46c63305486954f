import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../functions/api/route-registry.js';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { RATE_LIMITS } from '../../shared/platform/rate-limits.js';
import { ApiClient } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { sendRaw } from '../support/local-process.js';
import { PageClient } from '../support/page-client.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Unrestricted resource consumption (OWASP API4) on the real local system,
 * with the limits of shared/platform/rate-limits.ts as deployed. Every request
 * comes from 127.0.0.1. Listings are proposed on Monday 2026-08-17, so each
 * subject may make a representation until the window closes on 08-31.
 */
const SAMR = '310000-samr';
const START = '2026-08-17T10:00:00+08:00';
const people = { a: personId(301), b: personId(302), c: personId(303), d: personId(304), e: personId(305) };
type Who = keyof typeof people;

describe('resource limits on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const entries: Record<Who | 'a2', string> = { a: '', a2: '', b: '', c: '', d: '', e: '' };
  const tokens = {} as Record<Who, string>;

  /** Moves the virtual clock to one second into the next window, so a burst of requests is counted in one window. */
  async function freshWindow(windowSeconds = 60) {
    const now = Date.parse((await api.call<{ now: string }>('GET', '/_local/clock')).body.now);
    const lengthMs = windowSeconds * 1000;
    await api.advanceTo(new Date((Math.floor(now / lengthMs) + 1) * lengthMs + 1000).toISOString());
  }

  const representation = (who: Who, entryId: string) => api.call('POST', '/v1/cases', { token: tokens[who], body: { kind: 'representation', entryId, grounds: '处罚决定认定事实有误' } });
  /** A filing the rules refuse (no grounds): it is counted all the same. */
  const refusedFiling = (who: Who) => api.call('POST', '/v1/cases', { token: tokens[who], body: { kind: 'representation', entryId: entries[who], grounds: '' } });
  const casesOn = async (who: Who, entryId: string) => (await api.call('GET', `/v1/entries/${entryId}`, { token: tokens[who] })).body.cases.length as number;

  beforeAll(async () => {
    data = await tempDataDir('security-limits-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START) });
    api = new ApiClient(sys.url);
    const officer = await api.token({ role: 'agency-officer', agencyId: SAMR });
    const propose = async (id: string, n: number) => {
      const res = await api.call('POST', '/v1/listings', {
        token: officer,
        body: { subject: { id, kind: 'person', name: `限流${n}`, email: `limits-${n}@example.cn` }, listType: 'serious-dishonesty', facts: '拒不履行行政处罚决定', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2026〕${500 + n}号`, decisionDate: '2026-08-10' },
      });
      expect(res.status).toBe(201);
      return res.body.entryId as string;
    };
    for (const [n, who] of (Object.keys(people) as Who[]).entries()) {
      entries[who] = await propose(people[who], n);
      tokens[who] = await api.token({ role: 'subject', subjectId: people[who] });
    }
    entries.a2 = await propose(people.a, 9);
  });
  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('answers a body over 1 MB with 413 and a body that is not JSON with 415, filing nothing', async () => {
    const big = JSON.stringify({ kind: 'representation', entryId: entries.a, grounds: 'x'.repeat(1024 * 1024) });
    // A connection of its own: the server answers before reading the body, and closes it.
    const tooLarge = await sendRaw('POST', `${sys.url}/v1/cases`, Buffer.from(big), { authorization: `Bearer ${tokens.a}`, 'content-type': 'application/json' });
    expect([tooLarge.status, JSON.parse(tooLarge.text).status]).toEqual([413, 413]);
    const form = await fetch(`${sys.url}/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${tokens.a}`, 'content-type': 'text/plain' }, body: JSON.stringify({ kind: 'representation', entryId: entries.a, grounds: '理由' }) });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { status: number }).status).toBe(415);
    expect(await casesOn('a', entries.a)).toBe(0);
  });

  it(`refuses a subject's filing over ${RATE_LIMITS.filingPerSubject.limit} a minute with 429 and Retry-After, files nothing, and takes it in the next window`, async () => {
    const { limit } = RATE_LIMITS.filingPerSubject;
    await freshWindow();
    // Refused or filed, each filing counts.
    for (let n = 1; n < limit; n++) expect((await refusedFiling('a')).status).toBe(400);
    expect((await representation('a', entries.a)).status).toBe(201);
    const before = await casesOn('a', entries.a2);

    const over = await fetch(`${sys.url}/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${tokens.a}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'representation', entryId: entries.a2, grounds: '处罚决定认定事实有误' }) });
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await casesOn('a', entries.a2)).toBe(before);

    // The party's page files through the same route, and says the same.
    const page = await PageClient.signedIn(sys.url, tokens.a);
    const viaPage = await page.post(`/entries/${entries.a2}/cases`, { kind: 'representation', grounds: '处罚决定认定事实有误', idempotencyKey: 'limits-page-1' });
    expect(viaPage.status).toBe(429);
    expect(Number(viaPage.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await casesOn('a', entries.a2)).toBe(before);

    await freshWindow();
    expect((await representation('a', entries.a2)).status).toBe(201);
    expect(await casesOn('a', entries.a2)).toBe(before + 1);
  });

  it(`refuses filings from one address over ${RATE_LIMITS.filingPerIp.limit} a minute, whoever files them`, async () => {
    const { limit } = RATE_LIMITS.filingPerIp;
    const perSubject = RATE_LIMITS.filingPerSubject.limit;
    // Enough parties that none reaches its own limit first.
    const senders = await Promise.all(Array.from({ length: Math.ceil(limit / perSubject) }, (_, i) => api.token({ role: 'subject', subjectId: personId(600 + i) })));
    await freshWindow();
    const refused = (token: string) => api.call('POST', '/v1/cases', { token, body: { kind: 'representation', entryId: entries.a, grounds: '' } });
    for (let n = 0; n < limit; n++) expect((await refused(senders[Math.floor(n / perSubject)]!)).status).toBe(400);
    // A subject who has filed nothing this minute, behind an address that has: refused, nothing filed.
    const over = await representation('e', entries.e);
    expect(over.status).toBe(429);
    expect(await casesOn('e', entries.e)).toBe(0);
  });

  it(`limits token use per address to ${RATE_LIMITS.tokenUsePerIp.limit} a minute: issuing, signing in, and presenting a token that does not verify`, async () => {
    const { limit } = RATE_LIMITS.tokenUsePerIp;
    await freshWindow();
    // A header the client writes does not make another address.
    const spoof = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}`, 'x-real-ip': `203.0.113.${n}` });
    for (let n = 0; n < limit / 2; n++) {
      const issued = await api.call('POST', '/_local/token', { body: { role: 'auditor' }, headers: spoof(n) });
      expect(issued.status).toBe(201);
    }
    for (let n = limit / 2; n < limit; n++) expect((await api.call('GET', '/v1/me/entries', { token: 'not.a.token', headers: spoof(n) })).status).toBe(401);

    const issue = await fetch(`${sys.url}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor' }) });
    expect(issue.status).toBe(429);
    expect(Number(issue.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const badBearer = await fetch(`${sys.url}/v1/me/entries`, { headers: { authorization: 'Bearer not.a.token' } });
    expect([badBearer.status, badBearer.headers.has('retry-after')]).toEqual([429, true]);
    // Pages: signing in with a token, and the sign-in form (which has a token issued), get the same status.
    const link = await fetch(`${sys.url}/_local/login?token=${encodeURIComponent(tokens.b)}`, { redirect: 'manual' });
    expect([link.status, link.headers.get('content-type')]).toEqual([429, expect.stringMatching(/^text\/html/)]);
    expect(Number(link.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const browser = new PageClient(sys.url);
    expect((await browser.get('/login')).status).toBe(200);
    const form = await browser.post('/login', { role: 'subject', subjectId: people.b });
    expect(form.status).toBe(429);
    expect(Number(form.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    await freshWindow();
    expect((await api.call('POST', '/_local/token', { body: { role: 'auditor' } })).status).toBe(201);
  });

  it(`refuses an agency's listing batch over ${RATE_LIMITS.batchPerAgency.limit} an hour with 429 and Retry-After, reading none of it, and takes it in the next hour`, async () => {
    const { limit, windowSeconds } = RATE_LIMITS.batchPerAgency;
    await freshWindow(windowSeconds);
    // Local tokens live an hour of the virtual clock: one is asked for after every advance.
    let officer = await api.token({ role: 'agency-officer', agencyId: '310000-samr' });
    // Refused or accepted, each upload counts: a blank one is refused after it is counted.
    const send = (key: string, body = '\n') => fetch(`${sys.url}/v1/listings:batch`, { method: 'POST', headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key }, body });
    for (let n = 0; n < limit; n++) expect((await send(`limit-${n}`)).status).toBe(400);
    const over = await send('limit-over');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(60);
    // Another agency is counted apart.
    const other = await api.token({ role: 'agency-officer', agencyId: '330000-zjamr' });
    expect((await fetch(`${sys.url}/v1/listings:batch`, { method: 'POST', headers: { authorization: `Bearer ${other}`, 'content-type': 'application/x-ndjson', 'idempotency-key': 'other' }, body: '\n' })).status).toBe(400);
    await freshWindow(windowSeconds);
    officer = await api.token({ role: 'agency-officer', agencyId: '310000-samr' });
    expect((await send('limit-next')).status).toBe(400);
  });

  it('keeps each count in one item per window, keyed by a digest (never a subject id or address in clear), with a TTL', async () => {
    const items = (await sys.db.send(new ScanCommand({ TableName: sys.tables.entries, FilterExpression: 'begins_with(pk, :rate)', ExpressionAttributeValues: { ':rate': 'RATE#' } }))).Items ?? [];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const name = (/^RATE#(\w+)#[\w-]{43}$/.exec(item.pk as string)?.[1] ?? '') as keyof typeof RATE_LIMITS;
      expect(Object.keys(RATE_LIMITS), item.pk as string).toContain(name);
      for (const id of [...Object.values(people), '127.0.0.1']) expect(JSON.stringify(item)).not.toContain(id);
      expect(item.ttlEpochSeconds).toBeGreaterThan(Date.parse(item.sk as string) / 1000 + RATE_LIMITS[name].windowSeconds);
      // A refused request is not counted: a window's count stops at its limit.
      expect(item.hits).toBeLessThanOrEqual(RATE_LIMITS[name].limit);
    }
  });

  it('has a maximum for every string and every array of every route\'s body and query', () => {
    // Building the app registered its routes, the local ones included.
    expect(registeredRoutes.length).toBeGreaterThan(20);
    const found = registeredRoutes.flatMap((r) =>
      (['body', 'query'] as const).flatMap((part) => {
        const schema = r[part];
        return schema ? unbounded(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), `${r.method.toUpperCase()} ${r.path} ${part}`) : [];
      }),
    );
    expect(found).toEqual([]);
  });
});

/**
 * Where a string's length is bounded other than by maxLength: a closed set of
 * values, or a pattern anchored at both ends without an open-ended repeat (`*`,
 * `+`, `{n,}`), such as `^ent_[0-9A-Z]{26}$`.
 */
function boundedByPattern(pattern: string): boolean {
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return false;
  const bare = pattern.replace(/\\./g, '_').replace(/\[[^\]]*\]/g, '_');
  return !/[*+]|\{\d+,\}/.test(bare);
}

/** Every place in a JSON Schema where a string or an array has no upper bound, by its path. */
function unbounded(schema: unknown, path: string): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const found: string[] = [];
  const types = ([] as unknown[]).concat(node.type ?? []);
  const closed = 'enum' in node || 'const' in node;
  if (types.includes('string') && !closed && node.maxLength === undefined && !(typeof node.pattern === 'string' && boundedByPattern(node.pattern))) found.push(`${path}: string without maxLength`);
  if (types.includes('array') && node.maxItems === undefined) found.push(`${path}: array without maxItems`);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === '$defs' || key === 'definitions') for (const [name, sub] of Object.entries(value as object)) found.push(...unbounded(sub, `${path}.${name}`));
    else if (Array.isArray(value)) value.forEach((sub, i) => found.push(...unbounded(sub, `${path}.${key}[${i}]`)));
    else if (value && typeof value === 'object') found.push(...unbounded(value, `${path}.${key}`));
  }
  return found;
}

describe('the size of every input is bounded', () => {
  it('tells a bounded pattern from an open one', () => {
    expect(boundedByPattern('^ent_[0-9A-Z]{26}$')).toBe(true);
    expect(boundedByPattern('^[0-9a-f]{64}$')).toBe(true);
    expect(boundedByPattern('^\\d{4}-\\d{2}-\\d{2}$')).toBe(true);
    expect(boundedByPattern('^[a-z]+$')).toBe(false);
    expect(boundedByPattern('^a{2,}$')).toBe(false);
    expect(boundedByPattern('[0-9]{6}')).toBe(false);
    expect(boundedByPattern('^[+*]{3}$')).toBe(true);
  });
});
