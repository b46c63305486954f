import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../functions/api/route-registry.js';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { samplePng, sha256Hex } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { personId } from '../support/identities.js';
import { PageClient } from '../support/page-client.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Who may do what to whom (OWASP API1 BOLA, API3 BOPLA, API5 BFLA), on the
 * real local system. Every route the app registers is a row; every role is a
 * column, in scope and out of scope (the wrong subject, agency or province),
 * and each cell names the one status it must answer: out-of-scope objects are
 * 404, a role that may not call the route 403, no token 401, public routes 200.
 *
 * Everything belongs to subject A and the Shanghai market regulator
 * (310000-samr, province 310000); the out-of-scope callers are subject B, the
 * Zhejiang market regulator (330000-zjamr) and province 330000. Proposed on
 * Monday 2026-08-17, the entries are listed at 24:00 on 08-31 (10 working
 * days). On Tuesday 09-01 the objections to be escalated are filed (due 09-08)
 * and a repair is approved (the certificate). On Wednesday 09-09 those
 * objections are with the province, and fresh cases are filed at the agency
 * (due 09-16), one of them a correction on the escalated entry. A command that changes something acts in scope on a case or
 * entry of its own, so no cell spoils another; its out-of-scope cell is tried
 * on the same object first and must change nothing.
 */

const START = '2026-08-17T10:00:00+08:00';
const SAMR = '310000-samr';
const ZJAMR = '330000-zjamr';
const A = personId(60);
const B = personId(61);
const C = personId(62);
const at = (shanghai: string) => `${shanghai}+08:00`;

type Role = TokenRequest['role'];
interface Column {
  label: string;
  role: Role | 'none';
  scope: 'in' | 'out' | 'all';
  request?: TokenRequest;
  token?: string;
}

const COLUMNS: Column[] = [
  { label: 'subject A', role: 'subject', scope: 'in', request: { role: 'subject', subjectId: A } },
  { label: 'subject B (wrong subject)', role: 'subject', scope: 'out', request: { role: 'subject', subjectId: B } },
  { label: 'officer 310000-samr', role: 'agency-officer', scope: 'in', request: { role: 'agency-officer', agencyId: SAMR, name: '沪官' } },
  { label: 'officer 330000-zjamr (wrong agency)', role: 'agency-officer', scope: 'out', request: { role: 'agency-officer', agencyId: ZJAMR, name: '浙官' } },
  { label: 'reviewer 310000-samr', role: 'agency-reviewer', scope: 'in', request: { role: 'agency-reviewer', agencyId: SAMR, name: '沪审' } },
  { label: 'reviewer 330000-zjamr (wrong agency)', role: 'agency-reviewer', scope: 'out', request: { role: 'agency-reviewer', agencyId: ZJAMR, name: '浙审' } },
  { label: 'province 310000', role: 'provincial-reviewer', scope: 'in', request: { role: 'provincial-reviewer', provinceCode: '310000', name: '沪省审' } },
  { label: 'province 330000 (wrong province)', role: 'provincial-reviewer', scope: 'out', request: { role: 'provincial-reviewer', provinceCode: '330000', name: '浙省审' } },
  { label: 'partner', role: 'partner', scope: 'all', request: { role: 'partner', name: '某银行' } },
  { label: 'auditor', role: 'auditor', scope: 'all', request: { role: 'auditor', name: '审计' } },
  { label: 'no token', role: 'none', scope: 'all' },
];

/** What a cell sends: the route's path parameters, and a body for commands. */
interface CellRequest {
  params?: Record<string, string>;
  body?: unknown;
  /** A body sent as it is (a listing batch's NDJSON). */
  ndjson?: string;
}

interface Row {
  route: string;
  /** One status per column, in the order of COLUMNS. */
  statuses: number[];
  request: (col: Column) => CellRequest;
  /** What a 2xx answer must (in scope) or must not (out of scope) contain. */
  check?: (col: Column, res: Sent) => void;
}

interface Sent {
  status: number;
  text: string;
  body: any;
}

