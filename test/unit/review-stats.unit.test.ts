import { describe, expect, it } from 'vitest';
import { decideCase, evolve, fileCase, requestInfo, revokeListing, reviewClock, withdrawCase, type EntryEvent, type EntryListed, type EntryState, type FileCase, type ReviewLevel } from '../../shared/domain/entry.js';
import { agencySettlement, backlogByWeek, escalationsByMonth, finishedAt, median, onTimeByAgency, reviewStats, reviewStatsWindow, timeToDecisionByAgency, weekStartOf } from '../../shared/domain/review-stats.js';
import { at, calendar, caseOf, company, given, proposal } from '../support/domain.js';

// The dashboard's figures for objections at the Shanghai market regulator (SAMR) and the Pudong
// one, under cn-2026 (objection review 5 working days, provincial review 15 calendar days, appeal
// window 10 calendar days, 10 working days to answer a request for material), seen on Thursday
// 2026-10-15 at 10:00. Every figure is worked out by hand from the official 2026 calendar
// (shared/calendar/official-years.ts), never with the code under test:
//   September 2026: Fri 18, make-up Sun 20, Mon 21 … Thu 24, Mid-Autumn Fri 25–Sun 27, Mon 28, Tue 29, Wed 30;
//   October 2026:   National Day Thu 1–Wed 7, Thu 8, Fri 9, make-up Sat 10, Sun 11 off, Mon 12 … Fri 16, Mon 19 …
// The filing day is never counted (POLICY.md, counting a period). Weeks start on Monday.

const SAMR = '310000-samr';
const PUDONG = '310000-pudong-samr';
const COURT = '310000-court-1st-intermediate';
const NOW = at('2026-10-15T10:00').now;

const listed: EntryListed = { type: 'EntryListed', data: { listedAt: '2025-03-04T16:00:00.000Z', expiresAt: '2028-02-22T00:00:00.000+08:00', earliestRepairDate: '2026-02-25', expiryProvisional: true } };
const entry = (entryId: string, agencyId = SAMR) => given(proposal({ entryId, agencyId }), listed);
const then = (state: EntryState, events: readonly EntryEvent[]) => events.reduce<EntryState>((s, e) => evolve(s, e), state);

const file = (s: EntryState, caseId: string, when: string, over: Partial<FileCase> = {}) =>
  then(s, fileCase({ caseId, kind: 'objection', subjectId: company.id, grounds: 'The decision was annulled', evidence: [], requestHash: caseId, ...over }, s, at(when)));
const decide = (s: EntryState, caseId: string, when: string, level: ReviewLevel = 'agency') =>
  then(s, decideCase({ caseId, outcome: 'rejected', reasons: 'Checked against the file', by: level === 'agency' ? 'rev_samr' : 'rev_sh', level }, s, at(when)));
/** The review timer at `when`: escalates a case whose agency deadline has passed. */
const tick = (s: EntryState, caseId: string, when: string) => then(s, reviewClock(caseId, s, at(when)).events);
const withdraw = (s: EntryState, caseId: string, when: string) => then(s, withdrawCase({ caseId, by: company.id }, s, at(when)));
const ask = (s: EntryState, caseId: string, when: string) => then(s, requestInfo({ caseId, by: 'rev_samr', level: 'agency', questions: ['The annulment decision itself'] }, s, at(when)));

// A: filed Mon 09-21; deadline 22, 23, 24, (Mid-Autumn), 28, 29 → 09-29; decided 09-29 15:00: on time, 5 working days.
const eA = decide(file(entry('ent_a'), 'A', '2026-09-21T10:00'), 'A', '2026-09-29T15:00');
// J: the subject appeals A on Fri 10-09 (within 10 calendar days of 09-29); 15 calendar days → Sat 10-24 → Mon 10-26. Open at the province.
const eJ = file(eA, 'J', '2026-10-09T10:00', { kind: 'appeal', appealOf: 'A' });
// B: filed Wed 09-23; deadline 24, 28, 29, 30, (National Day), 10-08 → 10-08; escalated at 24:00 (10-09, an October escalation);
// decided by the province Wed 10-14: 24, 28, 29, 30, 10-08, 09, make-up Sat 10, 12, 13, 14 = 10 working days
// (a Monday-to-Friday count would make it 15).
const eBOpen = tick(file(entry('ent_b'), 'B', '2026-09-23T10:00'), 'B', '2026-10-09T00:00:01');
const eB = decide(eBOpen, 'B', '2026-10-14T10:00', 'province');
// C: filed Fri 09-18; deadline make-up Sun 20, 21, 22, 23, 24 → 09-24; escalated at 24:00 (09-25, a September escalation);
// the province's 15 calendar days end Fri 10-09: overdue on 10-15.
const eC = tick(file(entry('ent_c'), 'C', '2026-09-18T10:00'), 'C', '2026-09-25T00:00:01');
// D and D2: filed Thu 10-15; deadline 16, 19, 20, 21, 22 → Thu 10-22, the week of Mon 10-19.
const eD = file(entry('ent_d'), 'D', '2026-10-15T09:00');
const eD2 = file(entry('ent_d2'), 'D2', '2026-10-15T09:30');
// E: filed Fri 10-09; deadline make-up Sat 10, 12, 13, 14, 15 → today, 24:00: not overdue yet, the week of Mon 10-12.
const eE = file(entry('ent_e'), 'E', '2026-10-09T10:00');
// F: filed Mon 10-12, material asked for Tue 10-13 (answer due 10-27): paused on 10-15.
const eF = ask(file(entry('ent_f'), 'F', '2026-10-12T10:00'), 'F', '2026-10-13T10:00');
// G: withdrawn the day after filing: measures no one.
const eG = withdraw(file(entry('ent_g'), 'G', '2026-09-21T10:00'), 'G', '2026-09-22T10:00');
// H (Pudong): filed Mon 09-28; deadline 29, 30, 10-08, 09, make-up Sat 10 → 10-10; decided Fri 10-09: on time, 4 working days.
const eH = decide(file(entry('ent_h', PUDONG), 'H', '2026-09-28T10:00'), 'H', '2026-10-09T10:00');
// I: a year earlier: filed Mon 2025-10-13, deadline 14, 15, 16, 17, 20 → 2025-10-20, escalated 10-21, decided by the province 10-30:
// before the window (which starts on 2025-11-01), so in no figure.
const eI = decide(tick(file(entry('ent_i'), 'I', '2025-10-13T10:00'), 'I', '2025-10-21T00:00:01'), 'I', '2025-10-30T10:00', 'province');

