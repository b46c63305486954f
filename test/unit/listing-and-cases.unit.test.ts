import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal.js';
import {
  claimCase,
  decideCase,
  delistAtExpiry,
  evolve,
  extendListing,
  fileCase,
  listEntry,
  listingOutcome,
  proposeListing,
  recordNotice,
  reviewClock,
  workingDaysLeft,
  type CaseFiled,
  type EntryEvent,
  type EntryListed,
  type FileCase,
  type ListingProposed,
  type ProposalData,
  type ProposeListing,
} from '../../shared/domain/entry.js';
import { calendar, at, given, company, proposal } from '../support/domain.js';

// Every expected date below is worked out by hand from the official calendar
// (shared/calendar/official-years.ts: 2026 Spring Festival 02-15..02-23 with make-up
// Saturdays 02-14 and 02-28; Mid-Autumn 09-25; National Day 10-01..10-07 with make-up
// Sunday 09-20 and Saturday 10-10), never computed with the code under test.







/**
 * Judgment defaulter, decision of Wednesday 2024-02-21, notice served Thursday 2024-02-22 10:00.
 * Window: 02-23, 26, 27, 28, 29, 03-01, 04, 05, 06, 07.
 */
const defaulterProposal = (over: Partial<ProposalData> = {}): ListingProposed =>
  proposal({
    entryId: 'ent_jd',
    subject: { id: '310101198001010011', kind: 'person', name: '李四', mobile: '13900139000' },
    listType: 'judgment-defaulters',
    agencyId: '310000-court-1st-intermediate',
    decisionRef: '(2024)沪01执123号',
    decisionDate: '2024-02-21',
    policy: { profileId: 'spc-2017', version: 1 },
    proposedAt: '2024-02-22T02:00:00.000Z',
    representationDeadline: '2024-03-07',
    representationDeadlineAt: '2024-03-08T00:00:00.000+08:00',
    listingDueAt: '2024-03-08T00:00:00.000+08:00',
    ...over,
  });

/**
 * Minor penalty (never published), decision of Wednesday 2026-07-01, notice served Monday 2026-07-06 10:00.
 * Window: 07-07, 08, 09, 10, 13, 14, 15, 16, 17, 20.
 */
const minorProposal = proposal({
  entryId: 'ent_pm',
  listType: 'penalty-minor',
  agencyId: '310000-pudong-samr',
  decisionRef: '浦市监罚〔2026〕88号',
  decisionDate: '2026-07-01',
  published: false,
  proposedAt: '2026-07-06T02:00:00.000Z',
  representationDeadline: '2026-07-20',
  representationDeadlineAt: '2026-07-21T00:00:00.000+08:00',
  listingDueAt: '2026-07-21T00:00:00.000+08:00',
});

const listed = (data: EntryListed['data']): EntryListed => ({ type: 'EntryListed', data });

/** Listed 2024-03-08 09:30; two years from 2024-02-21 end on Saturday 2026-02-21, in the Spring Festival: moved to Tuesday 02-24. */
const defaulterListed = listed({ listedAt: '2024-03-08T01:30:00.000Z', expiresAt: '2026-02-25T00:00:00.000+08:00', earliestRepairDate: '2024-03-08', expiryProvisional: false });

/** Three months from 2026-07-01 end on 10-01, National Day: moved to Thursday 10-08. */
const minorListed = listed({ listedAt: '2026-07-21T01:00:00.000Z', expiresAt: '2026-10-09T00:00:00.000+08:00', expiryProvisional: false });

const representation = (over: Partial<FileCase> = {}): FileCase => ({
  caseId: 'case_1',
  kind: 'representation',
  subjectId: company.id,
  grounds: 'The goods were genuine; invoices attached',
  evidence: [{ name: 'invoices.pdf', contentType: 'application/pdf', sha256: 'a'.repeat(64) }],
  requestHash: 'hash-1',
  ...over,
});

/**
 * Filed Thursday 2026-02-12 15:00 with 5 working days (cn-2026 representationReview):
 * 02-13, Sat 02-14 (make-up), then the Spring Festival, 02-24, 25, 26 (POLICY.md example).
 */
const filed = (over: Partial<CaseFiled['data']> = {}): CaseFiled => ({
  type: 'CaseFiled',
  data: {
    caseId: 'case_1',
    entryId: 'ent_sd',
    kind: 'representation',
    subjectId: company.id,
    agencyId: '310000-samr',
    provinceCode: '310000',
    grounds: 'The goods were genuine; invoices attached',
    evidence: [{ name: 'invoices.pdf', contentType: 'application/pdf', sha256: 'a'.repeat(64) }],
    policy: { profileId: 'cn-2026', version: 1 },
    level: 'agency',
    filedAt: '2026-02-12T07:00:00.000Z',
    clockStartedAt: '2026-02-12T07:00:00.000Z',
    deadline: '2026-02-26',
    deadlineAt: '2026-02-27T00:00:00.000+08:00',
    deadlineProvisional: false,
    requestHash: 'hash-1',
    ...over,
  },
});

