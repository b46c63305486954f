import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ApiClient } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { PartnerEndpoint } from '../support/partner-endpoint.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Every API command sent twice, as a client retrying after a lost answer does
 * (at-least-once): the second changes nothing. It names what the first made,
 * answers with the same state, or is refused as already done, and the entry's
 * trail gains no event from it. Proposed Monday 2026-08-17, listed 24:00 08-31.
 */
const SAMR = '310000-samr';
const A = personId(970);
const B = personId(971);
const at = (shanghai: string) => `${shanghai}+08:00`;

describe('every command twice: no double effect', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const endpoint = new PartnerEndpoint();
  const entries = { a: '', b: '' };

  const auditor = () => api.token({ role: 'auditor' });
  /** The trail's length as an auditor verifies it (verifying records no read). */
  const trailLength = async (entryId: string) => (await api.call('GET', `/v1/entries/${entryId}/audit/verify`, { token: await auditor() })).body.length as number;
  /** Sends the same request twice; the trail must not grow from the second. */
  async function twice(entryId: string, send: () => Promise<{ status: number; body: any }>) {
    const first = await send();
    await sys.runner.whenIdle();
    const after = await trailLength(entryId);
    const second = await send();
    await sys.runner.whenIdle();
    expect(await trailLength(entryId)).toBe(after);
    return { first, second };
  }

  beforeAll(async () => {
    data = await tempDataDir('commands-twice-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(at('2026-08-17T10:00:00')), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
  });
  afterAll(async () => {
    await sys?.close();
    await endpoint.close();
    await data?.remove();
  });

  it('a proposal with its Idempotency-Key names the entry the first made', async () => {
    const officer = await api.token({ role: 'agency-officer', agencyId: SAMR });
    for (const [who, id] of [['a', A], ['b', B]] as const) {
      const body = { subject: { id, kind: 'person', name: `重试${who}`, email: `${who}@example.cn` }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2026〕97${who === 'a' ? 0 : 1}号`, decisionDate: '2026-08-10' };
      const first = await api.call('POST', '/v1/listings', { token: officer, headers: { 'idempotency-key': `twice-${who}` }, body });
      entries[who] = first.body.entryId;
      const { second } = await twice(entries[who], () => api.call('POST', '/v1/listings', { token: officer, headers: { 'idempotency-key': `twice-${who}` }, body }));
      expect([first.status, second.status, second.body.entryId]).toEqual([201, 200, entries[who]]);
    }
    await api.advanceTo(at('2026-09-01T09:00:00'));
  });

  it('a partner subscribing the same URL again gets the one subscription, and each event is delivered once', async () => {
    const url = await endpoint.start();
    const partner = await api.token({ role: 'partner', name: '市税务局' });
    const body = { url, secret: 'partner-secret-0123456789' };
    const first = await api.call('POST', '/v1/partners/subscriptions', { token: partner, body });
    const second = await api.call('POST', '/v1/partners/subscriptions', { token: partner, body });
    expect([first.status, second.status, second.body.subscriptionId]).toEqual([201, 200, first.body.subscriptionId]);
    const changed = await api.call('POST', '/v1/partners/subscriptions', { token: partner, body: { ...body, secret: 'another-secret-0123456789' } });
    expect([changed.status, changed.body.errors?.[0]?.path]).toEqual([409, 'url']);
  });

  it('filing, asking, answering, extending, deciding and withdrawing: the second of each changes nothing', async () => {
    const subject = await api.token({ role: 'subject', subjectId: A });
    const reviewer = await api.token({ role: 'agency-reviewer', agencyId: SAMR, name: 'r1' });
    const filing = { kind: 'objection', entryId: entries.a, grounds: '罚款已缴清' };
    const filed = await twice(entries.a, () => api.call('POST', '/v1/cases', { token: subject, headers: { 'idempotency-key': 'twice-objection' }, body: filing }));
    expect([filed.first.status, filed.second.status, filed.second.body.caseId]).toEqual([201, 200, filed.first.body.caseId]);
    const caseId = filed.first.body.caseId as string;

    const asked = await twice(entries.a, () => api.call('POST', `/v1/cases/${caseId}/request-info`, { token: reviewer, body: { questions: ['缴款凭证'] } }));
    expect(asked.first.status).toBe(200);
    // Done already: answered as it stands, or refused as done; either way the trail did not grow.
    expect([200, 409, 422]).toContain(asked.second.status);

    const answered = await twice(entries.a, () => api.call('POST', `/v1/cases/${caseId}/supplement`, { token: subject, body: { text: '附缴款凭证', evidence: [] } }));
    expect([answered.first.status, answered.second.status]).toEqual([200, 200]);
    expect(answered.second.body.supplements).toHaveLength(1);

    const extended = await twice(entries.a, () => api.call('POST', `/v1/cases/${caseId}/extend`, { token: reviewer, body: { workingDays: 2, reason: '需核实银行回单' } }));
    expect(extended.first.status).toBe(200);
    // Done already: answered as it stands, or refused as done; either way the trail did not grow.
    expect([200, 409, 422]).toContain(extended.second.status);

    const decided = await twice(entries.a, () => api.call('POST', `/v1/cases/${caseId}/decision`, { token: reviewer, body: { outcome: 'rejected', reasons: '凭证与罚款不符' } }));
    expect(decided.first.status).toBe(200);
    // Done already: answered as it stands, or refused as done; either way the trail did not grow.
    expect([200, 409, 422]).toContain(decided.second.status);
    expect((await api.outbox('a@example.cn')).filter((m) => m.subject?.includes('决定'))).toHaveLength(1);

    const subjectB = await api.token({ role: 'subject', subjectId: B });
    const other = await api.call('POST', '/v1/cases', { token: subjectB, body: { kind: 'objection', entryId: entries.b, grounds: '同名同姓' } });
    const withdrawn = await twice(entries.b, () => api.call('POST', `/v1/cases/${other.body.caseId}/withdraw`, { token: subjectB }));
    expect(withdrawn.first.status).toBe(200);
    // Done already: answered as it stands, or refused as done; either way the trail did not grow.
    expect([200, 409, 422]).toContain(withdrawn.second.status);
  });

  it('revoking a listing twice delists it once and tells the partner once', async () => {
    const officer = await api.token({ role: 'agency-officer', agencyId: SAMR });
    const revoked = await twice(entries.b, () => api.call('POST', `/v1/entries/${entries.b}/revocation`, { token: officer, body: { revokedBy: '沪市监撤〔2026〕1号', note: '认定依据被撤销' } }));
    expect(revoked.first.status).toBe(200);
    // Done already: answered as it stands, or refused as done; either way the trail did not grow.
    expect([200, 409, 422]).toContain(revoked.second.status);
    await api.advanceTo(at('2026-09-01T10:00:00'));
    await sys.runner.whenIdle();
    const delisted = endpoint.received.filter((r) => r.answered === 200 && r.event.type === 'entry.delisted' && r.event.entryId === entries.b);
    expect(delisted).toHaveLength(1);
  });
});
