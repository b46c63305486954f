import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ApiClient } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Load on the real local system (issue 8): 200 proposals at once, then 200
 * objections at once, all from 127.0.0.1 (so with roomy rate limits). Nothing
 * may answer 5xx, every objection must be in the agency's queue, and every
 * entry's audit chain must verify. Proposed on Monday 2026-08-17, listed at
 * 24:00 on 08-31 (10 working days).
 */
const N = 200;
const SAMR = '310000-samr';

describe(`load: ${N} concurrent proposals, then ${N} concurrent objections`, () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const subjects = Array.from({ length: N }, (_, i) => personId(700 + i));
  const entryIds: string[] = [];
  const caseIds: string[] = [];

  beforeAll(async () => {
    data = await tempDataDir('load-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date('2026-08-17T10:00:00+08:00'), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
  });
  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('takes every proposal, with no 5xx', async () => {
    const officer = await api.token({ role: 'agency-officer', agencyId: SAMR });
    const answers = await Promise.all(
      subjects.map((id, i) =>
        api.call('POST', '/v1/listings', {
          token: officer,
          headers: { 'idempotency-key': `load-${i}` },
          body: { subject: { id, kind: 'person', name: `负载${i}`, email: `load-${i}@example.cn` }, listType: 'serious-dishonesty', facts: '拒不履行行政处罚决定', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2026〕${1000 + i}号`, decisionDate: '2026-08-10' },
        }),
      ),
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(201));
    entryIds.push(...answers.map((a) => a.body.entryId as string));
    expect(new Set(entryIds).size).toBe(N);
  });

  it('lists them all when their window closes, and takes every objection at once, with no 5xx', async () => {
    await api.advanceTo('2026-09-01T09:00:00+08:00');
    const tokens = await Promise.all(subjects.map((subjectId) => api.token({ role: 'subject', subjectId })));
    const answers = await Promise.all(entryIds.map((entryId, i) => api.call('POST', '/v1/cases', { token: tokens[i], headers: { 'idempotency-key': `load-objection-${i}` }, body: { kind: 'objection', entryId, grounds: '罚款已于八月二十日缴清' } })));
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(201));
    caseIds.push(...answers.map((a) => a.body.caseId as string));
  });

  it('has every objection in the agency queue, once', async () => {
    const reviewer = await api.token({ role: 'agency-reviewer', agencyId: SAMR });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call('GET', `/v1/queues/agency?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: reviewer });
      expect(page.status).toBe(200);
      seen.push(...page.body.cases.map((c: { caseId: string }) => c.caseId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(N);
    expect(new Set(seen)).toEqual(new Set(caseIds));
  });

  it('keeps every audit chain whole', async () => {
    const auditor = await api.token({ role: 'auditor' });
    const verdicts = await Promise.all(entryIds.map((id) => api.call('GET', `/v1/entries/${id}/audit/verify`, { token: auditor })));
    expect(verdicts.filter((v) => v.status !== 200 || !v.body.ok)).toEqual([]);
    // Proposed, noticed by email, listed, noticed again, objection filed and acknowledged: at least 5 events each.
    expect(Math.min(...verdicts.map((v) => v.body.length as number))).toBeGreaterThanOrEqual(5);
  });
});