const cases = [caseOf(eJ, 'A'), caseOf(eJ, 'J'), caseOf(eB, 'B'), caseOf(eC, 'C'), caseOf(eD, 'D'), caseOf(eD2, 'D2'), caseOf(eE, 'E'), caseOf(eF, 'F'), caseOf(eG, 'G'), caseOf(eH, 'H'), caseOf(eI, 'I')];

describe('review statistics', () => {
  it('builds the cases as the comments say (the fixtures themselves)', () => {
    expect(caseOf(eA, 'A')).toMatchObject({ deadline: '2026-09-29', status: 'decided' });
    expect(caseOf(eJ, 'J')).toMatchObject({ level: 'province', deadline: '2026-10-26', status: 'open' });
    expect(caseOf(eBOpen, 'B')).toMatchObject({ status: 'escalated', escalatedAt: '2026-10-08T16:00:01.000Z', deadline: '2026-10-23' });
    expect(caseOf(eC, 'C')).toMatchObject({ status: 'escalated', escalatedAt: '2026-09-24T16:00:01.000Z', deadline: '2026-10-09' });
    expect([caseOf(eD, 'D').deadline, caseOf(eE, 'E').deadline, caseOf(eH, 'H').deadline, caseOf(eI, 'I').status]).toEqual(['2026-10-22', '2026-10-15', '2026-10-10', 'decided']);
  });

  it('looks back over the current month and the eleven before it, from 00:00 Shanghai on the first day', () => {
    const window = reviewStatsWindow(NOW);
    expect(window).toMatchObject({ from: '2025-11-01', to: '2026-10-15', fromAt: '2025-10-31T16:00:00.000Z' });
    expect(window.months).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    // In the first hours of a month (Shanghai time, still the previous month in UTC) the new month is already counted.
    expect(reviewStatsWindow(new Date('2026-11-01T00:30:00+08:00')).months.at(-1)).toBe('2026-11');
  });

  it('counts the backlog by deadline week, with overdue and paused cases in bars of their own', () => {
    expect(backlogByWeek(cases, calendar, NOW)).toEqual({
      total: 6, // C, D, D2, E, F, J
      overdue: 1, // C, at the province since 10-09 24:00
      paused: 1, // F
      weeks: [
        { weekStart: '2026-10-12', open: 1 }, // E, due today
        { weekStart: '2026-10-19', open: 2 }, // D, D2
        { weekStart: '2026-10-26', open: 1 }, // J, the appeal
      ],
    });
  });

  it('keeps the weeks in between when none of their days is a deadline (the National Day week)', () => {
    // Filed Tue 09-29: 30, 10-08, 09, make-up Sat 10, Mon 12 → 10-12; seen the same day.
    const s = file(entry('ent_x'), 'X', '2026-09-29T09:00');
    expect(backlogByWeek([caseOf(s, 'X')], calendar, at('2026-09-29T10:00').now).weeks).toEqual([
      { weekStart: '2026-09-28', open: 0 },
      { weekStart: '2026-10-05', open: 0 },
      { weekStart: '2026-10-12', open: 1 },
    ]);
    expect(weekStartOf('2026-10-10')).toBe('2026-10-05');
    expect(weekStartOf('2026-10-11')).toBe('2026-10-05');
    expect(weekStartOf('2026-10-12')).toBe('2026-10-12');
  });

  it('rates each agency on the cases it settled in the window: decided within its deadline, or escalated (late)', () => {
    expect(onTimeByAgency(cases, [SAMR, PUDONG, COURT], NOW)).toEqual([
      // A on time; B and C escalated. Not G (withdrawn), J (an appeal), D, D2, E, F (still with the agency), I (before the window).
      { agencyId: SAMR, onTime: 1, late: 2, rate: 1 / 3 },
      { agencyId: PUDONG, onTime: 1, late: 0, rate: 1 },
      { agencyId: COURT, onTime: 0, late: 0, rate: null },
    ]);
  });

  it('counts a decision made while the clock stood still as on time, even after the deadline it had stopped at', () => {
    // Filed Mon 10-12, deadline 13, 14, 15, 16, 19 → 10-19; material asked for 10-13 (answer due 10-27); upheld on Wed 10-21.
    const asked = ask(file(entry('ent_p'), 'P', '2026-10-12T10:00'), 'P', '2026-10-13T10:00');
    const upheld = then(asked, decideCase({ caseId: 'P', outcome: 'upheld', reasons: 'Annulled', by: 'rev_samr', level: 'agency' }, asked, at('2026-10-21T10:00')));
    const p = caseOf(upheld, 'P');
    expect(p.deadline).toBe('2026-10-19');
    expect(agencySettlement(p)).toEqual({ at: '2026-10-21T02:00:00.000Z', onTime: true });
    expect(agencySettlement(caseOf(eG, 'G'))).toBeUndefined();
    expect(agencySettlement(caseOf(eJ, 'J'))).toBeUndefined();
  });

  it('takes the median working days from filing to decision per agency, across the holidays and make-up days', () => {
    expect(timeToDecisionByAgency(cases, [SAMR, PUDONG, COURT], calendar, NOW)).toEqual([
      { agencyId: SAMR, decided: 2, medianWorkingDays: 7.5 }, // A 5, B 10
      { agencyId: PUDONG, decided: 1, medianWorkingDays: 4 }, // H
      { agencyId: COURT, decided: 0, medianWorkingDays: null },
    ]);
    expect([median([]), median([3, 1, 2]), median([5, 10]), median([4, 1, 9, 2])]).toEqual([null, 2, 7.5, 3]);
  });

  it('counts escalations by the Shanghai month they happened in, the last twelve months only', () => {
    const months = escalationsByMonth(cases, NOW);
    expect(months).toHaveLength(12);
    expect(months.filter((m) => m.escalated > 0)).toEqual([
      { month: '2026-09', escalated: 1 }, // C, at 00:00:01 on 09-25 Shanghai (still 09-24 in UTC)
      { month: '2026-10', escalated: 1 }, // B; I (2025-10) is before the window
    ]);
  });

  it('puts the four series together for the agencies in scope only, each case once', () => {
    // B read twice: open in the provincial queue, then decided in the finished index.
    const stats = reviewStats({ agencyIds: [SAMR], cases: [caseOf(eBOpen, 'B'), ...cases] }, calendar, NOW);
    expect(stats.asOf).toBe('2026-10-15T02:00:00.000Z');
    expect(stats.window).toEqual({ from: '2025-11-01', to: '2026-10-15' });
    expect(stats.backlog.total).toBe(6);
    expect(stats.onTime).toEqual([{ agencyId: SAMR, onTime: 1, late: 2, rate: 1 / 3 }]);
    expect(stats.timeToDecision).toEqual([{ agencyId: SAMR, decided: 2, medianWorkingDays: 7.5 }]);
    expect(stats.escalations.reduce((n, m) => n + m.escalated, 0)).toBe(2);

    // Pudong alone: H only; nothing open, so one empty week.
    const pudong = reviewStats({ agencyIds: [PUDONG], cases }, calendar, NOW);
    expect(pudong.backlog).toEqual({ total: 0, overdue: 0, paused: 0, weeks: [{ weekStart: '2026-10-12', open: 0 }] });
    expect(pudong.onTime).toEqual([{ agencyId: PUDONG, onTime: 1, late: 0, rate: 1 }]);
    expect(pudong.escalations.every((m) => m.escalated === 0)).toBe(true);
  });

  it('knows when a case finished: decided, withdrawn, or closed with its entry', () => {
    expect(finishedAt(caseOf(eA, 'A'))).toBe('2026-09-29T07:00:00.000Z');
    expect(finishedAt(caseOf(eG, 'G'))).toBe('2026-09-22T02:00:00.000Z');
    expect(finishedAt(caseOf(eD, 'D'))).toBeUndefined();
    const open = file(entry('ent_r'), 'R', '2026-10-12T10:00');
    const revoked = then(open, revokeListing({ revokedBy: '(2026)沪0115行初1号', note: 'Annulled by the court', by: 'officer' }, open, at('2026-10-13T11:00')));
    expect(caseOf(revoked, 'R').status).toBe('closed');
    expect(finishedAt(caseOf(revoked, 'R'))).toBe('2026-10-13T03:00:00.000Z');
  });
});
