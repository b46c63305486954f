import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalSystem } from '../infra/local/system.js';
import { RATE_LIMITS } from '../shared/platform/rate-limits.js';
import { personId } from '../test/support/identities.js';
import { round } from './queue-latency.js';

/*
 * `npm run bench:partners`: the time from a repair's approval to the
 * partner's receipt of entry.delisted, on the local system (HTTP decision,
 * commit, hand-off, delivery execution, signed POST to a partner endpoint on
 * 127.0.0.1). The baseline, in the same run: a plain POST to the same
 * endpoint, the network floor of the delivery itself.
 */

const APPROVALS = Number(process.env.PARTNER_APPROVALS ?? 30);
const SECRET = 'bench-partner-secret-0123456789';
const CLOCK_START = new Date('2026-09-01T02:00:00Z');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

export async function runPartnerReceiptBench() {
  const received = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (body) {
        const event = JSON.parse(body) as { type?: string; entryId?: string };
        if (event.type === 'entry.delisted' && event.entryId) received.set(event.entryId, performance.now());
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-partners-'));
  // Thirty repairs filed, with a token each, in seconds from one address: a measurement of delivery, not of the rate limits.
  const room = { filingPerIp: { ...RATE_LIMITS.filingPerIp, limit: 1000 }, tokenUsePerIp: { ...RATE_LIMITS.tokenUsePerIp, limit: 1000 } };
  const sys = await startLocalSystem({ dataDir, port: 0, clockStart: CLOCK_START, rateLimits: room });
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(sys.url + path, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const token = async (request: Record<string, unknown>) => (await call('POST', '/_local/token', undefined, request)).token as string;
  try {
    await call('POST', '/v1/partners/subscriptions', await token({ role: 'partner' }), { url, secret: SECRET });
    const officer = await token({ role: 'agency-officer', agencyId: '310000-samr' });
    const entries: Array<{ entryId: string; subjectId: string }> = [];
    for (let n = 0; n < APPROVALS; n++) {
      const id = personId(100 + n);
      const entry = await call('POST', '/v1/listings', officer, { subject: { id, kind: 'person', name: `基准${n}`, email: `bench-${n}@example.cn` }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2025〕${n}号`, decisionDate: '2025-06-01' });
      entries.push({ entryId: entry.entryId, subjectId: id });
    }
    // Listed at 24:00 on 09-15 (10 working days from Tuesday 09-01).
    await call('POST', '/_local/clock/advance', undefined, { to: '2026-09-16T09:00:00+08:00' });
    await sys.runner.whenIdle();
    const reviewer = await token({ role: 'agency-reviewer', agencyId: '310000-samr' });

    const receipt: number[] = [];
    const baseline: number[] = [];
    for (const { entryId, subjectId: id } of entries) {
      const repair = await call('POST', '/v1/cases', await token({ role: 'subject', subjectId: id }), { kind: 'repair', entryId, grounds: '罚款已缴纳', commitment: true });
      const approvedAt = performance.now();
      await call('POST', `/v1/cases/${repair.caseId}/decision`, reviewer, { outcome: 'upheld', reasons: '已履行' });
      while (!received.has(entryId)) await new Promise((resolve) => setTimeout(resolve, 1));
      receipt.push(received.get(entryId)! - approvedAt);
      await sys.runner.whenIdle();
      const postedAt = performance.now();
      await fetch(url, { method: 'POST', body: '' });
      baseline.push(performance.now() - postedAt);
    }
    const report = {
      approvals: APPROVALS,
      approvalToReceipt: { medianMs: round(median(receipt), 1), p95Ms: round(p95(receipt), 1), maxMs: round(Math.max(...receipt), 1) },
      baselinePost: { medianMs: round(median(baseline), 1), p95Ms: round(p95(baseline), 1) },
      ratio: round(median(receipt) / median(baseline), 1),
    };
    console.log(`Approval → partner receipt of entry.delisted, ${APPROVALS} repairs on the local system (HTTP on 127.0.0.1):`);
    console.log(`  median ${report.approvalToReceipt.medianMs} ms, p95 ${report.approvalToReceipt.p95Ms} ms, max ${report.approvalToReceipt.maxMs} ms`);
    console.log(`  baseline, a plain POST to the same endpoint: median ${report.baselinePost.medianMs} ms (ratio ${report.ratio})`);
    return report;
  } finally {
    await sys.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runPartnerReceiptBench();
