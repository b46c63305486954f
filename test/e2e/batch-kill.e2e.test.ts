import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { residentId } from '../support/identities.js';
import { npmStart, type RunningSystem } from '../support/local-process.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * kill -9 of `npm start` while a listing batch is half proposed, then a
 * restart on the same DATA_DIR: the batch's workflow resumes at its map, the
 * chunks already done are skipped, and every line is proposed exactly once:
 * one entry, one ListingProposed, one pre-listing notice per subject. The
 * kill also lands among the lifecycles' notice sends: a notice handed to the
 * mail service but not yet recorded is found by its key and not sent again.
 */
/** Ten chunks of 100, eight at a time: the kill lands while the last ones are being proposed. */
const LINES = 1000;
const at = (shanghai: string) => `${shanghai}+08:00`;
const email = (i: number) => `batch-kill-${i}@example.cn`;
const mobile = (i: number) => `139${String(10_000_000 + i).slice(-8)}`;
const proposal = (i: number) => ({
  subject: { id: residentId(5000 + i), kind: 'person', name: `批停${i}`, email: email(i), mobile: mobile(i) },
  listType: 'serious-dishonesty',
  facts: '拒不缴纳罚款',
  legalBasis: '《行政处罚法》第七十二条',
  measures: ['限制参加政府采购'],
  decisionRef: `沪市监处〔2026〕B${i}号`,
  decisionDate: '2026-08-10',
});

describe('a hard kill in the middle of a listing batch', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: RunningSystem;
  let api: ApiClient;
  let batchId = '';

  beforeAll(async () => {
    data = await tempDataDir('batch-kill-');
    sys = await npmStart(data.dir, 60_000, { CLOCK_START: at('2026-08-17T10:00:00') });
    api = new ApiClient(sys.url);
  });
  afterAll(async () => {
    sys?.kill();
    await data?.remove();
  });

  it('is killed with some chunks proposed and others not', async () => {
    const officer = await api.token({ role: 'agency-officer', agencyId: '310000-samr' });
    const body = Array.from({ length: LINES }, (_, i) => JSON.stringify(proposal(i))).join('\n');
    const res = await api.call('POST', '/v1/listings:batch', { token: officer, raw: body, headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'batch-kill' } });
    expect(res.status).toBe(202);
    batchId = res.body.batchId;
    // Killed as soon as a chunk's result is stored, while the batch is still processing.
    let seen = { status: '', processed: 0 };
    await expect.poll(async () => (seen = (await api.call('GET', `/v1/listing-batches/${batchId}`, { token: officer })).body).processed, { timeout: 90_000, interval: 50 }).toBeGreaterThan(0);
    await sys.killHard();
    expect(seen.status).toBe('processing');
    expect(seen.processed).toBeLessThan(LINES);
  });

  it('resumes after the restart and proposes every line exactly once', async () => {
    sys = await npmStart(data.dir);
    api = new ApiClient(sys.url);
    const auditor = await api.token({ role: 'auditor' });
    await expect.poll(async () => (await api.call('GET', `/v1/listing-batches/${batchId}`, { token: auditor })).body.status, { timeout: 120_000, interval: 250 }).toBe('completed');
    const batch = (await api.call('GET', `/v1/listing-batches/${batchId}`, { token: auditor })).body;
    expect(batch).toMatchObject({ lines: LINES, processed: LINES, proposed: LINES, refused: 0 });
    expect(new Set(batch.entries.map((e: { entryId: string }) => e.entryId)).size).toBe(LINES);
    // A notice whose sending the kill left unknown is sent again once its claim's lease (2 minutes) runs out: move past it.
    await api.advanceTo(new Date(Date.parse((await api.call('GET', '/_local/clock')).body.now) + 10 * 60_000).toISOString());
    await expect.poll(async () => (await api.outbox(email(LINES - 1))).length, { timeout: 60_000 }).toBe(1);
    // What the SMS gateway received (a file that outlives the kill, unlike local SES's memory), against what the system recorded.
    const gateway = new Map<string, number>();
    for (const line of (await readFile(join(data.dir, 'sms-outbox.jsonl'), 'utf8')).trim().split('\n')) {
      const { to } = JSON.parse(line) as { to: string };
      gateway.set(to, (gateway.get(to) ?? 0) + 1);
    }
    let resent = 0;
    let twice = 0;
    for (let i = 0; i < LINES; i++) {
      const [sentEmail, ...moreEmail] = await api.outbox(email(i));
      const [sentSms, ...moreSms] = await api.outbox(mobile(i));
      expect([sentEmail && moreEmail.length, sentSms && moreSms.length], email(i)).toEqual([0, 0]);
      // Received once. A sending the kill left unknown (claimed, no answer recorded) was sent again and says so:
      // the gateway then holds it once (the kill came before the call) or twice (inside it), never more.
      const flagged = (sentSms as { resentAfterInterruption?: boolean }).resentAfterInterruption === true;
      expect(flagged ? [1, 2] : [1], mobile(i)).toContain(gateway.get(mobile(i)));
      if (gateway.get(mobile(i)) === 2) twice++;
      if (flagged || (sentEmail as { resentAfterInterruption?: boolean }).resentAfterInterruption) resent++;
    }
    // Only the sendings under way at the kill are in doubt, and only those the gateway took before it are doubled.
    expect(twice).toBeLessThanOrEqual(resent);
    expect(resent).toBeLessThan(LINES / 10);
    console.log(`batch kill: ${resent} of ${LINES} subjects' notices were in doubt and sent again; the SMS gateway holds ${twice} of them twice`);
    for (const i of [0, 150, LINES - 1]) {
      const events = (await api.call('GET', `/v1/entries/${batch.entries[i].entryId}/audit`, { token: auditor })).body.events as Array<{ type: string }>;
      expect(events.filter((e) => e.type === 'ListingProposed')).toHaveLength(1);
      expect((await api.call('GET', `/v1/entries/${batch.entries[i].entryId}/audit/verify`, { token: auditor })).body.ok).toBe(true);
    }
  });
});
