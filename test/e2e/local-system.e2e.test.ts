import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStart, postRaw, type RunningSystem } from '../support/local-process.js';
import { tempDataDir } from '../support/temp-dir.js';

/** The running system over HTTP, started with the README's command, as a new user would. */
describe('npm start: the local system over HTTP', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: RunningSystem;

  const call = async (method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; type?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.type ?? 'application/json';
    const res = await fetch(sys.url + path, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, type: res.headers.get('content-type') ?? '' };
  };
  const token = async (claims: Record<string, string>) => (await call('POST', '/_local/token', { body: claims })).json.token as string;
  const proposal = (subjectId = '11010519491231002X') => ({
    subject: { id: subjectId, kind: 'person', name: '张三', email: 'zhang@example.cn', mobile: '13812345678' },
    listType: 'serious-dishonesty',
    facts: 'Failed to pay wages',
    legalBasis: 'Labour Contract Law Art. 85',
    measures: ['No government procurement'],
    decisionRef: '沪市监罚〔2026〕1号',
    decisionDate: '2026-11-01',
  });

  beforeAll(async () => {
    data = await tempDataDir();
    sys = await npmStart(data.dir);
  });
  afterAll(async () => {
    sys?.kill();
    await data?.remove();
  });

  it('serves health, an OpenAPI 3.1 document of its routes, and the seeded reference data', async () => {
    expect((await call('GET', '/health')).json).toEqual({ status: 'ok' });
    const doc = (await call('GET', '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/listings', '/v1/entries/{entryId}', '/v1/entries/{entryId}/audit/verify', '/v1/agencies', '/v1/list-types', '/v1/public/entries']));
    expect(doc.paths['/v1/listings'].post.requestBody.content['application/json'].schema.properties.subject).toBeDefined();
    const agencies = (await call('GET', '/v1/agencies')).json.agencies;
    expect(new Set(agencies.map((a: { provinceCode: string }) => a.provinceCode)).size).toBeGreaterThanOrEqual(2);
    expect((await call('GET', '/v1/list-types')).json.listTypes.map((t: { listType: string }) => t.listType)).toContain('judgment-defaulters');
  });

  it('refuses bad input with problem+json naming every bad field, never a 500', async () => {
    const officer = await token({ role: 'agency-officer', agencyId: '310000-samr' });
    const wrongCheck = await call('POST', '/v1/listings', { token: officer, body: { ...proposal('110105194912310021'), decisionDate: '2026-02-30', measures: [] } });
    expect(wrongCheck.status).toBe(400);
    expect(wrongCheck.type).toContain('application/problem+json');
    expect(wrongCheck.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['decisionDate', 'measures', 'subject.id']);
    expect(wrongCheck.json.errors.find((e: { path: string }) => e.path === 'subject.id').message).toContain("expected 'X'");
    expect((await call('POST', '/v1/listings', { token: officer, raw: '{"subject":' })).status).toBe(400);
    expect((await call('POST', '/v1/listings', { token: officer, raw: 'a=b', type: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect(await postRaw(`${sys.url}/v1/listings`, Buffer.from(JSON.stringify({ pad: 'x'.repeat(1_100_000) })), { authorization: `Bearer ${officer}`, 'content-type': 'application/json' })).toBe(413);
    expect((await call('POST', '/v1/listings', { body: proposal() })).status).toBe(401);
    expect((await call('POST', '/v1/listings', { token: `${officer.slice(0, -4)}AAAA`, body: proposal() })).status).toBe(401);
    const subject = await token({ role: 'subject', subjectId: '11010519491231002X' });
    expect((await call('POST', '/v1/listings', { token: subject, body: proposal() })).status).toBe(403);
    // An agency not entitled to the list type: a bad listType for this caller, named.
    const county = await token({ role: 'agency-officer', agencyId: '310000-pudong-samr' });
    const notEntitled = await call('POST', '/v1/listings', { token: county, body: proposal() });
    expect(notEntitled.status).toBe(400);
    expect(notEntitled.json.errors.map((e: { path: string }) => e.path)).toEqual(['listType']);
  });

  it('stores a proposal with its audit event, scoped to its subject and agency; others get 404', async () => {
    const officer = await token({ role: 'agency-officer', agencyId: '310000-samr' });
    const created = await call('POST', '/v1/listings', { token: officer, body: proposal() });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'proposed', agencyId: '310000-samr', underObjection: false, openCases: [] });
    expect(created.json.representationDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const id = created.json.entryId;

    const subject = await token({ role: 'subject', subjectId: '11010519491231002X' });
    expect((await call('GET', `/v1/entries/${id}`, { token: subject })).json.entryId).toBe(id);
    expect((await call('GET', '/v1/me/entries', { token: subject })).json.entries.map((e: { entryId: string }) => e.entryId)).toContain(id);

    const otherSubject = await token({ role: 'subject', subjectId: '110105194912310048' });
    const otherAgency = await token({ role: 'agency-reviewer', agencyId: '330000-zjamr' });
    const otherProvince = await token({ role: 'provincial-reviewer', provinceCode: '330000' });
    for (const t of [otherSubject, otherAgency, otherProvince]) {
      expect((await call('GET', `/v1/entries/${id}`, { token: t })).status).toBe(404);
      expect((await call('GET', `/v1/entries/${id}/audit`, { token: t })).status).toBe(404);
    }
    expect((await call('GET', '/v1/me/entries', { token: otherSubject })).json.entries).toEqual([]);
    // Proposed entries are never in the public search.
    expect((await call('GET', '/v1/public/entries?q=张三')).json.entries).toEqual([]);

    const auditor = await token({ role: 'auditor' });
    // The notice is served by the workflow, after the response: poll for it, bounded.
    let events: Array<{ type: string; hash: string; data: { channel?: string; what?: string } }> = [];
    const notices = () => events.filter((e) => e.type === 'NoticeSent');
    for (let i = 0; i < 50 && notices().length < 2; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      events = (await call('GET', `/v1/entries/${id}/audit`, { token: auditor })).json.events;
    }
    expect(events[0]).toMatchObject({ seq: 1, type: 'ListingProposed', actor: { role: 'agency-officer', id: 'agency-officer:310000-samr' }, prevHash: '0'.repeat(64) });
    // The workflow serves the pre-listing notice on both contacts and records each.
    expect(notices().map((e) => `${e.type}:${e.data.channel}`).sort()).toEqual(['NoticeSent:email', 'NoticeSent:sms']);
    // The auditor's reading of the trail is in it too, once however often it polled.
    expect(events.filter((e) => e.type === 'RecordViewed').map((e) => e.data.what)).toEqual(['audit-trail']);
    expect(events).toHaveLength(4);
    expect((await call('GET', `/v1/entries/${id}/audit/verify`, { token: auditor })).json).toEqual({ ok: true, length: events.length, headHash: events.at(-1)!.hash });
  });

  it('moves the virtual clock and answers with the new time', async () => {
    const before = Date.parse((await call('GET', '/_local/clock')).json.now);
    const after = Date.parse((await call('POST', '/_local/clock/advance', { body: { days: 3 } })).json.now);
    expect(after - before).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(after - before).toBeLessThan(3 * 86_400_000 + 60_000);
    expect((await call('POST', '/_local/clock/advance', { body: { days: 1, hours: 2 } })).status).toBe(400);
    expect((await call('POST', '/_local/clock/advance', { body: { to: '2020-01-01T00:00:00+08:00' } })).status).toBe(400);
  });

  it('stops cleanly on Ctrl-C and keeps everything on restart; audit:verify names a tampered event', async () => {
    const officer = await token({ role: 'agency-officer', agencyId: '310000-samr' });
    const id = (await call('POST', '/v1/listings', { token: officer, body: proposal('11010519491231002X') })).json.entryId;
    const clockBefore = Date.parse((await call('GET', '/_local/clock')).json.now);
    await sys.interrupt();
    expect(sys.output()).toContain('Stopped. Data kept in');

    sys = await npmStart(data.dir);
    const auditor = await token({ role: 'auditor' });
    expect((await call('GET', `/v1/entries/${id}`, { token: auditor })).json.status).toBe('proposed');
    // The virtual clock never goes back across a restart.
    expect(Date.parse((await call('GET', '/_local/clock')).json.now)).toBeGreaterThanOrEqual(clockBefore);

    // Tamper with the stored event directly in the local table, through the DynamoDB endpoint.
    const { services } = (await call('GET', '/_local/services')).json;
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, GetCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: services.dynamodb, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const item = (await db.send(new GetCommand({ TableName: 'AuditTrail', Key: { entryId: id, version: 1 } }))).Item!;
    item.events[0].data.facts = 'quietly changed';
    await db.send(new PutCommand({ TableName: 'AuditTrail', Item: item }));
    expect((await call('GET', `/v1/entries/${id}/audit/verify`, { token: auditor })).json).toMatchObject({ ok: false, firstBadSeq: 1 });

    await sys.interrupt();
    const verify = spawnSync('npm', ['run', 'audit:verify'], { env: { ...process.env, DATA_DIR: data.dir }, encoding: 'utf8' });
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain(`✘ ${id}: event seq 1 is altered`);
    expect(verify.stdout).toMatch(/✔ ent_\w+: \d+ events/);
  });
});