/** Filed Thursday 2026-02-26 10:00: 02-27, Sat 02-28 (make-up), 03-02, 03, 04. */
const filedLate = filed({ caseId: 'case_2', filedAt: '2026-02-26T02:00:00.000Z', clockStartedAt: '2026-02-26T02:00:00.000Z', deadline: '2026-03-04', deadlineAt: '2026-03-05T00:00:00.000+08:00' });

/** Escalated at 24:00 on 02-26: 15 calendar days from 02-27 end on Saturday 03-14, moved to Monday 03-16. */
const escalated: EntryEvent = { type: 'CaseEscalated', data: { caseId: 'case_1', at: '2026-02-26T16:00:00.000Z', deadline: '2026-03-13', deadlineAt: '2026-03-14T00:00:00.000+08:00', deadlineProvisional: false } };
/** A claim holds to the end of the next working day. */
const claimedBy = (by: string, when = '2026-02-13T01:00:00.000Z', until = '2026-02-15T00:00:00.000+08:00'): EntryEvent => ({ type: 'CaseClaimed', data: { caseId: 'case_1', by, at: when, until } });
const decided = (outcome: 'upheld' | 'rejected', by = 'rev_a'): EntryEvent => ({ type: 'CaseDecided', data: { caseId: 'case_1', at: '2026-02-24T02:00:00.000Z', outcome, reasons: 'Reviewed the invoices', by, level: 'agency' } });
const withdrawn: EntryEvent = { type: 'ListingWithdrawn', data: { at: '2026-02-24T02:00:00.000Z', caseId: 'case_1' } };

describe('ProposeListing: the given proposals are what the decision produces', () => {
  const command = (data: ProposalData): ProposeListing => ({
    entryId: data.entryId, agencyId: data.agencyId, subject: data.subject, listType: data.listType, facts: data.facts,
    legalBasis: data.legalBasis, measures: data.measures, decisionRef: data.decisionRef, decisionDate: data.decisionDate,
  });

  it('serves the notice of 2026-02-12 with a window across the Spring Festival to 2026-03-04', () => {
    expect(proposeListing(command(proposal().data), undefined, at('2026-02-12T10:00'))).toEqual([proposal()]);
  });

  it('serves the court notice of 2024-02-22 under the SPC profile', () => {
    expect(proposeListing(command(defaulterProposal().data), undefined, at('2024-02-22T10:00'))).toEqual([defaulterProposal()]);
  });
});

describe('ProposeListing: grace period before publication', () => {
  // Judgment defaulter, notice served Friday 2026-09-18 10:00: the window ends 2026-10-09 (POLICY.md example).
  const court = (over: Partial<ProposeListing> = {}): ProposeListing => ({
    entryId: 'ent_g',
    agencyId: '310000-court-1st-intermediate',
    subject: { id: '310101198001010011', kind: 'person', name: '李四', email: 'lisi@example.cn' },
    listType: 'judgment-defaulters',
    facts: 'Has the means and does not pay the judgment debt',
    legalBasis: 'Fa Shi [2017] No. 7 Art. 1',
    measures: ['No air or high-speed rail travel'],
    decisionRef: '(2026)沪01执456号',
    decisionDate: '2026-09-01',
    ...over,
  });
  const served = at('2026-09-18T10:00');

  it('defers listing to the end of the grace period when it ends after the window: 1 month → Sunday 10-18 → Monday 10-19', () => {
    expect(proposeListing(court({ gracePeriod: { unit: 'months', value: 1 } }), undefined, served)).toEqual([{
      type: 'ListingProposed',
      data: {
        entryId: 'ent_g',
        subject: { id: '310101198001010011', kind: 'person', name: '李四', email: 'lisi@example.cn' },
        listType: 'judgment-defaulters',
        agencyId: '310000-court-1st-intermediate',
        provinceCode: '310000',
        facts: 'Has the means and does not pay the judgment debt',
        legalBasis: 'Fa Shi [2017] No. 7 Art. 1',
        measures: ['No air or high-speed rail travel'],
        decisionRef: '(2026)沪01执456号',
        decisionDate: '2026-09-01',
        policy: { profileId: 'spc-2017', version: 1 },
        published: true,
        proposedAt: '2026-09-18T02:00:00.000Z',
        representationDeadline: '2026-10-09',
        representationDeadlineAt: '2026-10-10T00:00:00.000+08:00',
        deadlineProvisional: false,
        gracePeriod: { unit: 'months', value: 1 },
        listingDueAt: '2026-10-20T00:00:00.000+08:00',
      },
    }]);
  });


  it('accepts exactly the maximum: 3 months and 91 calendar days both end on Friday 12-18', () => {
    for (const gracePeriod of [{ unit: 'months', value: 3 }, { unit: 'calendarDays', value: 91 }] as const) {
      const [event] = proposeListing(court({ gracePeriod }), undefined, served);
      expect(event.data.listingDueAt).toBe('2026-12-19T00:00:00.000+08:00');
    }
  });

  it.each([
    ['4 months', { unit: 'months', value: 4 }],
    ['92 calendar days (Saturday 12-19, one day past the maximum)', { unit: 'calendarDays', value: 92 }],
    ['0 months', { unit: 'months', value: 0 }],
    ['10 calendar days (below the 1-month minimum)', { unit: 'calendarDays', value: 10 }],
  ] as const)('refuses a grace period of %s, naming gracePeriod', (_label, gracePeriod) => {
    const error = refusal(() => proposeListing(court({ gracePeriod }), undefined, served));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'gracePeriod', message: 'must be from 1 months to 3 months' }]);
  });

  it('refuses a grace period for a list type that has none', () => {
    const error = refusal(() => proposeListing(court({ agencyId: '310000-samr', listType: 'serious-dishonesty', gracePeriod: { unit: 'months', value: 1 } }), undefined, served));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'gracePeriod', message: 'serious-dishonesty entries have no grace period before publication' }]);
  });

  it('refuses a decision whose maximum period already ended: 2024-09-13 + 2 years = Sunday 2026-09-13 → Monday 09-14', () => {
    const error = refusal(() => proposeListing(court({ decisionDate: '2024-09-13' }), undefined, served));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ expiredOn: '2026-09-14' });
  });

  it('still accepts a decision whose maximum period ends at 24:00 today, and refuses it from 24:00', () => {
    expect(proposeListing(court({ decisionDate: '2024-09-18' }), undefined, served)).toHaveLength(1);
    const error = refusal(() => proposeListing(court({ decisionDate: '2024-09-18' }), undefined, at('2026-09-19T00:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ expiredOn: '2026-09-18' });
  });

  it('refuses a subject with neither email nor mobile, naming subject.email', () => {
    const error = refusal(() => proposeListing(court({ subject: { id: '310101198001010011', kind: 'person', name: '李四' } }), undefined, served));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'subject.email', message: 'give an email address or a mobile number, so the pre-listing notice can be served' }]);
  });
});

