import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal.js';
import { chainEvents, GENESIS_HASH } from '../../shared/audit/hash-chain.js';
import {
  remediesAfter,
  caseAsOf,
  claimCase,
  decideCase,
  evolve,
  extendReview,
  fileCase,
  isPaused,
  releaseCase,
  reminderSchedule,
  requestInfo,
  reviewClock,
  supplementCase,
  withdrawCase,
  workingDaysLeft,
  type CaseFiled,
  type CaseOutcome,
  type Correction,
  type DecideCase,
  type EntryEvent,
  type EntryListed,
  type FileCase,
  type ReviewLevel,
} from '../../shared/domain/entry.js';
import { partnerEventsOf } from '../../shared/domain/partner-events.js';
import { policies, calendar, at, given, caseOf, company, proposal } from '../support/domain.js';

// Objections, corrections and appeals on a listed serious-dishonesty entry (profile cn-2026:
// objection and correction review 5 working days, at most 20 with the extension, 10 working
// days to answer a request for material, provincial review 15 calendar days, appeal window
// 10 calendar days, reconsideration 60 calendar days, litigation 6 months, claims held
// 1 working day, reminders at 80%: of a working-day period counted in working days, of a
// calendar-day period in time).
// Every expected date is worked out by hand from the official 2026 calendar
// (shared/calendar/official-years.ts), never with the code under test:
//   September 2026: Fri 18, make-up Sun 20, Mon 21 … Thu 24, Mid-Autumn Fri 25–Sun 27, Mon 28, Tue 29, Wed 30;
//   October 2026:   National Day Thu 1–Wed 7, Thu 8, Fri 9, make-up Sat 10, Sun 11 off, Mon 12 …;
//                   Fri 16, Mon 19 … Fri 23, Sat 24, Sun 25, Mon 26 … Fri 30; Mon 2 Nov … Thu 5 Nov.
// The filing, asking, deciding day is never counted (POLICY.md, counting a period).





/** A valid GB 32100 credit code (check character N), and a second one (GB 32100's published example). */
const otherCode = '91350100M000100Y43';
const pdf = [{ name: 'annulment.pdf', contentType: 'application/pdf', sha256: 'b'.repeat(64) }];


/** Listed at 24:00 on 03-04; 3 years from 2025-02-20 end on Sunday 2028-02-20 → Monday 02-21; repair from 02-25. */
const listed: EntryListed = { type: 'EntryListed', data: { listedAt: '2026-03-04T16:00:00.000Z', expiresAt: '2028-02-22T00:00:00.000+08:00', earliestRepairDate: '2026-02-25', expiryProvisional: true } };

/** Minor penalty (never published), listed 07-21; 3 months from 07-01 end on 10-01 → Thursday 10-08. */
const minorProposal = proposal({ entryId: 'ent_pm', listType: 'penalty-minor', agencyId: '310000-pudong-samr', decisionRef: '浦市监罚〔2026〕88号', decisionDate: '2026-07-01', published: false });
const minorListed: EntryListed = { type: 'EntryListed', data: { listedAt: '2026-07-21T01:00:00.000Z', expiresAt: '2026-10-09T00:00:00.000+08:00', expiryProvisional: false } };

const onList: EntryEvent[] = [proposal(), listed];

// ---- commands ----

const objection = (over: Partial<FileCase> = {}): FileCase => ({
  caseId: 'case_o',
  kind: 'objection',
  subjectId: company.id,
  grounds: 'The penalty decision was annulled on review',
  evidence: pdf,
  requestHash: 'hash-o',
  ...over,
});

const correction = (requestedCorrection: FileCase['requestedCorrection'], over: Partial<FileCase> = {}): FileCase => ({
  caseId: 'case_c',
  kind: 'correction',
  subjectId: company.id,
  grounds: 'The entry misstates our particulars',
  evidence: [],
  requestedCorrection,
  requestHash: 'hash-c',
  ...over,
});

const appeal = (over: Partial<FileCase> = {}): FileCase => ({
  caseId: 'case_a',
  kind: 'appeal',
  subjectId: company.id,
  grounds: 'The agency ignored the annulment',
  evidence: pdf,
  appealOf: 'case_o',
  requestHash: 'hash-a',
  ...over,
});

const decision = (caseId: string, outcome: CaseOutcome, by = 'rev_a', level: ReviewLevel = 'agency', correction?: Correction): DecideCase => ({
  caseId,
  outcome,
  reasons: 'Checked against the file',
  by,
  level,
  ...(correction ? { correction } : {}),
});

// ---- events ----

const caseFiled = (over: Partial<CaseFiled['data']>): CaseFiled => ({
  type: 'CaseFiled',
  data: {
    caseId: 'case_o',
    entryId: 'ent_sd',
    kind: 'objection',
    level: 'agency',
    subjectId: company.id,
    agencyId: '310000-samr',
    provinceCode: '310000',
    grounds: 'The penalty decision was annulled on review',
    evidence: pdf,
    policy: { profileId: 'cn-2026', version: 1 },
    filedAt: '2026-09-23T02:00:00.000Z',
    clockStartedAt: '2026-09-23T02:00:00.000Z',
    deadline: '2026-10-08',
    deadlineAt: '2026-10-09T00:00:00.000+08:00',
    deadlineProvisional: false,
    capDate: '2026-10-28',
    requestHash: 'hash-o',
    ...over,
  },
});

/**
 * Objection filed Wednesday 2026-09-23 10:00.
 * 5 working days: Thu 09-24 (1), [Mid-Autumn 25–27], Mon 28 (2), Tue 29 (3), Wed 30 (4), [National Day 10-01..07], Thu 10-08 (5).
 * Cap of 20: …, 10-08 (5), Fri 09 (6), make-up Sat 10 (7), 12–16 (8–12), 19–23 (13–17), 26, 27, 28 (18–20) → 10-28.
 */
const objectionFiled = caseFiled({});

/**
 * Correction filed Thursday 2026-09-24 10:00.
 * 5 working days: 09-28 (1), 29 (2), 30 (3), 10-08 (4), 10-09 (5).
 * Cap of 20: 09 (5), Sat 10 (6), 12–16 (7–11), 19–23 (12–16), 26–29 (17–20) → 10-29.
 */
const correctionFiled = (requestedCorrection: Correction, over: Partial<CaseFiled['data']> = {}): CaseFiled =>
  caseFiled({
    caseId: 'case_c',
    kind: 'correction',
    grounds: 'The entry misstates our particulars',
    evidence: [],
    requestedCorrection,
    filedAt: '2026-09-24T02:00:00.000Z',
    clockStartedAt: '2026-09-24T02:00:00.000Z',
    deadline: '2026-10-09',
    deadlineAt: '2026-10-10T00:00:00.000+08:00',
    capDate: '2026-10-29',
    requestHash: 'hash-c',
    ...over,
  });

const nameFix: Correction = { field: 'subject.name', value: '上海某某商贸有限公司' };

/**
 * Claimed Thursday 09-24 09:00: held for 1 working day after it, which is Monday 09-28
 * (Mid-Autumn 25–27 between), so until 24:00 on 09-28.
 */
const claimed = (by: string, caseId = 'case_o'): EntryEvent => ({ type: 'CaseClaimed', data: { caseId, by, at: '2026-09-24T01:00:00.000Z', until: '2026-09-29T00:00:00.000+08:00' } });

/**
 * The objection's reviewer asks on Monday 09-28 10:00.
 * Left of the review: 29, 30, 10-08 = 3 working days; of the cap (10-28): 29, 30, 10-08, 09, 10, 12–16, 19–23, 26–28 = 18.
 * Answer in 10 working days: 29, 30, 10-08, 09, Sat 10, 12, 13, 14, 15, 16 → Friday 10-16.
 */
const infoRequested: EntryEvent = {
  type: 'CaseInfoRequested',
  data: {
    caseId: 'case_o',
    questions: ['The annulment decision, with its service record'],
    by: 'rev_a',
    at: '2026-09-28T02:00:00.000Z',
    answerDue: '2026-10-16',
    answerDueAt: '2026-10-17T00:00:00.000+08:00',
    remaining: { unit: 'workingDays', value: 3 },
    capRemaining: { unit: 'workingDays', value: 18 },
  },
};

const decided = (caseId: string, outcome: CaseOutcome, when: string, by = 'rev_a', level: ReviewLevel = 'agency'): EntryEvent => ({
  type: 'CaseDecided',
  data: { caseId, at: when, outcome, reasons: 'Checked against the file', by, level },
});

/** The objection rejected by the agency on Thursday 09-24 10:00. */
const objectionRejected = decided('case_o', 'rejected', '2026-09-24T02:00:00.000Z');

/** The objection's agency deadline (Thursday 10-08) ran out: 15 calendar days from 10-08 end on Friday 10-23, a working day. */
const objectionEscalated: EntryEvent = { type: 'CaseEscalated', data: { caseId: 'case_o', at: '2026-10-08T16:00:00.000Z', deadline: '2026-10-23', deadlineAt: '2026-10-24T00:00:00.000+08:00', deadlineProvisional: false } };

const reminded = (reminder: string, when: string, level: ReviewLevel = 'agency', caseId = 'case_o'): EntryEvent => ({ type: 'CaseReminded', data: { caseId, at: when, reminder, level } });