/** Cases acted on by commands that change them: one per route and level, so no cell spoils another. */
const AGENCY_ACTIONS = ['withdraw', 'claim', 'release', 'request-info', 'extend', 'decision'] as const;
const PROVINCE_ACTIONS = ['claim', 'release', 'request-info', 'decision'] as const;
type AgencyAction = (typeof AGENCY_ACTIONS)[number];
type ProvinceAction = (typeof PROVINCE_ACTIONS)[number];

const f = {
  /** A's entries by what they are for, and B's one. */
  entry: {} as Record<string, string>,
  /** The objection escalated to province 310000, with an evidence file: what every scoped read is tried on. */
  escalated: '',
  /** An objection open at the agency, left alone: what the queues and the level checks look at. */
  open: '',
  /** A correction at the agency on the escalated entry: the province sees that entry, not this case. */
  beside: '',
  /** The approved repair: a decided case. */
  repaired: '',
  certificate: '',
  evidence: '',
  atAgency: {} as Record<AgencyAction, string>,
  atProvince: {} as Record<ProvinceAction, string>,
  partnerUrl: '',
  /** A listing batch of the Shanghai regulator's. */
  batch: '',
};

/** The case a command is tried on: its own fresh one for the reviewers and subjects who may act, else the escalated one. */
const caseFor = (action: string) => (col: Column): CellRequest => {
  const own = col.role === 'provincial-reviewer' ? f.atProvince[action as ProvinceAction] : col.role === 'agency-reviewer' || col.role === 'subject' ? f.atAgency[action as AgencyAction] : undefined;
  return { params: { caseId: own ?? f.escalated } };
};
const onEscalated = (): CellRequest => ({ params: { caseId: f.escalated } });
const onEntry = (): CellRequest => ({ params: { entryId: f.entry.escalated! } });
const nothing = (): CellRequest => ({});

/** In scope (and the auditor), the answer shows `id`; out of scope it must not. */
const reveals = (id: () => string) => (col: Column, res: Sent) => {
  if (col.scope === 'out') expect(res.text, col.label).not.toContain(id());
  else expect(res.text, col.label).toContain(id());
};

const DECISION = { outcome: 'rejected', reasons: '异议理由不成立，处罚决定认定事实清楚' };
const proposal = (subjectId: string, ref: string, over: Record<string, unknown> = {}) => ({
  subject: { id: subjectId, kind: 'person', name: '周甲', email: `${ref}@example.cn` },
  listType: 'serious-dishonesty',
  facts: '拒不履行行政处罚决定，罚款未缴纳',
  legalBasis: '《行政处罚法》第七十二条',
  measures: ['限制参加政府采购'],
  decisionRef: `沪市监处〔2026〕${ref}号`,
  decisionDate: '2026-08-10',
  ...over,
});