describe('ListEntry', () => {
  it('refuses before listingDueAt, one millisecond before 24:00 on 2026-03-04', () => {
    const error = refusal(() => listEntry(given(proposal()), at('2026-03-04T23:59:59.999')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.message).toContain('2026-03-05T00:00:00.000+08:00');
  });

  it('lists serious dishonesty at listingDueAt: 3 years from the decision, repair after the 1-year minimum', () => {
    // Expiry: 2025-02-20 + 3 years = Sunday 2028-02-20 → Monday 02-21 (2028 is provisional; its Spring Festival is in January).
    // Repair: 2025-02-20 + 1 year = Friday 2026-02-20 (Spring Festival) → Tuesday 02-24; the day after is 02-25.
    expect(listEntry(given(proposal()), at('2026-03-05T00:00'))).toEqual([
      listed({ listedAt: '2026-03-04T16:00:00.000Z', expiresAt: '2028-02-22T00:00:00.000+08:00', expiryProvisional: true, earliestRepairDate: '2026-02-25' }),
    ]);
  });

  it('lists a judgment defaulter for 2 years from the decision (Saturday 2026-02-21 in the Spring Festival → Tuesday 02-24), repairable from the listing day', () => {
    expect(listEntry(given(defaulterProposal()), at('2024-03-08T09:30'))).toEqual([defaulterListed]);
  });

  it('lists a minor penalty without a repair date (3 months → National Day → 10-08) and keeps it unpublished', () => {
    const events = listEntry(given(minorProposal), at('2026-07-21T09:00'));
    expect(events).toEqual([minorListed]);
    expect(events[0]!.data).not.toHaveProperty('earliestRepairDate');
    const state = given(minorProposal, ...events);
    expect(state.status).toBe('listed');
    expect(state.published).toBe(false);
    expect(state.earliestRepairDate).toBeUndefined();
  });

  it('run twice: the second run on the listed entry decides nothing', () => {
    const first = listEntry(given(proposal()), at('2026-03-05T00:00'));
    expect(first).toHaveLength(1);
    expect(listEntry(given(proposal(), ...first), at('2026-03-05T00:00'))).toEqual([]);
    expect(listEntry(given(proposal(), ...first), at('2026-06-01T10:00'))).toEqual([]);
  });

  it('decides nothing for a withdrawn or delisted entry', () => {
    expect(listEntry(given(proposal(), filed(), decided('upheld'), withdrawn), at('2026-03-05T10:00'))).toEqual([]);
    expect(listEntry(given(defaulterProposal(), defaulterListed, { type: 'EntryDelisted', data: { at: '2024-05-01T02:00:00.000Z', reason: 'repaired' } }), at('2024-05-02T10:00'))).toEqual([]);
  });

  it('decides nothing while a representation is open, and lists once it is rejected', () => {
    expect(listEntry(given(proposal(), filed()), at('2026-03-05T10:00'))).toEqual([]);
    expect(listEntry(given(proposal(), filed(), claimedBy('rev_a'), escalated), at('2026-03-05T10:00'))).toEqual([]);
    const events = listEntry(given(proposal(), filed(), decided('rejected')), at('2026-03-05T10:00'));
    expect(events.map((e) => e.type)).toEqual(['EntryListed']);
    expect(events[0]!.data.listedAt).toBe('2026-03-05T02:00:00.000Z');
  });

  it('tells where a proposal stands: awaiting the representation, listed, not listed', () => {
    expect(listingOutcome(given(proposal(), filed()))).toEqual({ outcome: 'awaiting-representation', caseId: 'case_1', deadlineAt: '2026-02-27T00:00:00.000+08:00' });
    expect(listingOutcome(given(defaulterProposal(), defaulterListed))).toEqual({ outcome: 'listed', expiresAt: '2026-02-25T00:00:00.000+08:00' });
    expect(listingOutcome(given(proposal(), filed(), decided('upheld'), withdrawn))).toEqual({ outcome: 'not-listed' });
  });
});

describe('ExtendListing', () => {
  // Decision 2023-02-21: 2 years end on Friday 2025-02-21.
  const proposed2023 = defaulterProposal({ decisionDate: '2023-02-21' });
  const listed2023 = listed({ listedAt: '2024-03-08T01:30:00.000Z', expiresAt: '2025-02-22T00:00:00.000+08:00', earliestRepairDate: '2024-03-08', expiryProvisional: false });
  const extend = (value: number, unit: 'years' | 'months' = 'years') => ({ extension: { unit, value }, reason: 'Still hiding assets', by: 'judge_1' });
  const extendedOnce: EntryEvent = {
    type: 'ListingExtended',
    data: { extension: { unit: 'years', value: 1 }, reason: 'Still hiding assets', by: 'judge_1', at: '2024-12-02T02:00:00.000Z', previousExpiresAt: '2025-02-22T00:00:00.000+08:00', expiresAt: '2026-02-25T00:00:00.000+08:00' },
  };

  it('extends by 1 year counted from the decision date: 3 years = Saturday 2026-02-21 → Tuesday 02-24', () => {
    expect(extendListing(extend(1), given(proposed2023, listed2023), at('2024-12-02T10:00'))).toEqual([extendedOnce]);
    const state = given(proposed2023, listed2023, extendedOnce);
    expect(state.expiresAt).toBe('2026-02-25T00:00:00.000+08:00');
    expect(state.extensions).toEqual([{ extension: { unit: 'years', value: 1 }, reason: 'Still hiding assets', by: 'judge_1', at: '2024-12-02T02:00:00.000Z' }]);
  });

  it('counts earlier extensions: after 1 year, 2 more reach 5 years from the decision (Monday 2028-02-21)', () => {
    const [event] = extendListing(extend(2), given(proposed2023, listed2023, extendedOnce), at('2025-06-02T10:00'));
    expect(event.data).toEqual({ extension: { unit: 'years', value: 2 }, reason: 'Still hiding assets', by: 'judge_1', at: '2025-06-02T02:00:00.000Z', previousExpiresAt: '2026-02-25T00:00:00.000+08:00', expiresAt: '2028-02-22T00:00:00.000+08:00' });
  });

  it('refuses extensions beyond 3 years in all, counting the earlier one', () => {
    const error = refusal(() => extendListing(extend(3), given(proposed2023, listed2023, extendedOnce), at('2025-06-02T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'extension.value', message: 'must be at least 1, and all extensions together at most 3 years (1 granted so far)' }]);
  });

  it.each([0, 4])('refuses an extension of %i years, naming extension.value', (value) => {
    const error = refusal(() => extendListing(extend(value), given(proposed2023, listed2023), at('2024-12-02T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'extension.value', message: 'must be at least 1, and all extensions together at most 3 years (0 granted so far)' }]);
  });

  it('refuses another unit, naming extension.unit', () => {
    const error = refusal(() => extendListing(extend(12, 'months'), given(proposed2023, listed2023), at('2024-12-02T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'extension.unit', message: 'must be years' }]);
  });

  it('refuses an extension that would already have ended', () => {
    const error = refusal(() => extendListing(extend(1), given(proposed2023, listed2023), at('2026-02-25T00:00')));
    expect(error.code).toBe('RULE_REFUSED');
  });

  it('extends only a listed entry', () => {
    const delisted: EntryEvent = { type: 'EntryDelisted', data: { at: '2024-05-01T02:00:00.000Z', reason: 'repaired' } };
    for (const state of [given(proposed2023), given(proposed2023, listed2023, delisted)]) {
      expect(refusal(() => extendListing(extend(1), state, at('2024-12-02T10:00'))).code).toBe('INVALID_STATE');
    }
  });

  it('refuses to extend a list type without an extension rule', () => {
    const sdListed = listed({ listedAt: '2026-03-04T16:00:00.000Z', expiresAt: '2028-02-22T00:00:00.000+08:00', expiryProvisional: true, earliestRepairDate: '2026-02-25' });
    const error = refusal(() => extendListing(extend(1), given(proposal(), sdListed), at('2026-06-01T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
  });

  it('at the old expiry of an extended listing, waits for the new date', () => {
    expect(delistAtExpiry(given(proposed2023, listed2023, extendedOnce), at('2025-02-22T00:00'))).toEqual({ events: [], result: { outcome: 'extended', expiresAt: '2026-02-25T00:00:00.000+08:00' } });
  });
});

describe('DelistAtExpiry', () => {
  const listedMinor = given(minorProposal, minorListed);

  it('before expiresAt: no events, answers the current expiresAt', () => {
    expect(delistAtExpiry(listedMinor, at('2026-10-08T23:59:59.999'))).toEqual({ events: [], result: { outcome: 'extended', expiresAt: '2026-10-09T00:00:00.000+08:00' } });
  });

  it('at expiresAt (24:00 on 10-08): one EntryDelisted, reason expired; run twice: nothing more', () => {
    const first = delistAtExpiry(listedMinor, at('2026-10-09T00:00'));
    expect(first).toEqual({ events: [{ type: 'EntryDelisted', data: { at: '2026-10-08T16:00:00.000Z', reason: 'expired' } }], result: { outcome: 'delisted' } });
    const after = given(minorProposal, minorListed, ...first.events);
    expect(after).toMatchObject({ status: 'delisted', delistReason: 'expired', delistedAt: '2026-10-08T16:00:00.000Z' });
    expect(delistAtExpiry(after, at('2026-10-09T00:00'))).toEqual({ events: [], result: { outcome: 'ended' } });
  });

  it.each(['revoked', 'repaired'] as const)('an entry already delisted (%s) has ended: no events', (reason) => {
    const state = given(defaulterProposal(), defaulterListed, { type: 'EntryDelisted', data: { at: '2025-01-06T02:00:00.000Z', reason } });
    expect(delistAtExpiry(state, at('2026-02-25T00:00'))).toEqual({ events: [], result: { outcome: 'ended' } });
  });

  it('a withdrawn proposal has ended: no events', () => {
    expect(delistAtExpiry(given(proposal(), filed(), decided('upheld'), withdrawn), at('2028-03-01T10:00'))).toEqual({ events: [], result: { outcome: 'ended' } });
  });
});

describe('FileCase: representation', () => {
  it('counts 5 working days from the filing day across the Spring Festival: filed Thursday 02-12 → 02-26', () => {
    expect(fileCase(representation(), given(proposal()), at('2026-02-12T15:00'))).toEqual([filed()]);
  });

  it('accepts a representation until 24:00 on the last day of the window, and refuses it from then with the deadline', () => {
    // Filed Wednesday 03-04: 03-05, 06, 09, 10, 11.
    expect(fileCase(representation(), given(proposal()), at('2026-03-04T23:59:59'))[0]?.data.deadline).toBe('2026-03-11');
    const error = refusal(() => fileCase(representation(), given(proposal()), at('2026-03-05T00:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ deadline: '2026-03-04', deadlineAt: '2026-03-05T00:00:00.000+08:00' });
  });

  it('refuses a representation on an entry that is no longer proposed', () => {
    const error = refusal(() => fileCase(representation({ caseId: 'case_2', requestHash: 'hash-2' }), given(proposal(), filed(), decided('upheld'), withdrawn), at('2026-02-25T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ status: 'withdrawn' });
  });

  it('refuses a second representation while one is open', () => {
    const error = refusal(() => fileCase(representation({ caseId: 'case_2', requestHash: 'hash-2' }), given(proposal(), filed()), at('2026-02-13T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ caseId: 'case_1' });
  });

  it('a retried submission (same case id and request) decides nothing, even after the window', () => {
    expect(fileCase(representation(), given(proposal(), filed()), at('2026-02-12T15:00'))).toEqual([]);
    expect(fileCase(representation(), given(proposal(), filed()), at('2026-03-06T10:00'))).toEqual([]);
  });

  it('refuses the same case id with a different request', () => {
    const error = refusal(() => fileCase(representation({ requestHash: 'hash-other' }), given(proposal(), filed()), at('2026-02-12T15:01')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ caseId: 'case_1' });
  });

  it('refuses a repair before listing: repair takes a listed entry off the list', () => {
    const error = refusal(() => fileCase(representation({ kind: 'repair', commitment: true }), given(proposal()), at('2026-02-12T15:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ status: 'proposed' });
  });

  it.each(['objection', 'correction'] as const)('refuses %s cases before listing, pointing to a representation', (kind) => {
    const error = refusal(() => fileCase(representation({ kind }), given(proposal()), at('2026-02-12T15:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.message).toMatch(/make a representation/);
  });
});

describe('ClaimCase', () => {
  it('assigns an open case to the reviewer', () => {
    const events = claimCase({ caseId: 'case_1', by: 'rev_a' }, given(proposal(), filed()), at('2026-02-13T09:00'));
    expect(events).toEqual([claimedBy('rev_a')]);
    expect(given(proposal(), filed(), ...events).cases[0]).toMatchObject({ status: 'in-review', assignedTo: 'rev_a' });
  });

  it('the same reviewer again: nothing', () => {
    expect(claimCase({ caseId: 'case_1', by: 'rev_a' }, given(proposal(), filed(), claimedBy('rev_a')), at('2026-02-13T11:00'))).toEqual([]);
  });

  it('another reviewer: refused, naming who holds it', () => {
    const error = refusal(() => claimCase({ caseId: 'case_1', by: 'rev_b' }, given(proposal(), filed(), claimedBy('rev_a')), at('2026-02-13T11:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ assignedTo: 'rev_a', claimUntil: '2026-02-15T00:00:00.000+08:00' });
  });

  it('a lapsed claim holds nobody back: another reviewer takes the case', () => {
    // rev_a's hold ended at 24:00 on the make-up Saturday 02-14; on 02-24 the next working day after is 02-25.
    const events = claimCase({ caseId: 'case_1', by: 'rev_b' }, given(proposal(), filed(), claimedBy('rev_a')), at('2026-02-24T09:00'));
    expect(events).toEqual([{ type: 'CaseClaimed', data: { caseId: 'case_1', by: 'rev_b', at: '2026-02-24T01:00:00.000Z', until: '2026-02-26T00:00:00.000+08:00' } }]);
  });

  it('a decided case: refused', () => {
    const error = refusal(() => claimCase({ caseId: 'case_1', by: 'rev_b' }, given(proposal(), filed(), decided('rejected')), at('2026-02-25T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ status: 'decided' });
  });

  it('an unknown case: NOT_FOUND', () => {
    expect(refusal(() => claimCase({ caseId: 'case_9', by: 'rev_a' }, given(proposal(), filed()), at('2026-02-13T09:00'))).code).toBe('NOT_FOUND');
  });
});

describe('DecideCase', () => {
  const decide = (outcome: 'upheld' | 'rejected', by = 'rev_a', level: 'agency' | 'province' = 'agency') => ({ caseId: 'case_1', outcome, reasons: 'Reviewed the invoices', by, level });

  it('an upheld representation withdraws the proposal; the folded entry is withdrawn with no open cases', () => {
    const events = decideCase(decide('upheld'), given(proposal(), filed(), claimedBy('rev_a')), at('2026-02-24T10:00'));
    expect(events).toEqual([decided('upheld'), withdrawn]);
    const state = given(proposal(), filed(), claimedBy('rev_a'), ...events);
    expect(state).toMatchObject({ status: 'withdrawn', withdrawnAt: '2026-02-24T02:00:00.000Z', openCases: [] });
    expect(state.cases[0]).toMatchObject({ status: 'decided', decision: { outcome: 'upheld', by: 'rev_a', level: 'agency', decidedAt: '2026-02-24T02:00:00.000Z' } });
  });

  it('a rejected representation: only CaseDecided; the entry stays proposed', () => {
    const events = decideCase(decide('rejected'), given(proposal(), filed(), claimedBy('rev_a')), at('2026-02-24T10:00'));
    expect(events).toEqual([decided('rejected')]);
    expect(given(proposal(), filed(), ...events)).toMatchObject({ status: 'proposed', openCases: [] });
  });

  it('exactly one decision: a second is refused', () => {
    const error = refusal(() => decideCase(decide('upheld'), given(proposal(), filed(), decided('rejected')), at('2026-02-25T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ status: 'decided' });
  });

  it('the agency decides until 24:00 on its deadline (02-26), not after', () => {
    expect(decideCase(decide('rejected'), given(proposal(), filed()), at('2026-02-26T23:59:59'))).toHaveLength(1);
    const error = refusal(() => decideCase(decide('rejected'), given(proposal(), filed()), at('2026-02-27T00:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ deadline: '2026-02-26' });
  });

  it('after escalation the agency can no longer decide; the province can', () => {
    const state = given(proposal(), filed(), claimedBy('rev_a'), escalated);
    expect(refusal(() => decideCase(decide('rejected'), state, at('2026-03-02T10:00'))).code).toBe('INVALID_STATE');
    expect(decideCase(decide('rejected', 'prov_1', 'province'), state, at('2026-03-02T10:00'))).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_1', at: '2026-03-02T02:00:00.000Z', outcome: 'rejected', reasons: 'Reviewed the invoices', by: 'prov_1', level: 'province' } },
    ]);
  });

  it('the province can still decide once its own deadline has passed (overdue)', () => {
    const overdue: EntryEvent = { type: 'CaseMarkedOverdue', data: { caseId: 'case_1', at: '2026-03-16T16:00:00.000Z', reminder: 1, day: '2026-03-16' } };
    const events = decideCase(decide('upheld', 'prov_1', 'province'), given(proposal(), filed(), escalated, overdue), at('2026-03-18T10:00'));
    expect(events.map((e) => e.type)).toEqual(['CaseDecided', 'ListingWithdrawn']);
  });

  it('a case claimed by someone else: refused, naming who holds it', () => {
    const error = refusal(() => decideCase(decide('rejected', 'rev_b'), given(proposal(), filed(), claimedBy('rev_a', '2026-02-24T01:00:00.000Z', '2026-02-26T00:00:00.000+08:00')), at('2026-02-24T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ assignedTo: 'rev_a', claimUntil: '2026-02-26T00:00:00.000+08:00' });
  });
});

describe('ReviewClock', () => {
  // Filed 02-12 15:00, due 02-26 24:00: 5 working days (13, Sat 14, 24, 25, 26). 80% of them is after the 4th,
  // 02-25, so at 24:00 on 02-25: the start of the last working day, where the last-day reminder serves for both.
  const reminded = (reminder: string, when: string): EntryEvent => ({ type: 'CaseReminded', data: { caseId: 'case_1', at: when, reminder, level: 'agency' } });

  it('before any reminder: wait until the start of the last working day', () => {
    // 02-13 09:00 to 02-26 00:00 is 12 days and 15 hours.
    expect(reviewClock('case_1', given(proposal(), filed()), at('2026-02-13T09:00'))).toEqual({ events: [], result: { open: true, step: 'await-decision', level: 'agency', secondsLeft: (12 * 24 + 15) * 3600, action: 'wait' } });
    expect(reviewClock('case_1', given(proposal(), filed()), at('2026-02-24T10:00'))).toEqual({ events: [], result: { open: true, step: 'await-decision', level: 'agency', secondsLeft: 38 * 3600, action: 'wait' } });
  });

  it('on the last working day: the reviewers are reminded once, then the clock waits for the deadline', () => {
    const result = reviewClock('case_1', given(proposal(), filed()), at('2026-02-26T09:00'));
    expect(result.events).toEqual([reminded('agency:last-day@2026-02-26', '2026-02-26T01:00:00.000Z')]);
    // 02-26 09:00 to 02-27 00:00 is 15 hours.
    expect(result.result).toEqual({ open: true, step: 'await-decision', level: 'agency', secondsLeft: 15 * 3600, action: 'wait' });
    expect(given(proposal(), filed(), ...result.events).cases[0]!.reminders).toEqual(['agency:last-day@2026-02-26']);
    expect(reviewClock('case_1', given(proposal(), filed(), ...result.events), at('2026-02-26T23:00')).events).toEqual([]);
  });

  it('an extended case gets a separate 80% reminder: 10 working days, the 8th is 03-02, the last 03-04', () => {
    // Extended at 02-24 by 5 working days after 02-26: 27, make-up Saturday 28, 03-02, 03, 04.
    const extended: EntryEvent = { type: 'CaseExtended', data: { caseId: 'case_1', at: '2026-02-24T02:00:00.000Z', by: 'rev_a', reason: '核查', workingDays: 5, previousDeadline: '2026-02-26', deadline: '2026-03-04', deadlineAt: '2026-03-05T00:00:00.000+08:00', deadlineProvisional: false } };
    // From 02-12: 13, Sat 14, 24, 25, 26, 27, Sat 28, 03-02 (8 of 10); 80% ends at 24:00 on 03-02; the last day starts 03-04 00:00.
    const result = reviewClock('case_1', given(proposal(), filed(), extended), at('2026-03-03T08:00'));
    expect(result.events).toEqual([reminded('agency:80%@2026-03-04', '2026-03-03T00:00:00.000Z')]);
    // 03-03 08:00 to 03-04 00:00 is 16 hours.
    expect(result.result).toMatchObject({ secondsLeft: 16 * 3600 });
  });

  it('the agency deadline passed: escalated with 15 calendar days counted from the agency deadline (Thursday 02-26 → Friday 03-13); run twice: waits', () => {
    const first = reviewClock('case_1', given(proposal(), filed(), claimedBy('rev_a')), at('2026-02-27T00:00'));
    // 2026-02-27 00:00 to 2026-03-14 00:00 is 15 days.
    // The province's 15 days get their own 80% reminder, after 12 days.
    expect(first).toEqual({ events: [escalated], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 12 * 86_400, action: 'escalated' } });
    const state = given(proposal(), filed(), claimedBy('rev_a'), ...first.events);
    expect(state.cases[0]).toMatchObject({ status: 'escalated', level: 'province', deadline: '2026-03-13', escalatedAt: '2026-02-26T16:00:00.000Z' });
    expect(state.cases[0]!.assignedTo).toBeUndefined();
    expect(reviewClock('case_1', state, at('2026-02-27T00:00'))).toEqual({ events: [], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 12 * 86_400, action: 'wait' } });
    // A late timer gives the province no extra days.
    expect(reviewClock('case_1', given(proposal(), filed()), at('2026-03-02T09:00')).events).toEqual([{ ...escalated, data: { ...escalated.data, at: '2026-03-02T01:00:00.000Z' } }]);
  });

  // case_2: agency deadline Wednesday 03-04; 15 days from it end on Thursday 03-19.
  const escalated2: EntryEvent = { type: 'CaseEscalated', data: { caseId: 'case_2', at: '2026-03-04T16:00:00.000Z', deadline: '2026-03-19', deadlineAt: '2026-03-20T00:00:00.000+08:00', deadlineProvisional: false } };

  it('escalates to a provincial deadline on a working day (Thursday 03-19)', () => {
    expect(reviewClock('case_2', given(proposal(), filedLate), at('2026-03-05T00:00'))).toEqual({ events: [escalated2], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 12 * 86_400, action: 'escalated' } });
  });

  it('the provincial deadline passed on a Thursday: overdue, reminded at the end of every working day, across the weekend', () => {
    const base = [proposal(), filedLate, escalated2];
    const first = reviewClock('case_2', given(...base), at('2026-03-20T00:00'));
    // Friday 00:00 to the end of Friday 03-20 is 1 day.
    expect(first).toEqual({ events: [{ type: 'CaseMarkedOverdue', data: { caseId: 'case_2', at: '2026-03-19T16:00:00.000Z', reminder: 1, day: '2026-03-19' } }], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 86_400, action: 'overdue' } });
    const second = reviewClock('case_2', given(...base, ...first.events), at('2026-03-21T00:00'));
    // Saturday 00:00 to the end of Monday 03-23 is 3 days.
    expect(second).toEqual({ events: [{ type: 'CaseMarkedOverdue', data: { caseId: 'case_2', at: '2026-03-20T16:00:00.000Z', reminder: 2, day: '2026-03-20' } }], result: { open: true, step: 'await-decision', level: 'province', secondsLeft: 3 * 86_400, action: 'overdue' } });
    const third = reviewClock('case_2', given(...base, ...first.events, ...second.events), at('2026-03-24T00:00'));
    expect(third.events).toEqual([{ type: 'CaseMarkedOverdue', data: { caseId: 'case_2', at: '2026-03-23T16:00:00.000Z', reminder: 3, day: '2026-03-23' } }]);
    expect(third.result).toMatchObject({ secondsLeft: 86_400 });
    expect(given(...base, ...first.events, ...second.events, ...third.events).cases[0]).toMatchObject({ overdue: true, remindersSent: 3, status: 'escalated' });
  });

  // Fired at 24:00, the timer counts the next working day from the day that just ended, not the one just begun.
  it('reminds again at 24:00 of the next working day within the week: overdue at 24:00 Monday 03-16 → next at 24:00 Tuesday 03-17', () => {
    const result = reviewClock('case_1', given(proposal(), filed(), escalated), at('2026-03-17T00:00'));
    expect(result.events).toEqual([{ type: 'CaseMarkedOverdue', data: { caseId: 'case_1', at: '2026-03-16T16:00:00.000Z', reminder: 1, day: '2026-03-16' } }]);
    expect(result.result).toEqual({ open: true, step: 'await-decision', level: 'province', secondsLeft: 86_400, action: 'overdue' });
  });

  it('a decided case: closed, no events', () => {
    expect(reviewClock('case_1', given(proposal(), filed(), decided('rejected')), at('2026-02-27T00:00'))).toEqual({ events: [], result: { open: false, step: 'closed' } });
  });
});

describe('workingDaysLeft', () => {
  const c = given(proposal(), filed()).cases[0]!;

  it.each([
    ['Thursday 02-12, the filing day: 13, Sat 14, 24, 25, 26', '2026-02-12T15:00', 5],
    ['make-up Saturday 02-14: 24, 25, 26', '2026-02-14T10:00', 3],
    ['Spring Festival 02-18: 24, 25, 26', '2026-02-18T10:00', 3],
    ['02-25: 26', '2026-02-25T10:00', 1],
    ['the last day 02-26', '2026-02-26T10:00', 0],
    ['after the deadline', '2026-03-02T10:00', 0],
  ])('%s → %i', (_label, now, expected) => {
    expect(workingDaysLeft(at(now), c)).toBe(expected);
  });
});

describe('evolve', () => {
  it('openCases follows the case status; a representation never marks the entry under objection', () => {
    const steps: EntryEvent[] = [proposal(), filed(), claimedBy('rev_a'), escalated, decided('rejected', 'prov_1')];
    const seen = steps.map((_, i) => given(...steps.slice(0, i + 1))).map((s) => ({ status: s.cases[0]?.status, openCases: s.openCases, underObjection: s.underObjection }));
    expect(seen).toEqual([
      { status: undefined, openCases: [], underObjection: false },
      { status: 'open', openCases: ['case_1'], underObjection: false },
      { status: 'in-review', openCases: ['case_1'], underObjection: false },
      { status: 'escalated', openCases: ['case_1'], underObjection: false },
      { status: 'decided', openCases: [], underObjection: false },
    ]);
  });

  it('an open objection on a listed entry marks it under objection until decided', () => {
    const objection = filed({ caseId: 'case_o', entryId: 'ent_jd', kind: 'objection', filedAt: '2024-04-01T02:00:00.000Z', deadline: '2024-04-16', deadlineAt: '2024-04-17T00:00:00.000+08:00' });
    const open = given(defaulterProposal(), defaulterListed, objection);
    expect(open).toMatchObject({ underObjection: true, openCases: ['case_o'] });
    const closed = given(defaulterProposal(), defaulterListed, objection, { type: 'CaseDecided', data: { caseId: 'case_o', at: '2024-04-10T02:00:00.000Z', outcome: 'rejected', reasons: 'Listing is correct', by: 'judge_2', level: 'agency' } });
    expect(closed).toMatchObject({ underObjection: false, openCases: [] });
  });

  it('records a notice once per channel', () => {
    const notice = { notice: 'pre-listing', channel: 'email' as const, to: 'legal@example.cn', messageId: 'msg-1', at: '2026-02-12T02:00:05.000Z' };
    const events = recordNotice(given(proposal()), notice);
    expect(events).toEqual([{ type: 'NoticeSent', data: notice }]);
    expect(recordNotice(given(proposal(), ...events), { ...notice, messageId: 'msg-2' })).toEqual([]);
    expect(recordNotice(given(proposal(), ...events), { ...notice, channel: 'sms', to: '13800138000' })).toHaveLength(1);
  });
});
