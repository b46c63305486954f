import { describe, expect, it } from 'vitest';
import { createLogger, logLine, redact, type LogLevel } from '../../shared/platform/log.js';
import { DEADLINE_BREACHES } from '../../shared/platform/metrics.js';
import { personId } from '../support/identities.js';

const ID = personId(7);
const OLD_ID = '110105491231002';
const CREDIT_CODE = '91310000MA1FL0000N';
const MOBILE = '13812345678';
const EMAIL = 'zhang.san@example.cn';

describe('redact', () => {
  it('masks identity numbers of both generations and credit codes as the public views do', () => {
    expect(redact(`subject ${ID} and ${OLD_ID}`)).toBe(`subject ${ID.slice(0, 4)}${'*'.repeat(10)}${ID.slice(-4)} and 1101*******1002`);
    expect(redact(`company ${CREDIT_CODE}`)).toBe('company 9131**********000N');
    // Lower case, and a check character that does not fit, are still someone's number.
    expect(redact(`${CREDIT_CODE.toLowerCase()} 110105194912310021`)).toBe('9131**********000n 1101**********0021');
  });

  it('masks mainland mobile numbers, with or without a country code or grouping, also inside Chinese text', () => {
    expect(redact(`sms to ${MOBILE}`)).toBe('sms to 138****5678');
    expect(redact('+8613812345678, 0086 138 1234 5678, 86-138-1234-5678')).toBe('+86138****5678, 0086 138****5678, 86-138****5678');
    expect(redact('手机13912345678已停机')).toBe('手机139****5678已停机');
  });

  it('masks email addresses, also percent-encoded in a query string', () => {
    expect(redact(`mail to ${EMAIL}.`)).toBe('mail to z***@example.cn.');
    expect(redact('/_local/outbox?to=zhang%40example.cn')).toBe('/_local/outbox?to=z***@example.cn');
  });

  it('leaves what is not personal alone: entry and case ids, hashes, instants, epoch numbers, other numbers', () => {
    const text = `ent_01M2KZ2F8BJBJ3HCPZ5NHZMGG0 cas_01M2S3W71455NBQVPZNWBRVHQH ${'a1'.repeat(10)}13812345678${'f0'.repeat(21)} 2026-09-01T10:00:00.000Z 1767225600000 1234567 12812345678`;
    expect(redact(text)).toBe(text);
  });

  it('masks inside keys and paths: SUBJECT#<id>, subject:<id>, URL paths', () => {
    expect(redact(`SUBJECT#${ID} subject:${ID} /me/${ID}/x`)).not.toContain(ID);
  });
});

describe('log lines', () => {
  const lines: Array<{ level: LogLevel; line: string }> = [];
  const log = createLogger((level, line) => lines.push({ level, line }));

  it('writes one JSON object per line with level, time and message, and the fields beside them', () => {
    lines.length = 0;
    log.warn('notices not served', { caseId: 'cas_1', retryInSeconds: 300 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('warn');
    expect(lines[0]!.line).not.toContain('\n');
    expect(JSON.parse(lines[0]!.line)).toEqual({ level: 'warn', time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), msg: 'notices not served', caseId: 'cas_1', retryInSeconds: 300 });
  });

  it('masks personal data in the message, in field values and keys, in numbers, and in an error\'s message, stack and causes', () => {
    const cause = new Error(`SES refused ${EMAIL}`);
    const error = new Error(`no entry for ${ID}`, { cause: { to: Number(MOBILE), detail: new Error(`sms to ${MOBILE} failed`) } });
    const line = logLine('error', `read of ${ID} failed`, { error, also: [cause], byId: { [ID]: 'x' }, mobile: Number(MOBILE) });
    for (const secret of [ID, MOBILE, EMAIL]) expect(line).not.toContain(secret);
    const parsed = JSON.parse(line);
    expect(parsed.msg).toBe(`read of ${ID.slice(0, 4)}${'*'.repeat(10)}${ID.slice(-4)} failed`);
    expect(parsed.error).toMatchObject({ name: 'Error', message: expect.stringContaining('no entry for 1101'), stack: expect.stringContaining('no entry for 1101'), cause: { to: '138****5678', detail: { message: 'sms to 138****5678 failed' } } });
    expect(parsed.also[0].message).toBe('SES refused z***@example.cn');
    expect(parsed.mobile).toBe('138****5678');
  });

  it('writes a cycle once, and the same object met twice side by side twice', () => {
    const shared = { id: 'x' };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(JSON.parse(logLine('info', 'm', { cyclic }))).toMatchObject({ cyclic: { shared: { id: 'x' }, again: { id: 'x' }, self: '[circular]' } });
  });
});

describe('metric lines (CloudWatch Embedded Metric Format)', () => {
  it('writes one info line that is an EMF document: _aws names DueProcess/DeadlineBreaches without dimensions, the value sits under its name', () => {
    const lines: Array<{ level: LogLevel; line: string }> = [];
    const log = createLogger((level, line) => lines.push({ level, line }));
    const at = new Date('2026-09-01T16:00:00.000Z');
    log.metric('review deadline passed undecided', DEADLINE_BREACHES, 1, at, { caseId: 'cas_1', entryId: 'ent_1', reviewLevel: 'agency', deadline: '2026-09-01' });
    expect(lines).toEqual([
      {
        level: 'info',
        line:
          '{"level":"info","time":"2026-09-01T16:00:00.000Z","msg":"review deadline passed undecided","caseId":"cas_1","entryId":"ent_1","reviewLevel":"agency","deadline":"2026-09-01",' +
          '"_aws":{"Timestamp":1788278400000,"CloudWatchMetrics":[{"Namespace":"DueProcess","Dimensions":[[]],"Metrics":[{"Name":"DeadlineBreaches","Unit":"Count"}]}]},"DeadlineBreaches":1}',
      },
    ]);
  });
});