describe('FileCase: objection', () => {
  it('counts 5 working days across Mid-Autumn and National Day: filed Wednesday 09-23 → Thursday 10-08, cap 10-28, at agency level', () => {
    expect(fileCase(objection(), given(...onList), at('2026-09-23T10:00'))).toEqual([objectionFiled]);
  });

  it('counts the make-up Sunday: filed Friday 09-18 → Thursday 09-24, cap 10-22', () => {
    // 5: Sun 20 (1), 21, 22, 23, 24 (5). Cap of 20: …, 24 (5), 28, 29, 30 (8), 10-08, 09, Sat 10 (11), 12–16 (16), 19–22 (20).
    const [event] = fileCase(objection(), given(...onList), at('2026-09-18T10:00'));
    expect(event!.data).toMatchObject({ level: 'agency', deadline: '2026-09-24', deadlineAt: '2026-09-25T00:00:00.000+08:00', capDate: '2026-10-22', deadlineProvisional: false });
  });

  it('evolve marks the listed entry under objection while the objection is open', () => {
    const state = given(...onList, objectionFiled);
    expect(state).toMatchObject({ status: 'listed', underObjection: true, openCases: ['case_o'] });
    expect(caseOf(state, 'case_o')).toMatchObject({ status: 'open', level: 'agency', overdue: false, reminders: [] });
  });

  it('refuses a second open objection (409), naming the open one', () => {
    const error = refusal(() => fileCase(objection({ caseId: 'case_o2', requestHash: 'hash-o2' }), given(...onList, objectionFiled), at('2026-09-24T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ caseId: 'case_o' });
  });

  it('accepts a new objection once the first is decided', () => {
    const [event] = fileCase(objection({ caseId: 'case_o2', requestHash: 'hash-o2' }), given(...onList, objectionFiled, objectionRejected), at('2026-09-24T15:00'));
    expect(event!.data).toMatchObject({ caseId: 'case_o2', deadline: '2026-10-09' });
  });

  it('refuses an objection on a proposed entry, pointing to a representation', () => {
    const error = refusal(() => fileCase(objection(), given(proposal()), at('2026-02-13T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ status: 'proposed' });
    expect(error.message).toMatch(/make a representation/);
  });

  it('refuses an objection on a delisted entry', () => {
    const delisted: EntryEvent = { type: 'EntryDelisted', data: { at: '2026-09-01T02:00:00.000Z', reason: 'repaired' } };
    const error = refusal(() => fileCase(objection(), given(...onList, delisted), at('2026-09-23T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ status: 'delisted' });
  });

  it('refuses an objection that names a field to correct', () => {
    const error = refusal(() => fileCase(objection({ requestedCorrection: nameFix }), given(...onList), at('2026-09-23T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'requestedCorrection', message: 'only a correction names a field to correct' }]);
  });
});

describe('FileCase: correction', () => {
  const file = (requested: FileCase['requestedCorrection']) => fileCase(correction(requested), given(...onList), at('2026-09-24T10:00'));
  const fieldErrors = (requested: FileCase['requestedCorrection']) => {
    const error = refusal(() => file(requested));
    expect(error.code).toBe('VALIDATION_FAILED');
    return error.details.errors;
  };

  it('files a correction of the name: deadline Friday 10-09, cap 10-29; the entry is under objection', () => {
    const events = file(nameFix);
    expect(events).toEqual([correctionFiled(nameFix)]);
    expect(given(...onList, ...events).underObjection).toBe(true);
  });

  it('trims a credit code and puts it in upper case', () => {
    const [event] = file({ field: 'subject.id', value: ` ${otherCode.toLowerCase()} ` });
    expect(event!.data.requestedCorrection).toEqual({ field: 'subject.id', value: otherCode });
  });

  it('requires requestedCorrection', () => {
    expect(fieldErrors(undefined)).toEqual([{ path: 'requestedCorrection', message: 'a correction names the field to correct (subject.name, subject.id, facts, legalBasis, decisionRef, decisionDate) and its proposed value' }]);
  });

  it('names an unknown field', () => {
    expect(fieldErrors({ field: 'subject.address', value: 'Pudong' })).toEqual([{ path: 'requestedCorrection.field', message: 'must be one of subject.name, subject.id, facts, legalBasis, decisionRef, decisionDate' }]);
  });

  it('names an invalid credit code with the reason', () => {
    expect(fieldErrors({ field: 'subject.id', value: '91350100M000100Y44' })).toEqual([{ path: 'requestedCorrection.value', message: "wrong check character: expected '3' got '4'" }]);
  });

  it('refuses the value the entry already has, compared after canonicalising', () => {
    expect(fieldErrors({ field: 'subject.id', value: company.id.toLowerCase() })).toEqual([{ path: 'requestedCorrection.value', message: `the entry already says ${company.id}` }]);
    expect(fieldErrors({ field: 'subject.name', value: ` ${company.name} ` })).toEqual([{ path: 'requestedCorrection.value', message: `the entry already says ${company.name}` }]);
  });

  it('refuses a decision date that is no calendar date, before 2000-01-01, or after today (09-24)', () => {
    expect(fieldErrors({ field: 'decisionDate', value: '2025/02/21' })).toEqual([{ path: 'requestedCorrection.value', message: 'expected a calendar date as YYYY-MM-DD' }]);
    // February 2025 has 28 days.
    expect(fieldErrors({ field: 'decisionDate', value: '2025-02-30' })).toEqual([{ path: 'requestedCorrection.value', message: 'expected a calendar date as YYYY-MM-DD' }]);
    expect(fieldErrors({ field: 'decisionDate', value: '1800-01-01' })).toEqual([{ path: 'requestedCorrection.value', message: 'must be on or after 2000-01-01' }]);
    expect(fieldErrors({ field: 'decisionDate', value: '2026-09-25' })).toEqual([{ path: 'requestedCorrection.value', message: 'must be on or before 2026-09-24' }]);
  });

  it('accepts the first and the last decision dates allowed: 2000-01-01 and today (09-24)', () => {
    expect(file({ field: 'decisionDate', value: '2000-01-01' })[0]!.data.requestedCorrection).toEqual({ field: 'decisionDate', value: '2000-01-01' });
    expect(file({ field: 'decisionDate', value: '2026-09-24' })[0]!.data.requestedCorrection).toEqual({ field: 'decisionDate', value: '2026-09-24' });
  });

  it('refuses a second open correction, but not a correction beside an open objection', () => {
    const state = given(...onList, correctionFiled(nameFix));
    expect(refusal(() => fileCase(correction(nameFix, { caseId: 'case_c2', requestHash: 'hash-c2' }), state, at('2026-09-25T10:00'))).code).toBe('INVALID_STATE');
    expect(fileCase(objection(), state, at('2026-09-25T10:00'))).toHaveLength(1);
  });
});

describe('RequestInfo', () => {
  const ask = (by = 'rev_a') => ({ caseId: 'case_o', by, level: 'agency' as const, questions: ['The annulment decision, with its service record'] });

  it('pauses the review on Monday 09-28: 3 working days left, cap 18 left, answer due Friday 10-16', () => {
    const events = requestInfo(ask(), given(...onList, objectionFiled), at('2026-09-28T10:00'));
    expect(events).toEqual([infoRequested]);
    const c = caseOf(given(...onList, objectionFiled, ...events), 'case_o');
    expect(c.status).toBe('awaiting-info');
    expect(isPaused(c)).toBe(true);
    // While paused, what was left when the clock stopped, whatever the day.
    expect(workingDaysLeft(at('2026-10-12T10:00'), c)).toBe(3);
  });

  it('asked on the last day (Thursday 10-08) still leaves 1 working day; answer due Wednesday 10-21', () => {
    // Answer: 09, Sat 10, 12–16, 19, 20, 21 (10). Cap left: 09, 10, 12–16, 19–23, 26–28 = 15.
    const [event] = requestInfo(ask(), given(...onList, objectionFiled), at('2026-10-08T10:00'));
    expect(event!.data).toMatchObject({ answerDue: '2026-10-21', answerDueAt: '2026-10-22T00:00:00.000+08:00', remaining: { unit: 'workingDays', value: 1 }, capRemaining: { unit: 'workingDays', value: 15 } });
  });

  it('is asked once: a second request is refused, also after the clock runs again', () => {
    const error = refusal(() => requestInfo(ask(), given(...onList, objectionFiled, infoRequested), at('2026-09-29T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ askedAt: '2026-09-28T02:00:00.000Z' });
    const resumedState = given(...onList, objectionFiled, infoRequested, ...supplementCase({ caseId: 'case_o', text: 'Attached', evidence: pdf }, given(...onList, objectionFiled, infoRequested), at('2026-10-12T10:00')));
    expect(refusal(() => requestInfo(ask(), resumedState, at('2026-10-13T10:00'))).code).toBe('INVALID_STATE');
  });

  it('is refused to a reviewer while another holds the case', () => {
    const error = refusal(() => requestInfo(ask('rev_b'), given(...onList, objectionFiled, claimed('rev_a')), at('2026-09-28T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ assignedTo: 'rev_a', claimUntil: '2026-09-29T00:00:00.000+08:00' });
  });

  it('is refused to the agency once its deadline has passed (24:00 on 10-08)', () => {
    const error = refusal(() => requestInfo(ask(), given(...onList, objectionFiled), at('2026-10-09T00:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ deadline: '2026-10-08' });
  });

  it('is refused to the province too once its deadline (Friday 10-23) has passed: an overdue case is decided, not paused', () => {
    const escalated = given(...onList, objectionFiled, objectionEscalated);
    const provincial = { ...ask('prov_1'), level: 'province' as const };
    // On its last day it may still ask. Answer in 10 working days after Friday 10-23: 26–30 (5), 11-02..06 (10) → Friday 11-06.
    // Left of the 15 calendar days: none after 10-23, so the least, 1 calendar day.
    expect(requestInfo(provincial, escalated, at('2026-10-23T23:59'))[0]!.data).toMatchObject({ answerDue: '2026-11-06', answerDueAt: '2026-11-07T00:00:00.000+08:00', remaining: { unit: 'calendarDays', value: 1 } });
    const error = refusal(() => requestInfo(provincial, escalated, at('2026-10-24T00:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ deadline: '2026-10-23' });
    const later = refusal(() => requestInfo(provincial, escalated, at('2026-10-27T10:00')));
    expect(later.code).toBe('INVALID_STATE');
    expect(later.details).toEqual({ deadline: '2026-10-23' });
  });
});

describe('SupplementCase', () => {
  const paused = [...onList, objectionFiled, infoRequested];
  const supplement = { caseId: 'case_o', text: 'The annulment decision is attached', evidence: pdf };

  it('while paused: supplemented, and the clock runs again from the supplement day (Monday 10-12)', () => {
    // 3 working days from 10-12: 13, 14, 15. Cap, 18 from 10-12: 13–16 (4), 19–23 (9), 26–30 (14), 11-02..05 (18).
    // Paused from 09-28 10:00 to 10-12 10:00 = 14 days: the clock's start moves from 09-23 10:00 to 10-07 10:00.
    const events = supplementCase(supplement, given(...paused), at('2026-10-12T10:00'));
    expect(events).toEqual([
      { type: 'CaseSupplemented', data: { caseId: 'case_o', at: '2026-10-12T02:00:00.000Z', text: supplement.text, evidence: pdf } },
      { type: 'CaseResumed', data: { caseId: 'case_o', at: '2026-10-12T02:00:00.000Z', by: 'supplement', deadline: '2026-10-15', deadlineAt: '2026-10-16T00:00:00.000+08:00', deadlineProvisional: false, clockStartedAt: '2026-10-07T02:00:00.000Z', capDate: '2026-11-05' } },
    ]);
    const c = caseOf(given(...paused, ...events), 'case_o');
    expect(c).toMatchObject({ status: 'open', deadline: '2026-10-15', capDate: '2026-11-05', infoRequest: { resumedAt: '2026-10-12T02:00:00.000Z', resumedBy: 'supplement' } });
    expect(c.supplements).toHaveLength(1);
    expect(isPaused(c)).toBe(false);
  });

  it('after the pause the reminders move with the clock: counted from 10-07, the 80% falls at the start of the last day (10-15) and merges', () => {
    // Working days after the clock's start day 10-07 up to 10-15: 08, 09, Sat 10, 12, 13, 14, 15 = 7; ceil(0.8 × 7) = 6
    // → 24:00 on the 6th, Wednesday 10-14, which is 10-15 00:00, the start of the last working day: the last-day reminder serves for both.
    const events = supplementCase(supplement, given(...paused), at('2026-10-12T10:00'));
    expect(reminderSchedule(caseOf(given(...paused, ...events), 'case_o'), { policies, calendar })).toEqual([
      { key: 'agency:last-day@2026-10-15', at: '2026-10-14T16:00:00.000Z' },
    ]);
  });

  it('when nothing is awaited: only CaseSupplemented', () => {
    expect(supplementCase(supplement, given(...onList, objectionFiled), at('2026-09-24T10:00'))).toEqual([
      { type: 'CaseSupplemented', data: { caseId: 'case_o', at: '2026-09-24T02:00:00.000Z', text: supplement.text, evidence: pdf } },
    ]);
  });

  it('after the answer time ran out (24:00 on 10-16): resumed for no answer at that instant, then supplemented', () => {
    // Counted from the day after the answer's last day (Friday 10-16): 3 working days are 19, 20, 21.
    // Cap, 18 after 10-16: 19–23 (5), 26–30 (10), 11-02..06 (15), 09, 10, 11 (18).
    // Paused from 09-28 10:00 to 10-17 00:00 = 18 days 14 hours: the start moves from 09-23 10:00 to 10-12 00:00.
    expect(supplementCase(supplement, given(...paused), at('2026-10-19T10:00'))).toEqual([
      { type: 'CaseResumed', data: { caseId: 'case_o', at: '2026-10-16T16:00:00.000Z', by: 'no-answer', deadline: '2026-10-21', deadlineAt: '2026-10-22T00:00:00.000+08:00', deadlineProvisional: false, clockStartedAt: '2026-10-11T16:00:00.000Z', capDate: '2026-11-11' } },
      { type: 'CaseSupplemented', data: { caseId: 'case_o', at: '2026-10-19T02:00:00.000Z', text: supplement.text, evidence: pdf } },
    ]);
  });

  it("'no answer' counts from the day after the answer's last day, though the clock runs again only at its 24:00", () => {
    // Asked on Thursday 10-08, the agency's last day: 1 working day left, 15 of the cap; answer due Wednesday 10-21.
    const askedLastDay: EntryEvent = { type: 'CaseInfoRequested', data: { caseId: 'case_o', questions: ['The annulment decision, with its service record'], by: 'rev_a', at: '2026-10-08T02:00:00.000Z', answerDue: '2026-10-21', answerDueAt: '2026-10-22T00:00:00.000+08:00', remaining: { unit: 'workingDays', value: 1 }, capRemaining: { unit: 'workingDays', value: 15 } } };
    // 1 working day after Wednesday 10-21: Thursday 10-22 (counted from the resumption day 10-22 it would wrongly be Friday 10-23).
    // Cap, 15 after 10-21: 22, 23 (2), 26–30 (7), 11-02..06 (12), 09, 10, 11 (15) → 11-11.
    // Paused from 10-08 10:00 to 10-22 00:00 = 13 days 14 hours: the start moves from 09-23 10:00 to 10-07 00:00.
    expect(supplementCase(supplement, given(...onList, objectionFiled, askedLastDay), at('2026-10-22T10:00'))).toEqual([
      { type: 'CaseResumed', data: { caseId: 'case_o', at: '2026-10-21T16:00:00.000Z', by: 'no-answer', deadline: '2026-10-22', deadlineAt: '2026-10-23T00:00:00.000+08:00', deadlineProvisional: false, clockStartedAt: '2026-10-06T16:00:00.000Z', capDate: '2026-11-11' } },
      { type: 'CaseSupplemented', data: { caseId: 'case_o', at: '2026-10-22T02:00:00.000Z', text: supplement.text, evidence: pdf } },
    ]);
  });

  it('refuses files beyond 10 per case, counting the filing and every supplement (400 naming evidence)', () => {
    const files = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ name: `page-${from + i}.pdf`, contentType: 'application/pdf', sha256: (from + i).toString(16).repeat(64).slice(0, 64) }));
    // On file: the objection's 1 and a first supplement's 5 = 6; 4 more make 10, 5 more would make 11.
    const first: EntryEvent = { type: 'CaseSupplemented', data: { caseId: 'case_o', at: '2026-09-24T02:00:00.000Z', text: 'Court file, part 1', evidence: files(5, 2) } };
    const state = given(...onList, objectionFiled, first);
    const error = refusal(() => supplementCase({ ...supplement, evidence: files(5, 7) }, state, at('2026-09-25T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'evidence', message: 'at most 10 files per case; 6 are already on file, so at most 4 more' }]);
    expect(supplementCase({ ...supplement, evidence: files(4, 7) }, state, at('2026-09-25T10:00'))).toEqual([
      { type: 'CaseSupplemented', data: { caseId: 'case_o', at: '2026-09-25T02:00:00.000Z', text: supplement.text, evidence: files(4, 7) } },
    ]);
  });

  it('a decided case takes no supplement', () => {
    expect(refusal(() => supplementCase(supplement, given(...onList, objectionFiled, objectionRejected), at('2026-09-25T10:00'))).code).toBe('INVALID_STATE');
  });
});

describe('ReviewClock: while paused', () => {
  const paused = [...onList, objectionFiled, infoRequested];
  const resumedNoAnswer: EntryEvent = { type: 'CaseResumed', data: { caseId: 'case_o', at: '2026-10-16T16:00:00.000Z', by: 'no-answer', deadline: '2026-10-21', deadlineAt: '2026-10-22T00:00:00.000+08:00', deadlineProvisional: false, clockStartedAt: '2026-10-11T16:00:00.000Z', capDate: '2026-11-11' } };

  it('waits for the answer, not the decision: 12 hours from Friday 10-16 12:00 to 24:00', () => {
    expect(reviewClock('case_o', given(...paused), at('2026-10-16T12:00'))).toEqual({ events: [], result: { open: true, step: 'await-info', level: 'agency', secondsLeft: 12 * 3600, action: 'wait' } });
  });

  it('does not escalate a paused case although its old deadline (10-08) has passed', () => {
    expect(reviewClock('case_o', given(...paused), at('2026-10-09T00:00')).events).toEqual([]);
  });

  it('at 24:00 on 10-16 the clock runs again for no answer, and waits for the last-day reminder (the 80% one merged into it)', () => {
    // Running from Monday 10-12 (its start day) to 10-21: 13–16, 19, 20, 21 = 7 working days; ceil(0.8 × 7) = 6 → 24:00 on Tuesday 10-20,
    // the start of the last day 10-21: one reminder, at 10-21 00:00, 4 days away.
    const result = reviewClock('case_o', given(...paused), at('2026-10-17T00:00'));
    expect(result).toEqual({ events: [resumedNoAnswer], result: { open: true, step: 'await-decision', level: 'agency', secondsLeft: 4 * 86_400, action: 'wait' } });
    expect(caseOf(given(...paused, ...result.events), 'case_o')).toMatchObject({ status: 'open', deadline: '2026-10-21', infoRequest: { resumedBy: 'no-answer' } });
  });

  // A late timer must not give the agency more time: the pause ended at 24:00 on 10-16 whether or not the trail shows it yet.
  it('the agency cannot decide after the deadline resumed for no answer (10-21), even before the timer has run', () => {
    const error = refusal(() => decideCase(decision('case_o', 'rejected'), given(...paused), at('2026-10-23T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ deadline: '2026-10-21' });
  });

  it('a decision after the lapsed pause, before the timer ran: the resumption is recorded first, then the decision and its remedy', () => {
    // Monday 10-19 10:00: the answer time ran out at 24:00 on 10-16; the resumed deadline (10-21) has not.
    const decidedAt = '2026-10-19T02:00:00.000Z';
    const events = decideCase(decision('case_o', 'upheld'), given(...paused), at('2026-10-19T10:00'));
    expect(events).toEqual([
      resumedNoAnswer,
      { type: 'CaseDecided', data: { caseId: 'case_o', at: decidedAt, outcome: 'upheld', reasons: 'Checked against the file', by: 'rev_a', level: 'agency' } },
      { type: 'EntryDelisted', data: { at: decidedAt, reason: 'objection-upheld', caseId: 'case_o' } },
    ]);
    expect(caseOf(given(...paused, ...events), 'case_o')).toMatchObject({ status: 'decided', deadline: '2026-10-21', infoRequest: { resumedAt: '2026-10-16T16:00:00.000Z', resumedBy: 'no-answer' } });
    // A rejection, refused while the subject could still answer, is possible now the pause is over.
    expect(decideCase(decision('case_o', 'rejected'), given(...paused), at('2026-10-19T10:00')).map((e) => e.type)).toEqual(['CaseResumed', 'CaseDecided']);
  });

  it('a timer late past the resumed deadline resumes and escalates in the same tick', () => {
    // Resumed deadline 10-21; 15 calendar days from it end on Thursday 11-05. The province's 80% is 12 of its 15 days away.
    const result = reviewClock('case_o', given(...paused), at('2026-10-22T00:00'));
    expect(result).toEqual({
      events: [resumedNoAnswer, { type: 'CaseEscalated', data: { caseId: 'case_o', at: '2026-10-21T16:00:00.000Z', deadline: '2026-11-05', deadlineAt: '2026-11-06T00:00:00.000+08:00', deadlineProvisional: false } }],
      result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 12 * 86_400, action: 'escalated' },
    });
    expect(caseOf(given(...paused, ...result.events), 'case_o')).toMatchObject({ status: 'escalated', level: 'province', deadline: '2026-11-05' });
  });
});

describe('ExtendReview', () => {
  const extend = (workingDays: number, by = 'rev_a') => ({ caseId: 'case_o', by, reason: 'Waiting for the court file', workingDays });
  const running = [...onList, objectionFiled];
  // 10 working days after 10-08: 09, Sat 10, 12–16, 19, 20, 21 → Wednesday 10-21.
  const extended: EntryEvent = { type: 'CaseExtended', data: { caseId: 'case_o', at: '2026-09-30T02:00:00.000Z', by: 'rev_a', reason: 'Waiting for the court file', workingDays: 10, previousDeadline: '2026-10-08', deadline: '2026-10-21', deadlineAt: '2026-10-22T00:00:00.000+08:00', deadlineProvisional: false } };

  it('extends once, counted from the current deadline: 10 working days after Thursday 10-08 → Wednesday 10-21', () => {
    const events = extendReview(extend(10), given(...running), at('2026-09-30T10:00'));
    expect(events).toEqual([extended]);
    expect(caseOf(given(...running, ...events), 'case_o')).toMatchObject({ deadline: '2026-10-21', extension: { workingDays: 10, previousDeadline: '2026-10-08', by: 'rev_a' } });
  });

  it('up to the cap exactly: 15 working days after 10-08 reach 10-28', () => {
    // 09, 10 (2), 12–16 (7), 19–23 (12), 26, 27, 28 (15).
    const [event] = extendReview(extend(15), given(...running), at('2026-09-30T10:00'));
    expect(event!.data).toMatchObject({ deadline: '2026-10-28', deadlineAt: '2026-10-29T00:00:00.000+08:00' });
  });

  it('one day over the cap: refused, naming workingDays with the maximum', () => {
    const error = refusal(() => extendReview(extend(16), given(...running), at('2026-09-30T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'workingDays', message: 'at most 15: the review may not run past 2026-10-28' }]);
  });

  it('after a pause the cap has moved with the clock: deadline 10-15, cap 11-05, at most 15', () => {
    // 10-16 (1), 19–23 (6), 26–30 (11), 11-02..05 (15).
    const supplemented = supplementCase({ caseId: 'case_o', text: 'Attached', evidence: [] }, given(...running, infoRequested), at('2026-10-12T10:00'));
    const error = refusal(() => extendReview(extend(16), given(...running, infoRequested, ...supplemented), at('2026-10-13T10:00')));
    expect(error.details.errors).toEqual([{ path: 'workingDays', message: 'at most 15: the review may not run past 2026-11-05' }]);
  });

  it('a second extension is refused', () => {
    const error = refusal(() => extendReview(extend(1), given(...running, extended), at('2026-10-12T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ deadline: '2026-10-21' });
  });

  it('a representation review cannot be extended', () => {
    // Filed Thursday 02-12 15:00: 13, Sat 14, [Spring Festival], 24, 25, 26.
    const representation = caseFiled({ caseId: 'case_r', kind: 'representation', filedAt: '2026-02-12T07:00:00.000Z', clockStartedAt: '2026-02-12T07:00:00.000Z', deadline: '2026-02-26', deadlineAt: '2026-02-27T00:00:00.000+08:00', capDate: undefined });
    const error = refusal(() => extendReview({ ...extend(5), caseId: 'case_r' }, given(proposal(), representation), at('2026-02-13T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ kind: 'representation' });
  });

  it('is refused while the clock is paused', () => {
    expect(refusal(() => extendReview(extend(5), given(...running, infoRequested), at('2026-09-30T10:00'))).code).toBe('INVALID_STATE');
  });

  it('after a lapsed pause, before the timer ran: the resumption is recorded first, and the extension counts from the resumed deadline', () => {
    const paused = [...running, infoRequested];
    // No answer by 24:00 on Friday 10-16: 3 working days after 10-16 are 19, 20, 21; cap, 18 after 10-16: 19–23, 26–30, 11-02..06, 09, 10, 11 → 11-11.
    // Paused 09-28 10:00 → 10-17 00:00 = 18 days 14 hours: the start moves from 09-23 10:00 to 10-12 00:00.
    const resumedNoAnswer: EntryEvent = { type: 'CaseResumed', data: { caseId: 'case_o', at: '2026-10-16T16:00:00.000Z', by: 'no-answer', deadline: '2026-10-21', deadlineAt: '2026-10-22T00:00:00.000+08:00', deadlineProvisional: false, clockStartedAt: '2026-10-11T16:00:00.000Z', capDate: '2026-11-11' } };
    // Monday 10-19 10:00, 10 working days after Wednesday 10-21: 22, 23 (2), 26–30 (7), 11-02, 03, 04 (10) → Wednesday 11-04 (cap allows 15: 22, 23, 26–30, 11-02..06, 09–11).
    const extendedAfterPause: EntryEvent = { type: 'CaseExtended', data: { caseId: 'case_o', at: '2026-10-19T02:00:00.000Z', by: 'rev_a', reason: 'Waiting for the court file', workingDays: 10, previousDeadline: '2026-10-21', deadline: '2026-11-04', deadlineAt: '2026-11-05T00:00:00.000+08:00', deadlineProvisional: false } };
    const events = extendReview(extend(10), given(...paused), at('2026-10-19T10:00'));
    expect(events).toEqual([resumedNoAnswer, extendedAfterPause]);
    const state = given(...paused, ...events);
    expect(caseOf(state, 'case_o')).toMatchObject({ status: 'open', deadline: '2026-11-04', capDate: '2026-11-11', infoRequest: { resumedBy: 'no-answer' }, extension: { workingDays: 10, previousDeadline: '2026-10-21' } });
    // The timer, late, runs at 24:00 on 10-21, when the resumed deadline would have run out: no second resumption, no escalation, the deadline stays 11-04.
    // Its next wake-up is the 80% reminder: after 10-12, up to 11-04: 13–16 (4), 19–23 (9), 26–30 (14), 11-02..04 (17); ceil(0.8 × 17) = 14
    // → 24:00 on Friday 10-30 = Saturday 10-31 00:00, a day off → Monday 11-02 00:00, 11 days after 10-22 00:00.
    const later = reviewClock('case_o', state, at('2026-10-22T00:00'));
    expect(later).toEqual({ events: [], result: { open: true, step: 'await-decision', level: 'agency', secondsLeft: 11 * 86_400, action: 'wait' } });
    expect(caseOf(given(...paused, ...events, ...later.events), 'case_o').deadline).toBe('2026-11-04');
  });

  it('is refused once the deadline has passed (24:00 on 10-08)', () => {
    const error = refusal(() => extendReview(extend(5), given(...running), at('2026-10-09T00:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ deadline: '2026-10-08' });
  });

  it('is refused after escalation, and to a reviewer while another holds the case', () => {
    expect(refusal(() => extendReview(extend(5), given(...running, objectionEscalated), at('2026-10-09T10:00'))).code).toBe('INVALID_STATE');
    const error = refusal(() => extendReview(extend(5, 'rev_b'), given(...running, claimed('rev_a')), at('2026-09-28T10:00')));
    expect(error.details).toEqual({ assignedTo: 'rev_a', claimUntil: '2026-09-29T00:00:00.000+08:00' });
  });
});

describe('Reminders', () => {
  const ctx = { policies, calendar };

  /** The objection of 09-23 extended on 09-30 by `workingDays` to `deadline`. */
  const extendedTo = (workingDays: number, deadline: string, deadlineAt: string): EntryEvent => ({ type: 'CaseExtended', data: { caseId: 'case_o', at: '2026-09-30T02:00:00.000Z', by: 'rev_a', reason: 'Waiting for the court file', workingDays, previousDeadline: '2026-10-08', deadline, deadlineAt, deadlineProvisional: false } });

  it('5 working days: 80% is the end of the 4th, the start of the last day, so the last-day reminder serves for both (filed Friday 09-18, due Thursday 09-24)', () => {
    // After Friday 09-18: Sun 20 (1), 21 (2), 22 (3), 23 (4), 24 (5); ceil(0.8 × 5) = 4 → 24:00 on Wednesday 09-23 = 09-24 00:00, the last day's start.
    const c = caseOf(given(...onList, caseFiled({ filedAt: '2026-09-18T02:00:00.000Z', clockStartedAt: '2026-09-18T02:00:00.000Z', deadline: '2026-09-24', deadlineAt: '2026-09-25T00:00:00.000+08:00', capDate: '2026-10-22' })), 'case_o');
    expect(reminderSchedule(c, ctx)).toEqual([{ key: 'agency:last-day@2026-09-24', at: '2026-09-23T16:00:00.000Z' }]);
  });

  it('80% at the start of the National Day week, moved to the start of the last working day: merged into the last-day reminder', () => {
    // After Wednesday 09-23: 24 (1), 28 (2), 29 (3), 30 (4), 10-08 (5); ceil(0.8 × 5) = 4 → 24:00 on 09-30 = 10-01 00:00, a holiday
    // → the next working day, Thursday 10-08, at 00:00: the start of the last day.
    expect(reminderSchedule(caseOf(given(...onList, objectionFiled), 'case_o'), ctx)).toEqual([{ key: 'agency:last-day@2026-10-08', at: '2026-10-07T16:00:00.000Z' }]);
  });

  it('the correction due Friday 10-09: 80% at the end of Thursday 10-08 is the start of the last day, merged', () => {
    // After Thursday 09-24: 28 (1), 29 (2), 30 (3), 10-08 (4), 10-09 (5); ceil(0.8 × 5) = 4 → 24:00 on 10-08 = 10-09 00:00, the last day's start.
    expect(reminderSchedule(caseOf(given(...onList, correctionFiled(nameFix)), 'case_c'), ctx)).toEqual([{ key: 'agency:last-day@2026-10-09', at: '2026-10-08T16:00:00.000Z' }]);
  });

  it('80% of 20 working days on a working day: extended to the cap, Wednesday 10-28', () => {
    // After 09-23: 24, 28, 29, 30 (4), 10-08, 09, Sat 10 (7), 12–16 (12), 19–23 (17), 26, 27, 28 (20); 0.8 × 20 = 16
    // → 24:00 on Thursday 10-22 = Friday 10-23 00:00, a working day, before the last day's start (10-28 00:00).
    const c = caseOf(given(...onList, objectionFiled, extendedTo(15, '2026-10-28', '2026-10-29T00:00:00.000+08:00')), 'case_o');
    expect(reminderSchedule(c, ctx)).toEqual([
      { key: 'agency:80%@2026-10-28', at: '2026-10-22T16:00:00.000Z' },
      { key: 'agency:last-day@2026-10-28', at: '2026-10-27T16:00:00.000Z' },
    ]);
  });

  it('80% ending on a Friday moves to the start of Monday, before the last day: extended to Wednesday 10-21', () => {
    // After 09-23: 24, 28, 29, 30 (4), 10-08, 09, Sat 10 (7), 12–16 (12), 19, 20, 21 (15); 0.8 × 15 = 12
    // → 24:00 on Friday 10-16 = Saturday 10-17 00:00, a day off → Monday 10-19 00:00; the last day starts 10-21 00:00.
    const c = caseOf(given(...onList, objectionFiled, extendedTo(10, '2026-10-21', '2026-10-22T00:00:00.000+08:00')), 'case_o');
    expect(reminderSchedule(c, ctx)).toEqual([
      { key: 'agency:80%@2026-10-21', at: '2026-10-18T16:00:00.000Z' },
      { key: 'agency:last-day@2026-10-21', at: '2026-10-20T16:00:00.000Z' },
    ]);
  });

  it('none while paused, nor for a decided case', () => {
    expect(reminderSchedule(caseOf(given(...onList, objectionFiled, infoRequested), 'case_o'), ctx)).toEqual([]);
    expect(reminderSchedule(caseOf(given(...onList, objectionFiled, objectionRejected), 'case_o'), ctx)).toEqual([]);
  });

  it('the review clock waits for the reminder, sends it once, then waits for the deadline', () => {
    // 09-24 10:00 → 10-08 00:00 = 13 days 14 hours.
    expect(reviewClock('case_o', given(...onList, objectionFiled), at('2026-09-24T10:00')).result).toEqual({ open: true, step: 'await-decision', level: 'agency', secondsLeft: 13 * 86_400 + 14 * 3600, action: 'wait' });
    const first = reviewClock('case_o', given(...onList, objectionFiled), at('2026-10-08T00:00'));
    expect(first).toEqual({ events: [reminded('agency:last-day@2026-10-08', '2026-10-07T16:00:00.000Z')], result: { open: true, step: 'await-decision', level: 'agency', secondsLeft: 86_400, action: 'wait' } });
    const again = reviewClock('case_o', given(...onList, objectionFiled, ...first.events), at('2026-10-08T12:00'));
    expect(again.events).toEqual([]);
  });

  it('escalates at 24:00 on 10-08 with 15 calendar days (Friday 10-23); the province gets its own reminders, once each', () => {
    const base = [...onList, objectionFiled, reminded('agency:last-day@2026-10-08', '2026-10-07T16:00:00.000Z')];
    const up = reviewClock('case_o', given(...base), at('2026-10-09T00:00'));
    // 10-09 00:00 → 10-24 00:00 = 15 days; 80% = 12 days → Wednesday 10-21 00:00.
    expect(up).toEqual({ events: [objectionEscalated], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 12 * 86_400, action: 'escalated' } });
    const escalatedState = given(...base, ...up.events);
    expect(caseOf(escalatedState, 'case_o')).toMatchObject({ status: 'escalated', level: 'province', clockStartedAt: '2026-10-08T16:00:00.000Z' });
    expect(reminderSchedule(caseOf(escalatedState, 'case_o'), { policies, calendar })).toEqual([
      { key: 'province:80%@2026-10-23', at: '2026-10-20T16:00:00.000Z' },
      { key: 'province:last-day@2026-10-23', at: '2026-10-22T16:00:00.000Z' },
    ]);
    const at80 = reviewClock('case_o', escalatedState, at('2026-10-21T00:00'));
    // 10-21 00:00 → 10-23 00:00 = 2 days.
    expect(at80).toEqual({ events: [reminded('province:80%@2026-10-23', '2026-10-20T16:00:00.000Z', 'province')], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 2 * 86_400, action: 'wait' } });
    const late = reviewClock('case_o', given(...base, ...up.events, ...at80.events), at('2026-10-23T09:00'));
    // 10-23 09:00 → 10-24 00:00 = 15 hours.
    expect(late).toEqual({ events: [reminded('province:last-day@2026-10-23', '2026-10-23T01:00:00.000Z', 'province')], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 15 * 3600, action: 'wait' } });
    expect(reviewClock('case_o', given(...base, ...up.events, ...at80.events, ...late.events), at('2026-10-23T10:00')).events).toEqual([]);
  });

  it('escalates to a provincial deadline moved off the weekend: correction due Friday 10-09 → Saturday 10-24 → Monday 10-26', () => {
    // Province from 10-10 00:00 to 10-27 00:00 = 17 days = 408 h; 80% = 326 h 24 min → Friday 10-23 14:24.
    const up = reviewClock('case_c', given(...onList, correctionFiled(nameFix)), at('2026-10-10T00:00'));
    expect(up).toEqual({
      events: [{ type: 'CaseEscalated', data: { caseId: 'case_c', at: '2026-10-09T16:00:00.000Z', deadline: '2026-10-26', deadlineAt: '2026-10-27T00:00:00.000+08:00', deadlineProvisional: false } }],
      result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 13 * 86_400 + 14 * 3600 + 24 * 60, action: 'escalated' },
    });
  });
});

describe('ReviewClock: overdue at the province', () => {
  const escalated = [...onList, objectionFiled, objectionEscalated];
  const overdue = (reminder: number, day: string, when: string): EntryEvent => ({ type: 'CaseMarkedOverdue', data: { caseId: 'case_o', at: when, reminder, day } });

  it('at 24:00 on Friday 10-23 the case is overdue, keyed to 10-23; run twice at the same time, it reminds once', () => {
    // The next reminder is at the end of the next working day, Monday 10-26: 10-27 00:00, 3 days away.
    const first = reviewClock('case_o', given(...escalated), at('2026-10-24T00:00'));
    const waitForMonday = { open: true, step: 'await-decision', level: 'province', secondsLeft: 3 * 86_400, action: 'overdue' };
    expect(first).toEqual({ events: [overdue(1, '2026-10-23', '2026-10-23T16:00:00.000Z')], result: waitForMonday });
    expect(caseOf(given(...escalated, ...first.events), 'case_o')).toMatchObject({ status: 'escalated', overdue: true, remindersSent: 1, reminders: ['province:overdue@2026-10-23'] });
    expect(reviewClock('case_o', given(...escalated, ...first.events), at('2026-10-24T00:00'))).toEqual({ events: [], result: waitForMonday });
  });

  it('no reminder is keyed to the weekend: at 24:00 on Saturday 10-24 and Sunday 10-25 nothing is sent', () => {
    const state = given(...escalated, overdue(1, '2026-10-23', '2026-10-23T16:00:00.000Z'));
    // Still waiting for the end of Monday 10-26 (10-27 00:00): 2 days, then 1.
    expect(reviewClock('case_o', state, at('2026-10-25T00:00'))).toEqual({ events: [], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 2 * 86_400, action: 'overdue' } });
    expect(reviewClock('case_o', state, at('2026-10-26T00:00'))).toEqual({ events: [], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 86_400, action: 'overdue' } });
  });

  it('at 24:00 on Monday 10-26 the second reminder, keyed to 10-26, and the next at the end of Tuesday 10-27', () => {
    const state = given(...escalated, overdue(1, '2026-10-23', '2026-10-23T16:00:00.000Z'));
    expect(reviewClock('case_o', state, at('2026-10-27T00:00'))).toEqual({ events: [overdue(2, '2026-10-26', '2026-10-26T16:00:00.000Z')], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 86_400, action: 'overdue' } });
  });

  // Suspected bug (shared/domain/review-clock.ts, tick): the key is the Shanghai date of now − 1 ms, which is the day that
  // just ended only when the timer runs at exactly 24:00. Run again later that day (the 5-minute retry when a notice could
  // not go out, a Step Functions retry, a wake-up), it keys the reminder to the day still running (10-27) and sends
  // another one at once. Expected: the last working day that has ended is 10-26, already reminded, so nothing more.
  it('run again later the same day (00:05 after a notice retry, 09:00), nothing more is sent: the day that has ended, 10-26, was reminded', () => {
    const state = given(...escalated, overdue(1, '2026-10-23', '2026-10-23T16:00:00.000Z'), overdue(2, '2026-10-26', '2026-10-26T16:00:00.000Z'));
    expect(reviewClock('case_o', state, at('2026-10-27T00:05')).events).toEqual([]);
    expect(reviewClock('case_o', state, at('2026-10-27T09:00')).events).toEqual([]);
  });

  it('an overdue provincial case is still decidable by the province', () => {
    const state = given(...escalated, overdue(1, '2026-10-23', '2026-10-23T16:00:00.000Z'));
    expect(decideCase(decision('case_o', 'rejected', 'prov_1', 'province'), state, at('2026-10-26T10:00'))).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_o', at: '2026-10-26T02:00:00.000Z', outcome: 'rejected', reasons: 'Checked against the file', by: 'prov_1', level: 'province' } },
    ]);
  });
});

describe('DecideCase: remedies', () => {
  const objectionOpen = [...onList, objectionFiled];
  const decidedAt = '2026-09-30T02:00:00.000Z';

  it('an upheld objection delists the entry (objection-upheld) and lifts the objection mark', () => {
    const events = decideCase(decision('case_o', 'upheld'), given(...objectionOpen), at('2026-09-30T10:00'));
    expect(events).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_o', at: decidedAt, outcome: 'upheld', reasons: 'Checked against the file', by: 'rev_a', level: 'agency' } },
      { type: 'EntryDelisted', data: { at: decidedAt, reason: 'objection-upheld', caseId: 'case_o' } },
    ]);
    expect(given(...objectionOpen, ...events)).toMatchObject({ status: 'delisted', delistReason: 'objection-upheld', delistedAt: decidedAt, underObjection: false, openCases: [] });
  });

  it('a rejected objection: only CaseDecided; the entry stays listed and is no longer under objection', () => {
    const events = decideCase(decision('case_o', 'rejected'), given(...objectionOpen), at('2026-09-30T10:00'));
    expect(events).toEqual([{ type: 'CaseDecided', data: { caseId: 'case_o', at: decidedAt, outcome: 'rejected', reasons: 'Checked against the file', by: 'rev_a', level: 'agency' } }]);
    expect(given(...objectionOpen, ...events)).toMatchObject({ status: 'listed', underObjection: false, openCases: [] });
  });

  it('an upheld name correction corrects the entry, keeping the old value in the event', () => {
    const open = [...onList, correctionFiled(nameFix)];
    const events = decideCase(decision('case_c', 'upheld'), given(...open), at('2026-09-30T10:00'));
    expect(events).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_c', at: decidedAt, outcome: 'upheld', reasons: 'Checked against the file', by: 'rev_a', level: 'agency', correction: nameFix } },
      { type: 'EntryCorrected', data: { caseId: 'case_c', at: decidedAt, field: 'subject.name', from: '上海某某贸易有限公司', to: '上海某某商贸有限公司' } },
    ]);
    const state = given(...open, ...events);
    expect(state).toMatchObject({ status: 'listed', underObjection: false, subject: { ...company, name: '上海某某商贸有限公司' } });
    expect(caseOf(state, 'case_c').decision).toMatchObject({ outcome: 'upheld', correction: nameFix });
  });

  it('partners hear of a correction on a published list, and of none on an unpublished one', () => {
    const open = [...onList, correctionFiled(nameFix)];
    const events = decideCase(decision('case_c', 'upheld'), given(...open), at('2026-09-30T10:00'));
    // The proposal, listing and filing are seq 1–3; the decision and the correction 4 and 5.
    const trail = chainEvents('ent_sd', { seq: 3, hash: GENESIS_HASH }, events, { role: 'reviewer', id: 'rev_a' }, decidedAt);
    expect(partnerEventsOf(given(...open, ...events), trail)).toEqual([
      { eventId: 'ent_sd:5', type: 'entry.corrected', entryId: 'ent_sd', subjectId: company.id, listType: 'serious-dishonesty', at: decidedAt },
    ]);

    const minorOpen = [minorProposal, minorListed, correctionFiled(nameFix, { entryId: 'ent_pm', agencyId: '310000-pudong-samr' })];
    const minorEvents = decideCase(decision('case_c', 'upheld'), given(...minorOpen), at('2026-09-30T10:00'));
    expect(minorEvents.map((e) => e.type)).toEqual(['CaseDecided', 'EntryCorrected']);
    const minorTrail = chainEvents('ent_pm', { seq: 3, hash: GENESIS_HASH }, minorEvents, { role: 'reviewer', id: 'rev_a' }, decidedAt);
    expect(partnerEventsOf(given(...minorOpen, ...minorEvents), minorTrail)).toEqual([]);
  });

  it('an upheld correction of the credit code takes the entry off (corrected-out), not onto someone never notified', () => {
    const idFix: Correction = { field: 'subject.id', value: otherCode };
    const open = [...onList, correctionFiled(idFix)];
    const events = decideCase(decision('case_c', 'upheld'), given(...open), at('2026-09-30T10:00'));
    expect(events).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_c', at: decidedAt, outcome: 'upheld', reasons: 'Checked against the file', by: 'rev_a', level: 'agency', correction: idFix } },
      { type: 'EntryDelisted', data: { at: decidedAt, reason: 'corrected-out', caseId: 'case_c' } },
    ]);
    expect(given(...open, ...events)).toMatchObject({ status: 'delisted', delistReason: 'corrected-out', subject: { id: company.id } });
  });

  it('a corrected decision date moves the expiry and the earliest repair date', () => {
    // 2025-03-20 + 3 years = Monday 2028-03-20 (provisional year, no holiday then). + 1 year = Friday 2026-03-20, repair from the day after.
    const dateFix: Correction = { field: 'decisionDate', value: '2025-03-20' };
    const open = [...onList, correctionFiled(dateFix)];
    const events = decideCase(decision('case_c', 'upheld'), given(...open), at('2026-09-30T10:00'));
    expect(events[1]).toEqual({ type: 'EntryCorrected', data: { caseId: 'case_c', at: decidedAt, field: 'decisionDate', from: '2025-02-20', to: '2025-03-20', expiresAt: '2028-03-21T00:00:00.000+08:00', earliestRepairDate: '2026-03-21' } });
    expect(events).toHaveLength(2);
    expect(given(...open, ...events)).toMatchObject({ status: 'listed', decisionDate: '2025-03-20', expiresAt: '2028-03-21T00:00:00.000+08:00', earliestRepairDate: '2026-03-21' });
  });

  it('a corrected decision date whose 3 years have already run delists the entry (expired)', () => {
    // 2023-09-01 + 3 years = Tuesday 2026-09-01, before today (09-30). + 1 year = Sunday 2024-09-01 → Monday 09-02, repair from 09-03.
    const dateFix: Correction = { field: 'decisionDate', value: '2023-09-01' };
    const open = [...onList, correctionFiled(dateFix)];
    const events = decideCase(decision('case_c', 'upheld'), given(...open), at('2026-09-30T10:00'));
    expect(events.slice(1)).toEqual([
      { type: 'EntryCorrected', data: { caseId: 'case_c', at: decidedAt, field: 'decisionDate', from: '2025-02-20', to: '2023-09-01', expiresAt: '2026-09-02T00:00:00.000+08:00', earliestRepairDate: '2024-09-03' } },
      { type: 'EntryDelisted', data: { at: decidedAt, reason: 'expired', caseId: 'case_c' } },
    ]);
    expect(given(...open, ...events)).toMatchObject({ status: 'delisted', delistReason: 'expired', decisionDate: '2023-09-01' });
  });

  it('a partly upheld objection states its correction, and corrects with it', () => {
    const error = refusal(() => decideCase(decision('case_o', 'partially-upheld'), given(...objectionOpen), at('2026-09-30T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'correction', message: 'a partly upheld objection or correction states the field it corrects and the value' }]);
    const facts: Correction = { field: 'facts', value: 'Sold counterfeit goods after one warning' };
    const events = decideCase(decision('case_o', 'partially-upheld', 'rev_a', 'agency', facts), given(...objectionOpen), at('2026-09-30T10:00'));
    expect(events[1]).toEqual({ type: 'EntryCorrected', data: { caseId: 'case_o', at: decidedAt, field: 'facts', from: 'Sold counterfeit goods after two warnings', to: facts.value } });
  });

  it('an upheld objection or representation carries no correction: refused, naming correction', () => {
    const error = refusal(() => decideCase(decision('case_o', 'upheld', 'rev_a', 'agency', nameFix), given(...objectionOpen), at('2026-09-30T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'correction', message: 'an upheld objection takes the entry off the list; a correction goes with a correction request, or with a partly upheld case' }]);
    // Representation filed Thursday 02-12 15:00 on the proposed entry: 13, Sat 14, [Spring Festival], 24, 25, 26.
    const representation = caseFiled({ caseId: 'case_r', kind: 'representation', filedAt: '2026-02-12T07:00:00.000Z', clockStartedAt: '2026-02-12T07:00:00.000Z', deadline: '2026-02-26', deadlineAt: '2026-02-27T00:00:00.000+08:00', capDate: undefined });
    const onRepresentation = refusal(() => decideCase(decision('case_r', 'upheld', 'rev_a', 'agency', nameFix), given(proposal(), representation), at('2026-02-13T10:00')));
    expect(onRepresentation.code).toBe('VALIDATION_FAILED');
    expect(onRepresentation.details.errors).toEqual([{ path: 'correction', message: 'an upheld representation takes the entry off the list; a correction goes with a correction request, or with a partly upheld case' }]);
  });

  it('an upheld correction may carry the correction it makes', () => {
    const open = [...onList, correctionFiled(nameFix)];
    const events = decideCase(decision('case_c', 'upheld', 'rev_a', 'agency', nameFix), given(...open), at('2026-09-30T10:00'));
    expect(events.map((e) => e.type)).toEqual(['CaseDecided', 'EntryCorrected']);
  });

  it('a rejection with a correction is refused, naming correction', () => {
    const error = refusal(() => decideCase(decision('case_o', 'rejected', 'rev_a', 'agency', nameFix), given(...objectionOpen), at('2026-09-30T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'correction', message: 'a rejection corrects nothing' }]);
  });

  it('exactly one decision: a second is refused', () => {
    const error = refusal(() => decideCase(decision('case_o', 'upheld'), given(...objectionOpen, objectionRejected), at('2026-09-30T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ status: 'decided' });
  });

  it("a claim that lapsed at 24:00 on 09-28 does not hold back another reviewer's decision; a live one does", () => {
    const held = given(...objectionOpen, claimed('rev_a'));
    expect(refusal(() => decideCase(decision('case_o', 'rejected', 'rev_b'), held, at('2026-09-28T23:59'))).code).toBe('INVALID_STATE');
    expect(decideCase(decision('case_o', 'rejected', 'rev_b'), held, at('2026-09-29T00:00'))).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_o', at: '2026-09-28T16:00:00.000Z', outcome: 'rejected', reasons: 'Checked against the file', by: 'rev_b', level: 'agency' } },
    ]);
  });
});

describe('FileCase: appeal', () => {
  const rejected = [...onList, objectionFiled, objectionRejected];
  /**
   * Appeal filed Saturday 09-26 10:00 (Mid-Autumn), against the rejection of 09-24:
   * 15 calendar days end on Sunday 10-11 (not a make-up day) → Monday 10-12.
   */
  const appealFiled = caseFiled({ caseId: 'case_a', kind: 'appeal', level: 'province', grounds: 'The agency ignored the annulment', appealOf: 'case_o', filedAt: '2026-09-26T02:00:00.000Z', clockStartedAt: '2026-09-26T02:00:00.000Z', deadline: '2026-10-12', deadlineAt: '2026-10-13T00:00:00.000+08:00', capDate: undefined, requestHash: 'hash-a' });
  const { capDate: _noCap, ...appealData } = appealFiled.data;

  it('remediesAfter the agency rejection of Thursday 09-24: appeal to 10-08, reconsideration to 11-23, litigation to 2027-03-24', () => {
    // Appeal, 10 calendar days: Sunday 10-04, in the National Day week → Thursday 10-08.
    // Reconsideration, 60 calendar days: 6 to 09-30, 31 to 10-31 (37), 23 to 11-23 (60), a Monday.
    // Litigation, 6 months: 2027-03-24, a Wednesday.
    expect(remediesAfter(caseOf(given(...rejected), 'case_o'), { policies, calendar })).toEqual({ appealClosesOn: '2026-10-08', reconsiderationClosesOn: '2026-11-23', litigationClosesOn: '2027-03-24' });
  });

  it('remediesAfter an undecided case: none', () => {
    expect(remediesAfter(caseOf(given(...onList, objectionFiled), 'case_o'), { policies, calendar })).toBeUndefined();
  });

  it('files an appeal at the province with 15 calendar days, moved to a working day; the listing stays in force', () => {
    const events = fileCase(appeal(), given(...rejected), at('2026-09-26T10:00'));
    expect(events).toEqual([{ type: 'CaseFiled', data: appealData }]);
    const state = given(...rejected, ...events);
    expect(state).toMatchObject({ status: 'listed', underObjection: false, openCases: ['case_a'] });
    expect(caseOf(state, 'case_a')).toMatchObject({ status: 'open', level: 'province', appealOf: 'case_o' });
  });

  it('accepts an appeal until 24:00 on 10-08, and refuses it from then with the date it closed', () => {
    // Filed Thursday 10-08: 15 calendar days end on Friday 10-23.
    expect(fileCase(appeal(), given(...rejected), at('2026-10-08T23:59:59'))[0]!.data).toMatchObject({ deadline: '2026-10-23', level: 'province' });
    const error = refusal(() => fileCase(appeal(), given(...rejected), at('2026-10-09T00:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ closedOn: '2026-10-08', closedAt: '2026-10-09T00:00:00.000+08:00' });
  });

  it('a case is appealed once', () => {
    const error = refusal(() => fileCase(appeal({ caseId: 'case_a2', requestHash: 'hash-a2' }), given(...rejected, { type: 'CaseFiled', data: appealData }), at('2026-09-28T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ caseId: 'case_a' });
  });

  it("a province's decision is not appealed here: remediesAfter gives no appeal, only reconsideration and litigation", () => {
    const provincial = [...onList, objectionFiled, objectionEscalated, decided('case_o', 'rejected', '2026-10-12T02:00:00.000Z', 'prov_1', 'province')];
    const error = refusal(() => fileCase(appeal(), given(...provincial), at('2026-10-13T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ appealOf: 'case_o' });
    // Decided Monday 10-12. 60 calendar days: 19 to 10-31, 30 to 11-30 (49), 11 to 12-11 (60), a Friday. 6 months: 2027-04-12, a Monday.
    expect(remediesAfter(caseOf(given(...provincial), 'case_o'), { policies, calendar })).toEqual({ reconsiderationClosesOn: '2026-12-11', litigationClosesOn: '2027-04-12' });
  });

  it('an appeal decision is not appealed again, and has no appeal window', () => {
    const appealDecided = [...rejected, { type: 'CaseFiled', data: appealData } as EntryEvent, decided('case_a', 'rejected', '2026-10-09T02:00:00.000Z', 'prov_1', 'province')];
    expect(refusal(() => fileCase(appeal({ caseId: 'case_a2', appealOf: 'case_a', requestHash: 'hash-a2' }), given(...appealDecided), at('2026-10-10T10:00'))).code).toBe('RULE_REFUSED');
    // Decided Friday 10-09. 60 calendar days: 22 to 10-31, 30 to 11-30 (52), 8 to 12-08 (60), a Tuesday. 6 months: 2027-04-09, a Friday.
    expect(remediesAfter(caseOf(given(...appealDecided), 'case_a'), { policies, calendar })).toEqual({ reconsiderationClosesOn: '2026-12-08', litigationClosesOn: '2027-04-09' });
  });

  it.each([
    ["another subject's case", appeal({ subjectId: '91350100M000100Y43' }), 'no case case_o of yours on this entry'],
    ['an unknown case', appeal({ appealOf: 'case_x' }), 'no case case_x of yours on this entry'],
    ['no case at all', appeal({ appealOf: undefined }), 'an appeal names the decided case it appeals'],
  ])('an appeal of %s is refused, naming appealOf', (_label, cmd, message) => {
    const error = refusal(() => fileCase(cmd, given(...rejected), at('2026-09-26T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'appealOf', message }]);
  });

  it('an undecided case is not appealed yet', () => {
    expect(refusal(() => fileCase(appeal(), given(...onList, objectionFiled), at('2026-09-26T10:00'))).code).toBe('INVALID_STATE');
  });

  it("upheld by the province, the appeal gives the appealed objection's remedy; the agency cannot decide it", () => {
    const open = [...rejected, { type: 'CaseFiled', data: appealData } as EntryEvent];
    expect(refusal(() => decideCase(decision('case_a', 'upheld'), given(...open), at('2026-10-09T10:00'))).code).toBe('INVALID_STATE');
    const events = decideCase(decision('case_a', 'upheld', 'prov_1', 'province'), given(...open), at('2026-10-09T10:00'));
    expect(events).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_a', at: '2026-10-09T02:00:00.000Z', outcome: 'upheld', reasons: 'Checked against the file', by: 'prov_1', level: 'province' } },
      { type: 'EntryDelisted', data: { at: '2026-10-09T02:00:00.000Z', reason: 'objection-upheld', caseId: 'case_a' } },
    ]);
    expect(given(...open, ...events)).toMatchObject({ status: 'delisted', delistReason: 'objection-upheld', underObjection: false, openCases: [] });
  });
});

describe('WithdrawCase', () => {
  const open = [...onList, objectionFiled];
  const withdrawn: EntryEvent = { type: 'CaseWithdrawn', data: { caseId: 'case_o', at: '2026-09-25T02:00:00.000Z', by: company.id } };

  it('withdraws the objection and lifts the objection mark; the trail keeps both', () => {
    const events = withdrawCase({ caseId: 'case_o', by: company.id }, given(...open), at('2026-09-25T10:00'));
    expect(events).toEqual([withdrawn]);
    const state = given(...open, ...events);
    expect(state).toMatchObject({ status: 'listed', underObjection: false, openCases: [] });
    expect(caseOf(state, 'case_o')).toMatchObject({ status: 'withdrawn', withdrawnAt: '2026-09-25T02:00:00.000Z' });
    expect(caseOf(state, 'case_o').timeline.map((t) => t.type)).toEqual(['filed', 'withdrawn']);
  });

  it('withdrawing again changes nothing', () => {
    expect(withdrawCase({ caseId: 'case_o', by: company.id }, given(...open, withdrawn), at('2026-09-26T10:00'))).toEqual([]);
  });

  it('a decided case cannot be withdrawn', () => {
    const error = refusal(() => withdrawCase({ caseId: 'case_o', by: company.id }, given(...open, objectionRejected), at('2026-09-25T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ status: 'decided' });
  });
});

describe('ReleaseCase', () => {
  const held = [...onList, objectionFiled, claimed('rev_a')];

  it('the claim the holder gets: 1 working day after Thursday 09-24 is Monday 09-28', () => {
    expect(claimCase({ caseId: 'case_o', by: 'rev_a' }, given(...onList, objectionFiled), at('2026-09-24T09:00'))).toEqual([claimed('rev_a')]);
  });

  it('the holder releases the case: CaseReleased, back to open', () => {
    const events = releaseCase({ caseId: 'case_o', by: 'rev_a' }, given(...held), at('2026-09-24T15:00'));
    expect(events).toEqual([{ type: 'CaseReleased', data: { caseId: 'case_o', by: 'rev_a', at: '2026-09-24T07:00:00.000Z' } }]);
    expect(caseOf(given(...held), 'case_o').status).toBe('in-review');
    const c = caseOf(given(...held, ...events), 'case_o');
    expect(c.status).toBe('open');
    expect(c.assignedTo).toBeUndefined();
  });

  it('another reviewer cannot release a case held by someone else', () => {
    const error = refusal(() => releaseCase({ caseId: 'case_o', by: 'rev_b' }, given(...held), at('2026-09-24T15:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ assignedTo: 'rev_a', claimUntil: '2026-09-29T00:00:00.000+08:00' });
  });

  it('releasing a case that awaits the subject keeps it awaiting', () => {
    const events = releaseCase({ caseId: 'case_o', by: 'rev_a' }, given(...held, infoRequested), at('2026-09-28T15:00'));
    expect(caseOf(given(...held, infoRequested, ...events), 'case_o').status).toBe('awaiting-info');
  });
});

describe('caseAsOf: a case as it reads now', () => {
  const held = [...onList, objectionFiled, claimed('rev_a')];

  it('a claim that lapsed at 24:00 on 09-28 holds nobody: no assignedTo or claimUntil, back to open', () => {
    expect(caseAsOf(caseOf(given(...held), 'case_o'), at('2026-09-28T23:59'))).toMatchObject({ status: 'in-review', assignedTo: 'rev_a', claimUntil: '2026-09-29T00:00:00.000+08:00' });
    const lapsed = caseAsOf(caseOf(given(...held), 'case_o'), at('2026-09-29T00:00'));
    expect(lapsed.status).toBe('open');
    expect(lapsed).not.toHaveProperty('assignedTo');
    expect(lapsed).not.toHaveProperty('claimUntil');
  });

  it('a lapsed claim leaves an escalated case escalated, and an awaiting one awaiting', () => {
    // The province claims on Friday 10-09 09:00: 1 working day after it is the make-up Saturday 10-10, so until 24:00 on 10-10.
    const provinceClaim: EntryEvent = { type: 'CaseClaimed', data: { caseId: 'case_o', by: 'prov_1', at: '2026-10-09T01:00:00.000Z', until: '2026-10-11T00:00:00.000+08:00' } };
    const escalated = caseAsOf(caseOf(given(...onList, objectionFiled, objectionEscalated, provinceClaim), 'case_o'), at('2026-10-12T10:00'));
    expect(escalated.status).toBe('escalated');
    expect(escalated).not.toHaveProperty('assignedTo');
    const awaiting = caseAsOf(caseOf(given(...held, infoRequested), 'case_o'), at('2026-09-29T10:00'));
    expect(awaiting.status).toBe('awaiting-info');
    expect(awaiting).not.toHaveProperty('assignedTo');
  });

  it('a pause whose answer time ran out (24:00 on 10-16) reads as resumed, to 10-21, though the trail does not show it yet', () => {
    const stored = caseOf(given(...held, infoRequested), 'case_o');
    // Resumed counting from 10-16: 19, 20, 21; the claim of 09-24 lapsed long ago, so the case is open.
    const now = caseAsOf(stored, at('2026-10-19T10:00'));
    expect(now).toMatchObject({ status: 'open', deadline: '2026-10-21', deadlineAt: '2026-10-22T00:00:00.000+08:00', capDate: '2026-11-11', infoRequest: { resumedAt: '2026-10-16T16:00:00.000Z', resumedBy: 'no-answer' } });
    expect(isPaused(now)).toBe(false);
    expect(now).not.toHaveProperty('assignedTo');
    // Reading changes nothing stored.
    expect(stored).toMatchObject({ status: 'awaiting-info', deadline: '2026-10-08', assignedTo: 'rev_a' });
    // Before 24:00 on 10-16 it still waits.
    expect(caseAsOf(stored, at('2026-10-16T23:59')).status).toBe('awaiting-info');
  });
});

describe('evolve: the objection mark through a dispute', () => {
  it('under objection while the objection is open (also while paused and escalated), not after', () => {
    const resumed: EntryEvent = { type: 'CaseResumed', data: { caseId: 'case_o', at: '2026-10-12T02:00:00.000Z', by: 'supplement', deadline: '2026-10-15', deadlineAt: '2026-10-16T00:00:00.000+08:00', deadlineProvisional: false, clockStartedAt: '2026-10-07T02:00:00.000Z', capDate: '2026-11-05' } };
    // The resumed deadline 10-15 ran out: 15 calendar days from it end on Friday 10-30.
    const escalated: EntryEvent = { type: 'CaseEscalated', data: { caseId: 'case_o', at: '2026-10-15T16:00:00.000Z', deadline: '2026-10-30', deadlineAt: '2026-10-31T00:00:00.000+08:00', deadlineProvisional: false } };
    const steps: EntryEvent[] = [...onList, objectionFiled, claimed('rev_a'), infoRequested, resumed, escalated, decided('case_o', 'rejected', '2026-10-20T02:00:00.000Z', 'prov_1', 'province')];
    const seen = steps.slice(2).map((_, i) => given(...steps.slice(0, i + 3))).map((s) => ({ status: s.cases[0]!.status, underObjection: s.underObjection }));
    expect(seen).toEqual([
      { status: 'open', underObjection: true },
      { status: 'in-review', underObjection: true },
      { status: 'awaiting-info', underObjection: true },
      { status: 'in-review', underObjection: true },
      { status: 'escalated', underObjection: true },
      { status: 'decided', underObjection: false },
    ]);
  });
});