const ROWS: Row[] = [
  //                                                      subject    officer    agency-rev  province   partner auditor none
  //                                                      in   out   in   out   in   out    in   out
  { route: 'GET /health',                     statuses: [200, 200,  200, 200,  200, 200,   200, 200,  200,    200,   200], request: nothing },
  { route: 'GET /openapi.json',               statuses: [200, 200,  200, 200,  200, 200,   200, 200,  200,    200,   200], request: nothing },
  { route: 'GET /v1/agencies',                statuses: [200, 200,  200, 200,  200, 200,   200, 200,  200,    200,   200], request: nothing },
  { route: 'GET /v1/list-types',              statuses: [200, 200,  200, 200,  200, 200,   200, 200,  200,    200,   200], request: nothing },
  { route: 'GET /v1/public/entries',          statuses: [200, 200,  200, 200,  200, 200,   200, 200,  200,    200,   200], request: nothing },
  { route: 'GET /v1/certificates/{code}',     statuses: [200, 200,  200, 200,  200, 200,   200, 200,  200,    200,   200], request: () => ({ params: { code: f.certificate } }) },
  // Each officer proposes for its own agency, whatever it sends.
  { route: 'POST /v1/listings',               statuses: [403, 403,  201, 201,  403, 403,   403, 403,  403,    403,   401], request: () => ({ body: proposal(C, '901') }),
    check: (col, res) => expect(res.body.agencyId, col.label).toBe(col.request!.agencyId) },
  // 422 in scope: serious-dishonesty listings are never extended (only judgment defaulters are).
  { route: 'POST /v1/listings:batch',         statuses: [403, 403,  202, 202,  403, 403,   403, 403,  403,    403,   401], request: () => ({ ndjson: `${JSON.stringify(proposal(C, '902'))}\n` }),
    check: (col, res) => expect(res.body.agencyId, col.label).toBe(col.request!.agencyId) },
  { route: 'GET /v1/listing-batches/{batchId}', statuses: [403, 403, 200, 404,  403, 403,   403, 403,  403,    200,   401], request: () => ({ params: { batchId: f.batch } }), check: reveals(() => f.batch) },
  { route: 'POST /v1/entries/{entryId}/extension', statuses: [403, 403, 422, 404, 403, 403, 403, 403, 403,  403,   401], request: () => ({ ...onEntry(), body: { extension: { unit: 'years', value: 1 }, reason: '情节严重，延长公示' } }) },
  { route: 'POST /v1/entries/{entryId}/revocation', statuses: [403, 403, 200, 404, 403, 403, 403, 403, 403, 403,   401], request: () => ({ params: { entryId: f.entry.revoke! }, body: { revokedBy: '(2026)沪01行终12号', note: '处罚决定已被撤销' } }) },
  { route: 'POST /v1/cases',                  statuses: [201, 404,  403, 403,  403, 403,   403, 403,  403,    403,   401], request: () => ({ body: { kind: 'objection', entryId: f.entry.file!, grounds: '并非本人所为' } }) },
  { route: 'GET /v1/cases/{caseId}',          statuses: [200, 404,  200, 404,  200, 404,   200, 404,  403,    200,   401], request: onEscalated },
  { route: 'POST /v1/cases/{caseId}/supplement', statuses: [200, 404, 403, 403, 403, 403,  403, 403,  403,    403,   401], request: () => ({ ...onEscalated(), body: { text: '补充缴款凭证说明' } }) },
  { route: 'POST /v1/cases/{caseId}/withdraw', statuses: [200, 404, 403, 403,  403, 403,   403, 403,  403,    403,   401], request: caseFor('withdraw') },
  { route: 'POST /v1/cases/{caseId}/claim',   statuses: [403, 403,  403, 403,  200, 404,   200, 404,  403,    403,   401], request: caseFor('claim') },
  { route: 'POST /v1/cases/{caseId}/release', statuses: [403, 403,  403, 403,  200, 404,   200, 404,  403,    403,   401], request: caseFor('release') },
  { route: 'POST /v1/cases/{caseId}/request-info', statuses: [403, 403, 403, 403, 200, 404, 200, 404, 403,    403,   401], request: (col) => ({ ...caseFor('request-info')(col), body: { questions: ['请提供缴款凭证原件'] } }) },
  { route: 'POST /v1/cases/{caseId}/extend',  statuses: [403, 403,  403, 403,  200, 404,   403, 403,  403,    403,   401], request: (col) => ({ ...caseFor('extend')(col), body: { reason: '需调取原始卷宗', workingDays: 2 } }) },
  { route: 'POST /v1/cases/{caseId}/decision', statuses: [403, 403, 403, 403,  200, 404,   200, 404,  403,    403,   401], request: (col) => ({ ...caseFor('decision')(col), body: DECISION }) },
  { route: 'GET /v1/queues/agency',           statuses: [403, 403,  403, 403,  200, 200,   403, 403,  403,    403,   401], request: nothing, check: reveals(() => f.open) },
  { route: 'GET /v1/queues/provincial',       statuses: [403, 403,  403, 403,  403, 403,   200, 200,  403,    403,   401], request: nothing, check: reveals(() => f.escalated) },
  { route: 'GET /v1/stats/reviews',           statuses: [403, 403,  403, 403,  200, 200,   200, 200,  403,    200,   401], request: nothing, check: reveals(() => SAMR) },
  // The province sees the subject's escalated cases, never those still at the agency, even on an entry it sees.
  { route: 'GET /v1/cases/{caseId}/related',  statuses: [403, 403,  403, 403,  200, 404,   200, 404,  403,    200,   401], request: onEscalated,
    check: (col, res) => {
      for (const id of [f.open, f.beside]) (col.role === 'provincial-reviewer' ? expect(res.text, col.label).not.toContain(id) : expect(res.text, col.label).toContain(id));
    } },
  { route: 'GET /v1/cases/{caseId}/evidence/{sha256}', statuses: [200, 404, 200, 404, 200, 404, 200, 404, 403, 200,   401], request: () => ({ params: { caseId: f.escalated, sha256: f.evidence } }) },
  { route: 'POST /v1/partners/subscriptions', statuses: [403, 403,  403, 403,  403, 403,   403, 403,  201,    403,   401], request: () => ({ body: { url: f.partnerUrl, secret: 'a-partner-secret-0123456789' } }) },
  { route: 'GET /v1/partners/deliveries',     statuses: [403, 403,  403, 403,  403, 403,   403, 403,  200,    403,   401], request: nothing },
  { route: 'GET /v1/entries/{entryId}/deliveries', statuses: [403, 403, 200, 404, 200, 404, 403, 403,  403,    200,   401], request: onEntry },
  // Each subject's files go to its own folder.
  { route: 'POST /v1/evidence',               statuses: [201, 201,  403, 403,  403, 403,   403, 403,  403,    403,   401], request: () => ({ body: { name: 'receipt.png', contentType: 'image/png', size: 120, sha256: sha256Hex(Buffer.from('receipt')) } }) },
  { route: 'GET /v1/entries/{entryId}',       statuses: [200, 404,  200, 404,  200, 404,   200, 404,  403,    200,   401], request: onEntry },
  { route: 'GET /v1/me/entries',              statuses: [200, 200,  403, 403,  403, 403,   403, 403,  403,    403,   401], request: nothing, check: reveals(() => f.entry.escalated!) },
  { route: 'GET /v1/entries/{entryId}/audit', statuses: [200, 404,  200, 404,  200, 404,   200, 404,  403,    200,   401], request: onEntry },
  { route: 'GET /v1/entries/{entryId}/audit/verify', statuses: [200, 404, 200, 404, 200, 404, 200, 404, 403,  200,   401], request: onEntry },
];

