import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { samplePng } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { personId } from '../support/identities.js';
import { npmStart, type RunningSystem } from '../support/local-process.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * The logs of a whole run of `npm start`, read as an operator reads them:
 * after the banner, every line the server writes is one JSON log record, and
 * none shows the listed party's identity number, mobile or email, through a
 * proposal, the public search, an upload, a request that fails with a 500, a
 * notice that cannot go out and is served on the retry, the reviewer's
 * reading and the decision. The clock starts on Tuesday 2026-09-01; the entry
 * is listed at 24:00 on 09-15.
 */

const SUBJECT = { id: personId(97), kind: 'person', name: '郑日志', email: 'zheng.logs@example.cn', mobile: '13612345097' };
/** What must never be in a log: the number, the mobile, the address, and its local part (so no encoding of it slips by). */
const SECRETS = [SUBJECT.id, SUBJECT.mobile, SUBJECT.email, SUBJECT.email.split('@')[0]!];
const BANNER_END = 'Press Ctrl-C to stop.';
const SAMR = '310000-samr';
const at = (shanghai: string) => `${shanghai}+08:00`;

/** Each line written after the banner that is not a JSON log record, or that shows a secret, with why. */
function logProblems(output: string, secrets: readonly string[]): string[] {
  const start = output.indexOf(BANNER_END);
  if (start < 0) return ['no banner in the output'];
  return output
    .slice(start + BANNER_END.length)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .flatMap((line) => {
      const problems = secrets.filter((s) => line.includes(s)).map((s) => `shows ${s}: ${line}`);
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        return [...problems, `not JSON: ${line}`];
      }
      const { level, time, msg } = (record ?? {}) as Record<string, unknown>;
      const isRecord = ['info', 'warn', 'error'].includes(level as string) && typeof msg === 'string' && typeof time === 'string' && !Number.isNaN(Date.parse(time));
      return isRecord ? problems : [...problems, `not a log record: ${line}`];
    });
}

/** The JSON records written after the banner. */
const records = (output: string) =>
  output
    .slice(output.indexOf(BANNER_END) + BANNER_END.length)
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string; [field: string]: unknown });