const refused = (status: number) => status >= 400;

describe('authorization matrix: every route × every role, in and out of scope', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let partner: Server;
  let trailsBefore: Record<string, unknown>;

  const as = (request: TokenRequest) => api.token(request);
  const token = (label: string) => COLUMNS.find((c) => c.label === label)!.token!;

  async function send(method: string, path: string, tokenValue?: string, body?: unknown, ndjson?: string): Promise<Sent> {
    const res = await fetch(sys.url + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : ndjson !== undefined ? { 'content-type': 'application/x-ndjson', 'idempotency-key': `authz-${randomUUID()}` } : {}),
        ...(tokenValue ? { authorization: `Bearer ${tokenValue}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : ndjson,
    });
    const text = await res.text();
    return { status: res.status, text, body: /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined };
  }

  async function cell(row: Row, col: Column): Promise<Sent> {
    const [method, template] = row.route.split(' ') as [string, string];
    const req = row.request(col);
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = req.params?.[name];
      if (!value) throw new Error(`${row.route}: no ${name} for ${col.label}`);
      return value;
    });
    return send(method, path, col.token, req.body, req.ndjson);
  }

  /** Runs the row's cells of one kind (refused or not), each checked; the statuses are compared as one table row. */
  async function runRow(row: Row, which: (status: number) => boolean) {
    const expected: Record<string, number> = {};
    const actual: Record<string, number> = {};
    for (const [i, col] of COLUMNS.entries()) {
      const status = row.statuses[i]!;
      if (!which(status)) continue;
      const res = await cell(row, col);
      expected[col.label] = status;
      actual[col.label] = res.status;
      if (res.status === status && status < 300) row.check?.(col, res);
    }
    expect(actual).toEqual(expected);
  }

  /** Every entry's trail, by its length and head hash. */
  const trails = async () => {
    const auditor = token('auditor');
    const heads = await Promise.all(Object.values(f.entry).map(async (id) => [id, (await send('GET', `/v1/entries/${id}/audit/verify`, auditor)).body]));
    return Object.fromEntries(heads);
  };

  beforeAll(async () => {
    data = await tempDataDir('security-authz-');
    // Far more requests per minute than one caller makes: the limits have their own test.
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    partner = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end()));
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    f.partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/credit-events`;

    const officer = await as({ role: 'agency-officer', agencyId: SAMR, name: '沪官' });
    const propose = async (name: string, subjectId: string, over: Record<string, unknown> = {}) => {
      const res = await api.call('POST', '/v1/listings', { token: officer, body: proposal(subjectId, `${300 + Object.keys(f.entry).length}`, over) });
      expect(res.status).toBe(201);
      f.entry[name] = res.body.entryId;
    };
    const names = ['escalated', 'open', 'file', 'revoke', 'mass', ...PROVINCE_ACTIONS.map((a) => `province-${a}`), ...AGENCY_ACTIONS.map((a) => `agency-${a}`)];
    for (const name of names) await propose(name, A);
    // Its three-month minimum ran out in July: repair is open as soon as it is listed.
    await propose('repaired', A, { listType: 'penalty-general', decisionDate: '2026-04-10' });
    await propose('b', B);
    const batch = await api.call('POST', '/v1/listings:batch', { token: officer, raw: `${JSON.stringify(proposal(C, '903'))}\n`, headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'authz-batch' } });
    expect(batch.status).toBe(202);
    f.batch = batch.body.batchId;
    await api.advanceTo(at('2026-09-01T09:00:00'));

    // Local tokens live an hour of the virtual clock: one is asked for after every advance.
    let subjectA = await as({ role: 'subject', subjectId: A });
    const file = async (entry: string, body: Record<string, unknown> = {}) => {
      const res = await api.call('POST', '/v1/cases', { token: subjectA, body: { kind: 'objection', entryId: f.entry[entry], grounds: '罚款已缴清，附缴款凭证', ...body } });
      expect(res.status).toBe(201);
      return res.body.caseId as string;
    };
    const evidence = await uploadEvidence(api, subjectA, samplePng([30, 90, 160]), '缴款凭证.png', 'image/png');
    f.evidence = evidence.sha256;
    f.escalated = await file('escalated', { evidence: [evidence] });
    for (const action of PROVINCE_ACTIONS) f.atProvince[action] = await file(`province-${action}`);
    f.repaired = await file('repaired', { kind: 'repair', commitment: true, grounds: '已缴清罚款并完成整改' });
    const approved = await api.call('POST', `/v1/cases/${f.repaired}/decision`, { token: await as({ role: 'agency-reviewer', agencyId: SAMR, name: '沪审' }), body: { outcome: 'upheld', reasons: '已履行全部义务' } });
    expect(approved.status).toBe(200);
    f.certificate = approved.body.decision.certificate;

    // The agency let 09-08 pass: from 24:00 the objections are with the province.
    await api.advanceTo(at('2026-09-09T09:00:00'));
    subjectA = await as({ role: 'subject', subjectId: A });
    f.open = await file('open');
    f.beside = await file('escalated', { kind: 'correction', requestedCorrection: { field: 'subject.name', value: '周佳' } });
    for (const action of AGENCY_ACTIONS) f.atAgency[action] = await file(`agency-${action}`);
    await sys.runner.whenIdle();

    for (const col of COLUMNS) if (col.request) col.token = await as(col.request);
    const escalated = (await send('GET', `/v1/cases/${f.escalated}`, token('auditor'))).body;
    expect([escalated.status, escalated.level, escalated.provinceCode]).toEqual(['escalated', 'province', '310000']);
    trailsBefore = await trails();
  });

  afterAll(async () => {
    await sys?.close();
    await new Promise((resolve) => partner?.close(resolve));
    await data?.remove();
  });

  it('has a row for every route the app registers, and a status for every column', () => {
    const registered = registeredRoutes.filter((r) => !r.path.startsWith('/_local/')).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(registered.filter((r) => r.includes(' /v1/')).length).toBeGreaterThan(20);
    expect(ROWS.map((r) => r.route).sort()).toEqual([...registered].sort());
    for (const row of ROWS) expect(row.statuses, row.route).toHaveLength(COLUMNS.length);
  });

  for (const row of ROWS.filter((r) => r.statuses.some(refused))) {
    it(`${row.route}: refused where the role or scope does not allow it`, () => runRow(row, refused));
  }

  it('changed nothing by a refused request', async () => {
    expect(await trails()).toEqual(trailsBefore);
  });

  for (const row of ROWS.filter((r) => r.statuses.some((s) => !refused(s)))) {
    it(`${row.route}: answered in scope`, () => runRow(row, (s) => !refused(s)));
  }

  it('keeps a case at the agency out of the province\'s reach, and an escalated or decided one out of the agency\'s hands', async () => {
    const province = token('province 310000');
    const reviewer = token('reviewer 310000-samr');
    const statuses = {
      'province reads a case still at the agency': (await send('GET', `/v1/cases/${f.open}`, province)).status,
      'province reads its entry': (await send('GET', `/v1/entries/${f.entry.open}`, province)).status,
      'province claims it': (await send('POST', `/v1/cases/${f.open}/claim`, province)).status,
      'province decides it': (await send('POST', `/v1/cases/${f.open}/decision`, province, DECISION)).status,
      'agency claims the escalated case': (await send('POST', `/v1/cases/${f.escalated}/claim`, reviewer)).status,
      'agency asks on the escalated case': (await send('POST', `/v1/cases/${f.escalated}/request-info`, reviewer, { questions: ['补充材料'] })).status,
      'agency extends the escalated case': (await send('POST', `/v1/cases/${f.escalated}/extend`, reviewer, { reason: '复杂', workingDays: 1 })).status,
      'agency decides the escalated case': (await send('POST', `/v1/cases/${f.escalated}/decision`, reviewer, DECISION)).status,
      'agency decides the decided case again': (await send('POST', `/v1/cases/${f.repaired}/decision`, reviewer, DECISION)).status,
      'subject withdraws the decided case': (await send('POST', `/v1/cases/${f.repaired}/withdraw`, token('subject A'))).status,
    };
    expect(statuses).toEqual({
      'province reads a case still at the agency': 404,
      'province reads its entry': 404,
      'province claims it': 404,
      'province decides it': 404,
      'agency claims the escalated case': 409,
      'agency asks on the escalated case': 409,
      'agency extends the escalated case': 409,
      'agency decides the escalated case': 409,
      'agency decides the decided case again': 409,
      'subject withdraws the decided case': 409,
    });
    expect((await send('GET', `/v1/cases/${f.open}`, token('auditor'))).body).toMatchObject({ status: 'open', level: 'agency' });
  });

  describe('mass assignment: fields a caller may not set are refused by name, and nothing is written', () => {
    it('refuses a case filed with its status, deadline, decision, level, agency or subject', async () => {
      const subjectA = token('subject A');
      const body = { kind: 'objection', entryId: f.entry.mass!, grounds: '并非本人所为' };
      const extras: Record<string, unknown> = { status: 'decided', deadline: '2027-12-31', decision: { outcome: 'upheld', reasons: '自行认定' }, level: 'province', agencyId: ZJAMR, subjectId: B };
      const before = (await trails())[f.entry.mass!];
      for (const [field, value] of Object.entries(extras)) {
        const res = await send('POST', '/v1/cases', subjectA, { ...body, [field]: value });
        expect([res.status, res.body.errors.map((e: { path: string }) => e.path)], field).toEqual([400, [field]]);
      }
      const all = await send('POST', '/v1/cases', subjectA, { ...body, ...extras });
      expect([all.status, all.body.errors.map((e: { path: string }) => e.path).sort()]).toEqual([400, Object.keys(extras).sort()]);
      expect((await trails())[f.entry.mass!]).toEqual(before);
      expect((await send('GET', `/v1/entries/${f.entry.mass}`, token('auditor'))).body.cases).toEqual([]);

      const filed = await send('POST', '/v1/cases', subjectA, body);
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({ status: 'open', level: 'agency', agencyId: SAMR, subjectId: A, deadline: '2026-09-16' });
    });

    it('refuses a proposal that sets its own status, listing dates, objection mark or agency', async () => {
      const officer = token('officer 310000-samr');
      const extras: Record<string, unknown> = { status: 'listed', listedAt: at('2026-09-01T00:00:00'), expiresAt: at('2030-01-01T00:00:00'), underObjection: false, agencyId: ZJAMR };
      for (const [field, value] of Object.entries(extras)) {
        const res = await send('POST', '/v1/listings', officer, { ...proposal(personId(63), '950'), [field]: value });
        expect([res.status, res.body.errors.map((e: { path: string }) => e.path)], field).toEqual([400, [field]]);
      }
      const subject = await as({ role: 'subject', subjectId: personId(63) });
      expect((await send('GET', '/v1/me/entries', subject)).body.entries).toEqual([]);
      const proposed = await send('POST', '/v1/listings', officer, proposal(personId(63), '950'));
      expect(proposed.status).toBe(201);
      expect(proposed.body).toMatchObject({ status: 'proposed', agencyId: SAMR, underObjection: false });
      expect(proposed.body.listedAt).toBeUndefined();
    });

    it('refuses a decision that dates itself or names its level', async () => {
      const reviewer = token('reviewer 310000-samr');
      const before = (await trails())[f.entry.open!];
      for (const [field, value] of Object.entries({ decidedAt: at('2026-09-01T10:00:00'), level: 'province' })) {
        const res = await send('POST', `/v1/cases/${f.open}/decision`, reviewer, { ...DECISION, [field]: value });
        expect([res.status, res.body.errors.map((e: { path: string }) => e.path)], field).toEqual([400, [field]]);
      }
      expect((await trails())[f.entry.open!]).toEqual(before);
      expect((await send('GET', `/v1/cases/${f.open}`, reviewer)).body.status).toBe('open');
    });
  });

  it('keeps the same scope on the pages: another subject, agency or province finds nothing', async () => {
    const readers = ['subject A', 'subject B (wrong subject)', 'officer 330000-zjamr (wrong agency)', 'reviewer 310000-samr', 'reviewer 330000-zjamr (wrong agency)', 'province 310000', 'province 330000 (wrong province)'];
    const paths = { entry: `/entries/${f.entry.escalated}`, case: `/cases/${f.escalated}`, evidence: `/evidence/${f.escalated}/${f.evidence}`, queue: '/queue', dashboard: '/dashboard' };
    const seen: Record<string, Record<string, number>> = {};
    const samrName = '上海市市场监督管理局';
    for (const label of readers) {
      const browser = await PageClient.signedIn(sys.url, token(label));
      seen[label] = {};
      for (const [name, path] of Object.entries(paths)) {
        const { status, html } = await browser.page(path);
        seen[label][name] = status;
        const inScope = !label.includes('wrong');
        // The lists show only the caller's own agency or province.
        if (status === 200 && name === 'queue') expect(html.includes(label.startsWith('province') ? f.escalated : f.open), `${label} ${name}`).toBe(inScope);
        if (status === 200 && name === 'dashboard') expect(html.includes(samrName), `${label} ${name}`).toBe(inScope);
      }
    }
    expect(seen).toEqual({
      'subject A': { entry: 200, case: 200, evidence: 200, queue: 403, dashboard: 403 },
      'subject B (wrong subject)': { entry: 404, case: 404, evidence: 404, queue: 403, dashboard: 403 },
      'officer 330000-zjamr (wrong agency)': { entry: 404, case: 404, evidence: 404, queue: 403, dashboard: 403 },
      'reviewer 310000-samr': { entry: 200, case: 200, evidence: 200, queue: 200, dashboard: 200 },
      'reviewer 330000-zjamr (wrong agency)': { entry: 404, case: 404, evidence: 404, queue: 200, dashboard: 200 },
      'province 310000': { entry: 200, case: 200, evidence: 200, queue: 200, dashboard: 200 },
      'province 330000 (wrong province)': { entry: 404, case: 404, evidence: 404, queue: 200, dashboard: 200 },
    });
  });
});