/** Waits, bounded, until `done` holds; answers its last value. */
async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start: logs are JSON lines without personal data', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: RunningSystem;
  let api: ApiClient;
  let output = '';

  const as = (request: TokenRequest) => api.token(request);
  const messagesTo = async (to: string) => api.outbox(to);

  beforeAll(async () => {
    data = await tempDataDir('log-privacy-');
    sys = await npmStart(data.dir, 60_000, { CLOCK_START: at('2026-09-01T10:00:00') });
    api = new ApiClient(sys.url);
  });
  afterAll(async () => {
    sys?.kill();
    await data?.remove();
  });

  it('runs a dispute from proposal to decision, through a failed request and a notice retry', async () => {
    const officer = await as({ role: 'agency-officer', agencyId: SAMR });
    const proposed = await api.call('POST', '/v1/listings', {
      token: officer,
      body: { subject: SUBJECT, listType: 'serious-dishonesty', facts: '拒不履行行政处罚决定', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: '沪市监处〔2026〕397号', decisionDate: '2026-08-20' },
    });
    expect(proposed.status).toBe(201);
    const entryId = proposed.body.entryId as string;
    await until('the pre-listing notice by email and SMS', async () => [...(await messagesTo(SUBJECT.email)), ...(await messagesTo(SUBJECT.mobile))], (m) => m.length === 2);

    await api.advanceTo(at('2026-09-16T10:00:00'));
    expect((await api.call('GET', `/v1/public/entries?q=${SUBJECT.id}`)).body.entries.map((e: { entryId: string }) => e.entryId)).toEqual([entryId]);
    const subject = await as({ role: 'subject', subjectId: SUBJECT.id });
    expect((await api.call('GET', `/v1/entries/${entryId}`, { token: subject })).body.status).toBe('listed');
    const file = await uploadEvidence(api, subject, samplePng([9, 7, 97]), '缴款回单.png', 'image/png');
    const objection = { kind: 'objection', entryId, grounds: `罚款已缴清。联系电话 ${SUBJECT.mobile}，邮箱 ${SUBJECT.email}`, evidence: [file] };

    // Evidence storage fails (its folder is a file): the filing is a 500, and the error is logged.
    const evidence = join(data.dir, 'evidence');
    await rename(evidence, `${evidence}.kept`);
    await writeFile(evidence, 'not a folder');
    expect((await api.call('POST', '/v1/cases', { token: subject, body: objection })).status).toBe(500);
    await rm(evidence);
    await rename(`${evidence}.kept`, evidence);

    // The SMS gateway fails (its outbox is a folder): the filing stands, the acknowledgement goes by email, the SMS waits.
    const smsOutbox = join(data.dir, 'sms-outbox.jsonl');
    await rename(smsOutbox, `${smsOutbox}.kept`);
    await mkdir(smsOutbox);
    const filed = await api.call('POST', '/v1/cases', { token: subject, body: objection });
    expect(filed.status).toBe(201);
    const caseId = filed.body.caseId as string;
    await until('the notice failure in the log', async () => records(sys.output()), (r) => r.some((x) => x.msg === 'notices not served; the review tries again'));
    await rmdir(smsOutbox);
    await rename(`${smsOutbox}.kept`, smsOutbox);
    // The review tries again 5 minutes later, on the virtual clock.
    await api.advanceTo(at('2026-09-16T10:10:00'));
    await until('the acknowledgement by SMS, on the retry', () => messagesTo(SUBJECT.mobile), (m) => m.some((x) => x.caseId === caseId));

    const reviewer = await as({ role: 'agency-reviewer', agencyId: SAMR, name: '郑审' });
    expect((await api.call('GET', `/v1/cases/${caseId}`, { token: reviewer })).status).toBe(200);
    expect((await api.call('GET', `/v1/entries/${entryId}`, { token: reviewer })).body.subject.mobile).toBe(SUBJECT.mobile);
    const decided = await api.call('POST', `/v1/cases/${caseId}/decision`, { token: reviewer, body: { outcome: 'upheld', reasons: '罚款确已缴清' } });
    expect(decided.status).toBe(200);
    await until('the decision by email and SMS', async () => [...(await messagesTo(SUBJECT.email)), ...(await messagesTo(SUBJECT.mobile))], (m) => m.filter((x) => x.caseId === caseId).length === 4);
    const auditor = await as({ role: 'auditor' });
    expect((await api.call('GET', `/v1/entries/${entryId}/audit/verify`, { token: auditor })).body.ok).toBe(true);
    const trail = (await api.call('GET', `/v1/entries/${entryId}/audit?limit=200`, { token: auditor })).body.events as Array<{ type: string; data: { what?: string } }>;
    expect(trail.filter((e) => e.type === 'RecordViewed').map((e) => e.data.what)).toEqual(['case', 'entry', 'audit-trail']);

    output = sys.output();
    // The log records the run's failures: the one request, the one notice.
    const logged = records(output);
    expect(logged.filter((r) => r.level === 'error' && r.msg === 'unhandled').map((r) => r.path)).toEqual(['/v1/cases']);
    expect(logged.filter((r) => r.msg === 'notices not served; the review tries again').map((r) => r.caseId)).toEqual([caseId]);
    expect(logProblems(output, SECRETS)).toEqual([]);

    // Stopping is told to the person at the terminal, in words, and still without any of it.
    await sys.interrupt();
    const stopping = sys.output().slice(output.length);
    expect(stopping).toContain('Stopped. Data kept in');
    for (const secret of SECRETS) expect(stopping).not.toContain(secret);
  });

  it('the scan itself catches a line with personal data, and a line that is not a log record', () => {
    expect(output).toContain(BANNER_END);
    const planted = (line: string) => logProblems(`${output}\n${line}\n`, SECRETS);
    expect(planted(JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: `proposal for ${SUBJECT.id}` }))).toEqual([expect.stringContaining(`shows ${SUBJECT.id}`)]);
    expect(planted(JSON.stringify({ level: 'warn', time: new Date().toISOString(), msg: 'sms', to: `+86${SUBJECT.mobile}` }))).toEqual([expect.stringContaining(`shows ${SUBJECT.mobile}`)]);
    expect(planted(`{"level":"error","time":"2026-09-16T02:00:00.000Z","msg":"send","to":"${SUBJECT.email.replace('@', '%40')}"}`)).toEqual([expect.stringContaining('shows zheng.logs')]);
    expect(planted('Error: something failed')).toEqual(['not JSON: Error: something failed']);
    expect(planted('{"message":"no level"}')).toEqual(['not a log record: {"message":"no level"}']);
  });
});
