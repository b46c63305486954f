import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal.js';
import { chainEvents, GENESIS_HASH } from '../../shared/audit/hash-chain.js';
import {
  decideCase,
  fileCase,
  listEntry,
  proposeListing,
  revokeListing,
  type CaseFiled,
  type CaseOutcome,
  type DecideCase,
  type EntryEvent,
  type EntryListed,
  type FileCase,
  type ListingProposed,
  type ProposalData,
  type ReviewLevel,
} from '../../shared/domain/entry.js';
import { CERTIFICATE_CODE, certificateCodeFrom } from '../../shared/domain/identifiers.js';
import { partnerEventsOf } from '../../shared/domain/partner-events.js';
import { policies, calendar, at, given, caseOf, company, proposal as servedFebruary12 } from '../support/domain.js';

// Credit repair (信用修复), its certificate, and revocation of a listing.
// Profiles: cn-2026 (repair review 10 working days, provincial review 15 calendar days,
// appeal window 10 calendar days) and spc-2017 (repair review 3 working days).
// Every expected date is worked out by hand from the official 2026 calendar
// (shared/calendar/official-years.ts), never with the code under test:
//   June 2026:      Mon 1 … Fri 5, Mon 8 … Fri 12, Mon 15 (Dragon Boat is Fri 19–Sun 21);
//   September 2026: Mid-Autumn Fri 25–Sun 27, Mon 28, Tue 29, Wed 30;
//   October 2026:   National Day Thu 1–Wed 7, Thu 8, Fri 9, make-up Sat 10, Sun 11 off, Mon 12 … Fri 16, Mon 19 …
// The filing or deciding day is never counted (POLICY.md, counting a period); a period
// in years that ends on a non-working day ends on the next working day.





/** The commitment as a profile words it, both languages, as the applicant saw it. */
const commitmentText = (profileId: string) => {
  const { zh, en } = policies.profileVersion(profileId, 1).repairCommitment;
  return `${zh}\n${en}`;
};

const person = { id: '310101198001010011', kind: 'person' as const, name: '李四', email: 'lisi@example.cn' };
const receipts = [{ name: 'fine-paid.pdf', contentType: 'application/pdf', sha256: 'c'.repeat(64) }];
const CODE = 'RC-7K3M-Q9TX-2HWD';

// ---- a serious-dishonesty entry (cn-2026) ----

/**
 * The shared serious-dishonesty proposal, moved: decision of Thursday 2025-09-25; notice served Monday 2026-06-01 10:00.
 * Window of 10 working days: 06-02, 03, 04, 05 (4), 08 … 12 (9), 15 (10) → 24:00 on Monday 06-15.
 */
const proposal = (over: Partial<ProposalData> = {}): ListingProposed =>
  servedFebruary12({
    decisionRef: '沪市监罚〔2025〕31号',
    decisionDate: '2025-09-25',
    proposedAt: '2026-06-01T02:00:00.000Z',
    representationDeadline: '2026-06-15',
    representationDeadlineAt: '2026-06-16T00:00:00.000+08:00',
    listingDueAt: '2026-06-16T00:00:00.000+08:00',
    ...over,
  });

/**
 * Listed at 24:00 on 06-15.
 * Expiry: 2025-09-25 + 3 years = Monday 2028-09-25, a working day (2028 is provisional; its Mid-Autumn is 10-03).
 * Repair: 2025-09-25 + 1 year = Friday 2026-09-25, Mid-Autumn (25–27) → Monday 09-28; repair from the day after, Tuesday 09-29.
 */
const listed: EntryListed = { type: 'EntryListed', data: { listedAt: '2026-06-15T16:00:00.000Z', expiresAt: '2028-09-26T00:00:00.000+08:00', expiryProvisional: true, earliestRepairDate: '2026-09-29' } };
const onList: EntryEvent[] = [proposal(), listed];

const repair = (over: Partial<FileCase> = {}): FileCase => ({
  caseId: 'case_r',
  kind: 'repair',
  subjectId: company.id,
  grounds: 'The fine is paid and the counterfeit stock destroyed',
  evidence: receipts,
  commitment: true,
  requestHash: 'hash-r',
  ...over,
});

/**
 * Repair filed Tuesday 2026-09-29 10:00, 10 working days:
 * 09-30 (1), [National Day 10-01..07], 10-08 (2), 10-09 (3), make-up Sat 10-10 (4), 10-12 … 10-16 (5–9), Mon 10-19 (10).
 */
const repairFiled = (over: Partial<CaseFiled['data']> = {}): CaseFiled => ({
  type: 'CaseFiled',
  data: {
    caseId: 'case_r',
    entryId: 'ent_sd',
    kind: 'repair',
    level: 'agency',
    subjectId: company.id,
    agencyId: '310000-samr',
    provinceCode: '310000',
    grounds: 'The fine is paid and the counterfeit stock destroyed',
    evidence: receipts,
    commitment: { text: commitmentText('cn-2026'), acceptedAt: '2026-09-29T02:00:00.000Z' },
    policy: { profileId: 'cn-2026', version: 1 },
    filedAt: '2026-09-29T02:00:00.000Z',
    clockStartedAt: '2026-09-29T02:00:00.000Z',
    deadline: '2026-10-19',
    deadlineAt: '2026-10-20T00:00:00.000+08:00',
    deadlineProvisional: false,
    requestHash: 'hash-r',
    ...over,
  },
});

const repairOpen: EntryEvent[] = [...onList, repairFiled()];

const decision = (caseId: string, outcome: CaseOutcome, over: Partial<DecideCase> = {}, by = 'rev_a', level: ReviewLevel = 'agency'): DecideCase => ({
  caseId,
  outcome,
  reasons: 'Checked the receipts against the file',
  by,
  level,
  ...over,
});

/** Decided by the agency on Friday 2026-10-09 10:00, within its deadline (10-19). */
const decidedAt = '2026-10-09T02:00:00.000Z';
const missing = ['Proof that the counterfeit stock was destroyed', 'The credit report of the last 12 months'];
const repairRejected: EntryEvent = { type: 'CaseDecided', data: { caseId: 'case_r', at: decidedAt, outcome: 'rejected', reasons: 'Checked the receipts against the file', by: 'rev_a', level: 'agency', missing } };

// ---- other list types ----

/**
 * Minor penalty (never published), decision of Wednesday 2026-07-01, notice served Monday 07-06 10:00.
 * Window: 07-07 … 07-10 (4), 13 … 17 (9), 20 (10). Listed 07-21 09:00; 3 months end on 10-01 → Thursday 10-08.
 */
const minorOnList: EntryEvent[] = [
  proposal({ entryId: 'ent_pm', listType: 'penalty-minor', agencyId: '310000-pudong-samr', decisionRef: '浦市监罚〔2026〕88号', decisionDate: '2026-07-01', published: false, proposedAt: '2026-07-06T02:00:00.000Z', representationDeadline: '2026-07-20', representationDeadlineAt: '2026-07-21T00:00:00.000+08:00', listingDueAt: '2026-07-21T00:00:00.000+08:00' }),
  { type: 'EntryListed', data: { listedAt: '2026-07-21T01:00:00.000Z', expiresAt: '2026-10-09T00:00:00.000+08:00', expiryProvisional: false } },
];

/**
 * Judgment defaulter, decision of Tuesday 2026-09-01, court notice served Friday 09-18 10:00.
 * Window (POLICY.md example): make-up Sun 09-20 (1), 21 … 24 (5), [Mid-Autumn], 28, 29, 30 (8), [National Day], 10-08, 10-09 (10).
 */
const defaulterProposal: ListingProposed = proposal({
  entryId: 'ent_jd',
  subject: person,
  listType: 'judgment-defaulters',
  agencyId: '310000-court-1st-intermediate',
  facts: 'Has the means and does not pay the judgment debt',
  legalBasis: 'Fa Shi [2017] No. 7 Art. 1',
  measures: ['No air or high-speed rail travel'],
  decisionRef: '(2026)沪01执456号',
  decisionDate: '2026-09-01',
  policy: { profileId: 'spc-2017', version: 1 },
  proposedAt: '2026-09-18T02:00:00.000Z',
  representationDeadline: '2026-10-09',
  representationDeadlineAt: '2026-10-10T00:00:00.000+08:00',
  listingDueAt: '2026-10-10T00:00:00.000+08:00',
});

/**
 * Listed at 24:00 on 10-09, that is on Saturday 10-10 (a make-up working day).
 * Expiry: 2026-09-01 + 2 years = Friday 2028-09-01 (provisional, a working day). Repair: on performance, from the listing day.
 */
const defaulterListed: EntryListed = { type: 'EntryListed', data: { listedAt: '2026-10-09T16:00:00.000Z', expiresAt: '2028-09-02T00:00:00.000+08:00', expiryProvisional: true, earliestRepairDate: '2026-10-10' } };

describe('the given entries are what the deciders produce', () => {
  it('the serious-dishonesty proposal of Monday 06-01 and its listing at 24:00 on 06-15, repairable from Tuesday 09-29', () => {
    const d = proposal().data;
    const command = { entryId: d.entryId, agencyId: d.agencyId, subject: d.subject, listType: d.listType, facts: d.facts, legalBasis: d.legalBasis, measures: d.measures, decisionRef: d.decisionRef, decisionDate: d.decisionDate };
    expect(proposeListing(command, undefined, at('2026-06-01T10:00'))).toEqual([proposal()]);
    expect(listEntry(given(proposal()), at('2026-06-16T00:00'))).toEqual([listed]);
  });

  it('the judgment defaulter listed at 00:00 on Saturday 10-10 is repairable from that day', () => {
    expect(listEntry(given(defaulterProposal), at('2026-10-10T00:00'))).toEqual([defaulterListed]);
  });
});

describe('FileCase: repair', () => {
  it('is refused until 24:00 on Monday 09-28, the end of the minimum period moved off the Mid-Autumn Friday, naming the earliest date and the rule', () => {
    for (const when of ['2026-06-16T10:00', '2026-09-25T10:00', '2026-09-28T23:59:59.999']) {
      const error = refusal(() => fileCase(repair(), given(...onList), at(when)));
      expect(error.code).toBe('RULE_REFUSED');
      expect(error.details).toEqual({
        earliestRepairDate: '2026-09-29',
        rule: expect.stringContaining('minimum publication period'),
      });
      expect(error.details.rule).toContain('NDRC Credit Repair Measures 2026');
      expect(error.message).toContain('2026-09-29');
    }
  });

  it('is accepted on the earliest date, Tuesday 09-29: 10 working days across National Day to Monday 10-19, with the commitment as worded', () => {
    const events = fileCase(repair(), given(...onList), at('2026-09-29T10:00'));
    expect(events).toEqual([repairFiled()]);
    expect(events[0]!.data.commitment!.text).toBe(`${policies.profileVersion('cn-2026', 1).repairCommitment.zh}\n${policies.profileVersion('cn-2026', 1).repairCommitment.en}`);
    expect(events[0]!.data).not.toHaveProperty('capDate');
    const state = given(...onList, ...events);
    expect(state).toMatchObject({ status: 'listed', underObjection: false, openCases: ['case_r'] });
    expect(caseOf(state, 'case_r')).toMatchObject({ status: 'open', level: 'agency', commitment: { acceptedAt: '2026-09-29T02:00:00.000Z' } });
  });

  it('is accepted from the first instant of 09-29 in Shanghai (16:00 UTC on 09-28)', () => {
    const [event] = fileCase(repair(), given(...onList), at('2026-09-29T00:00'));
    expect(event!.data).toMatchObject({ filedAt: '2026-09-28T16:00:00.000Z', deadline: '2026-10-19' });
  });

  it.each([
    ['without the commitment', { commitment: undefined }],
    ['with the commitment declined', { commitment: false }],
  ])('%s is refused, naming commitment', (_label, over) => {
    const error = refusal(() => fileCase(repair(over), given(...onList), at('2026-09-29T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'commitment', message: 'a repair application accepts the public credit commitment (commitment: true)' }]);
  });

  it.each([
    ['an objection', { kind: 'objection' as const, commitment: true }],
    ['a correction', { kind: 'correction' as const, commitment: true, requestedCorrection: { field: 'facts', value: 'Sold counterfeit goods after one warning' } }],
    ['an appeal', { kind: 'appeal' as const, commitment: false, appealOf: 'case_r' }],
  ])('the commitment on %s is refused, naming commitment', (_label, over) => {
    const error = refusal(() => fileCase(repair({ caseId: 'case_x', requestHash: 'hash-x', ...over }), given(...repairOpen, repairRejected), at('2026-10-12T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'commitment', message: 'only a repair application carries the credit commitment' }]);
  });

  it('a second repair while the first is open is refused (409), naming the open one; after a rejection a new one is accepted', () => {
    const error = refusal(() => fileCase(repair({ caseId: 'case_r2', requestHash: 'hash-r2' }), given(...repairOpen), at('2026-10-09T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ caseId: 'case_r' });
    // Filed Monday 10-12: 13, 14, 15, 16 (4), 19 … 23 (9), Mon 26 (10).
    const [again] = fileCase(repair({ caseId: 'case_r2', requestHash: 'hash-r2' }), given(...repairOpen, repairRejected), at('2026-10-12T10:00'));
    expect(again!.data).toMatchObject({ caseId: 'case_r2', kind: 'repair', deadline: '2026-10-26', deadlineAt: '2026-10-27T00:00:00.000+08:00' });
  });

  it('the same submission retried (same case id and request) decides nothing', () => {
    expect(fileCase(repair(), given(...repairOpen), at('2026-09-29T10:05'))).toEqual([]);
  });

  it('is refused on a proposed entry: repair takes a listed entry off the list', () => {
    const error = refusal(() => fileCase(repair(), given(proposal()), at('2026-06-05T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ status: 'proposed' });
  });

  it('is refused on a delisted entry', () => {
    const delisted: EntryEvent = { type: 'EntryDelisted', data: { at: '2026-09-30T02:00:00.000Z', reason: 'objection-upheld', caseId: 'case_o' } };
    const error = refusal(() => fileCase(repair(), given(...onList, delisted), at('2026-10-12T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ status: 'delisted' });
  });

  it('is refused for a minor penalty, whose list type has no repair', () => {
    const error = refusal(() => fileCase(repair({ subjectId: company.id }), given(...minorOnList), at('2026-08-03T10:00')));
    expect(error.code).toBe('RULE_REFUSED');
    expect(error.details).toEqual({ listType: 'penalty-minor' });
    expect(error.message).toContain('not repaired');
  });

  it('a judgment defaulter may apply on the day of listing (Saturday 10-10, a make-up working day): 3 working days to Wednesday 10-14', () => {
    // Filed 10-10 10:00: Mon 10-12 (1), 13 (2), 14 (3).
    const events = fileCase(repair({ caseId: 'case_j', subjectId: person.id, requestHash: 'hash-j' }), given(defaulterProposal, defaulterListed), at('2026-10-10T10:00'));
    expect(events).toEqual([{
      type: 'CaseFiled',
      data: {
        caseId: 'case_j',
        entryId: 'ent_jd',
        kind: 'repair',
        level: 'agency',
        subjectId: person.id,
        agencyId: '310000-court-1st-intermediate',
        provinceCode: '310000',
        grounds: 'The fine is paid and the counterfeit stock destroyed',
        evidence: receipts,
        commitment: { text: commitmentText('spc-2017'), acceptedAt: '2026-10-10T02:00:00.000Z' },
        policy: { profileId: 'spc-2017', version: 1 },
        filedAt: '2026-10-10T02:00:00.000Z',
        clockStartedAt: '2026-10-10T02:00:00.000Z',
        deadline: '2026-10-14',
        deadlineAt: '2026-10-15T00:00:00.000+08:00',
        deadlineProvisional: false,
        requestHash: 'hash-j',
      },
    }]);
  });
});

describe('DecideCase: repair', () => {
  it('approved: CaseDecided with the certificate, then EntryDelisted (repaired); the entry is off the list and the case carries the certificate', () => {
    const events = decideCase(decision('case_r', 'upheld', { certificateCode: CODE }), given(...repairOpen), at('2026-10-09T10:00'));
    expect(events).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_r', at: decidedAt, outcome: 'upheld', reasons: 'Checked the receipts against the file', by: 'rev_a', level: 'agency', certificate: CODE } },
      { type: 'EntryDelisted', data: { at: decidedAt, reason: 'repaired', caseId: 'case_r' } },
    ]);
    const state = given(...repairOpen, ...events);
    expect(state).toMatchObject({ status: 'delisted', delistReason: 'repaired', delistedAt: decidedAt, openCases: [] });
    expect(caseOf(state, 'case_r').decision).toEqual({ outcome: 'upheld', reasons: 'Checked the receipts against the file', by: 'rev_a', level: 'agency', decidedAt, certificate: CODE });
  });

  it('partners hear of the repair as entry.delisted', () => {
    const events = decideCase(decision('case_r', 'upheld', { certificateCode: CODE }), given(...repairOpen), at('2026-10-09T10:00'));
    // The proposal, listing and filing are seq 1–3; the decision and the delisting 4 and 5.
    const trail = chainEvents('ent_sd', { seq: 3, hash: GENESIS_HASH }, events, { role: 'reviewer', id: 'rev_a' }, decidedAt);
    expect(partnerEventsOf(given(...repairOpen, ...events), trail)).toEqual([
      { eventId: 'ent_sd:5', type: 'entry.delisted', entryId: 'ent_sd', subjectId: company.id, listType: 'serious-dishonesty', at: decidedAt },
    ]);
  });

  it('approving without a certificate code is a programming error of the caller, not a refusal', () => {
    expect(() => decideCase(decision('case_r', 'upheld'), given(...repairOpen), at('2026-10-09T10:00'))).toThrow('An approved repair needs a certificate code from the caller');
  });

  it('is not approved in part: partially-upheld is refused, naming outcome', () => {
    const error = refusal(() => decideCase(decision('case_r', 'partially-upheld'), given(...repairOpen), at('2026-10-09T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'outcome', message: 'a repair is upheld (approved) or rejected' }]);
  });

  it.each([
    ['without missing', {}],
    ['with an empty missing', { missing: [] }],
  ])('a rejection %s is refused, naming missing', (_label, over) => {
    const error = refusal(() => decideCase(decision('case_r', 'rejected', over), given(...repairOpen), at('2026-10-09T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'missing', message: 'a rejected repair lists what the subject still has to put right' }]);
  });

  it('rejected with what is missing: CaseDecided with missing, nothing else; the entry stays listed', () => {
    const events = decideCase(decision('case_r', 'rejected', { missing }), given(...repairOpen), at('2026-10-09T10:00'));
    expect(events).toEqual([repairRejected]);
    const state = given(...repairOpen, ...events);
    expect(state).toMatchObject({ status: 'listed', openCases: [] });
    expect(caseOf(state, 'case_r').decision).toMatchObject({ outcome: 'rejected', missing });
    expect(caseOf(state, 'case_r').decision).not.toHaveProperty('certificate');
  });

  it('missing is refused on an approved repair and on an objection decision', () => {
    const onApproval = refusal(() => decideCase(decision('case_r', 'upheld', { missing, certificateCode: CODE }), given(...repairOpen), at('2026-10-09T10:00')));
    expect(onApproval.code).toBe('VALIDATION_FAILED');
    expect(onApproval.details.errors).toEqual([{ path: 'missing', message: 'only a rejected repair lists what is still missing' }]);
    // Objection filed Wednesday 09-23 10:00: 5 working days to Thursday 10-08.
    const objection: CaseFiled = { type: 'CaseFiled', data: { ...repairFiled().data, caseId: 'case_o', kind: 'objection', grounds: 'The decision was annulled', commitment: undefined, filedAt: '2026-09-23T02:00:00.000Z', clockStartedAt: '2026-09-23T02:00:00.000Z', deadline: '2026-10-08', deadlineAt: '2026-10-09T00:00:00.000+08:00', capDate: '2026-10-28', requestHash: 'hash-o' } };
    const onObjection = refusal(() => decideCase(decision('case_o', 'rejected', { missing }), given(...onList, objection), at('2026-09-30T10:00')));
    expect(onObjection.code).toBe('VALIDATION_FAILED');
    expect(onObjection.details.errors).toEqual([{ path: 'missing', message: 'only a rejected repair lists what is still missing' }]);
  });

  it('a correction with a repair decision is refused, naming correction', () => {
    const facts = { field: 'facts', value: 'Sold counterfeit goods after one warning' };
    const error = refusal(() => decideCase(decision('case_r', 'upheld', { certificateCode: CODE, correction: facts }), given(...repairOpen), at('2026-10-09T10:00')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'correction', message: 'an upheld repair takes the entry off the list; a correction goes with a correction request, or with a partly upheld case' }]);
  });
});

describe('Appeal against a rejected repair', () => {
  const rejected = [...repairOpen, repairRejected];
  /**
   * Appeal filed Monday 10-12 10:00 against the rejection of Friday 10-09 (window: 10 calendar days, to Monday 10-19).
   * Provincial review, 15 calendar days: Tuesday 10-27.
   */
  const appealFiled: CaseFiled = {
    type: 'CaseFiled',
    data: {
      caseId: 'case_ap',
      entryId: 'ent_sd',
      kind: 'appeal',
      level: 'province',
      subjectId: company.id,
      agencyId: '310000-samr',
      provinceCode: '310000',
      grounds: 'Both items were in the file',
      evidence: receipts,
      appealOf: 'case_r',
      policy: { profileId: 'cn-2026', version: 1 },
      filedAt: '2026-10-12T02:00:00.000Z',
      clockStartedAt: '2026-10-12T02:00:00.000Z',
      deadline: '2026-10-27',
      deadlineAt: '2026-10-28T00:00:00.000+08:00',
      deadlineProvisional: false,
      requestHash: 'hash-ap',
    },
  };
  const appealOpen = [...rejected, appealFiled];
  const appealDecidedAt = '2026-10-16T02:00:00.000Z';

  it('goes to the province with 15 calendar days, carrying no commitment of its own', () => {
    const cmd: FileCase = { caseId: 'case_ap', kind: 'appeal', subjectId: company.id, grounds: 'Both items were in the file', evidence: receipts, appealOf: 'case_r', requestHash: 'hash-ap' };
    expect(fileCase(cmd, given(...rejected), at('2026-10-12T10:00'))).toEqual([appealFiled]);
  });

  it('upheld by the province with a certificate code: the repair remedy, EntryDelisted (repaired), and the certificate on the appeal decision', () => {
    expect(refusal(() => decideCase(decision('case_ap', 'upheld', { certificateCode: CODE }), given(...appealOpen), at('2026-10-16T10:00'))).code).toBe('INVALID_STATE');
    const events = decideCase(decision('case_ap', 'upheld', { certificateCode: CODE }, 'prov_1', 'province'), given(...appealOpen), at('2026-10-16T10:00'));
    expect(events).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_ap', at: appealDecidedAt, outcome: 'upheld', reasons: 'Checked the receipts against the file', by: 'prov_1', level: 'province', certificate: CODE } },
      { type: 'EntryDelisted', data: { at: appealDecidedAt, reason: 'repaired', caseId: 'case_ap' } },
    ]);
    const state = given(...appealOpen, ...events);
    expect(state).toMatchObject({ status: 'delisted', delistReason: 'repaired', openCases: [] });
    expect(caseOf(state, 'case_ap').decision).toMatchObject({ outcome: 'upheld', level: 'province', certificate: CODE });
    expect(caseOf(state, 'case_r').decision).not.toHaveProperty('certificate');
  });

  it('rejected by the province: not approved in part, and no list of what is missing required', () => {
    const partly = refusal(() => decideCase(decision('case_ap', 'partially-upheld', {}, 'prov_1', 'province'), given(...appealOpen), at('2026-10-16T10:00')));
    expect(partly.details.errors).toEqual([{ path: 'outcome', message: 'a repair is upheld (approved) or rejected' }]);
    expect(decideCase(decision('case_ap', 'rejected', {}, 'prov_1', 'province'), given(...appealOpen), at('2026-10-16T10:00'))).toEqual([
      { type: 'CaseDecided', data: { caseId: 'case_ap', at: appealDecidedAt, outcome: 'rejected', reasons: 'Checked the receipts against the file', by: 'prov_1', level: 'province' } },
    ]);
  });
});

describe('RevokeListing', () => {
  const revocation = { revokedBy: '(2026)沪01行终12号', note: 'The court annulled the penalty decision', by: 'off_1' };

  it('takes a listed entry off at once: EntryDelisted (revoked) naming the revoking decision, the note and the officer', () => {
    const events = revokeListing(revocation, given(...onList), at('2026-07-01T10:00'));
    expect(events).toEqual([{ type: 'EntryDelisted', data: { at: '2026-07-01T02:00:00.000Z', reason: 'revoked', revokedBy: revocation.revokedBy, note: revocation.note, by: 'off_1' } }]);
    expect(given(...onList, ...events)).toMatchObject({ status: 'delisted', delistReason: 'revoked', delistedAt: '2026-07-01T02:00:00.000Z', revokedBy: revocation.revokedBy });
  });

  it('withdraws a proposal before publication: ListingWithdrawn with revokedBy; the entry is withdrawn', () => {
    const events = revokeListing(revocation, given(proposal()), at('2026-06-05T10:00'));
    expect(events).toEqual([{ type: 'ListingWithdrawn', data: { at: '2026-06-05T02:00:00.000Z', revokedBy: revocation.revokedBy, note: revocation.note, by: 'off_1' } }]);
    const state = given(proposal(), ...events);
    expect(state).toMatchObject({ status: 'withdrawn', withdrawnAt: '2026-06-05T02:00:00.000Z', revokedBy: revocation.revokedBy });
    // The proposal is never listed after it.
    expect(listEntry(state, at('2026-06-16T00:00'))).toEqual([]);
  });

  it('run twice: revoking again changes nothing, listed or proposed', () => {
    const delisted = [...onList, ...revokeListing(revocation, given(...onList), at('2026-07-01T10:00'))];
    expect(revokeListing(revocation, given(...delisted), at('2026-07-01T10:05'))).toEqual([]);
    const withdrawn = [proposal(), ...revokeListing(revocation, given(proposal()), at('2026-06-05T10:00'))];
    expect(revokeListing(revocation, given(...withdrawn), at('2026-06-05T10:05'))).toEqual([]);
  });

  it('an entry already off the list for another reason (expired) is not revoked: 409', () => {
    const expired: EntryEvent = { type: 'EntryDelisted', data: { at: '2028-09-25T16:00:00.000Z', reason: 'expired' } };
    const error = refusal(() => revokeListing(revocation, given(...onList, expired), at('2028-10-09T10:00')));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ status: 'delisted' });
  });
});

describe('certificateCodeFrom', () => {
  /** Crockford's base32, written out: the digits, then A–Z without I, L, O and U. */
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

  it('12 bytes make RC-XXXX-XXXX-XXXX, 5 bits a character', () => {
    expect(certificateCodeFrom(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toBe('RC-0123-4567-89AB');
    // 17 → H, 18 → J (I left out), 20 → M (L left out), 22 → P (O left out), 27 → V (U left out), 31 → Z; then 32, 255, 224, 50, 19, 21 mod 32 are 0, 31, 0, 18, 19, 21: 0, Z, 0, J, K, N.
    expect(certificateCodeFrom(Uint8Array.from([17, 18, 20, 22, 27, 31, 32, 255, 224, 50, 19, 21]))).toBe('RC-HJMP-VZ0Z-0JKN');
  });

  it('every code matches CERTIFICATE_CODE and never contains I, L, O or U', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let offset = 0; offset + 12 <= all.length; offset++) {
      const code = certificateCodeFrom(all.subarray(offset, offset + 12));
      expect(code).toMatch(CERTIFICATE_CODE);
      expect(code).not.toMatch(/[ILOU]/);
    }
  });

  it('all 256 byte values map into the alphabet, each character from exactly 8 of them (no bias)', () => {
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const code = certificateCodeFrom(new Uint8Array(12).fill(b));
      expect(code).toMatch(CERTIFICATE_CODE);
      const ch = code[3]!;
      expect(code).toBe(`RC-${ch.repeat(4)}-${ch.repeat(4)}-${ch.repeat(4)}`);
      expect(CROCKFORD).toContain(ch);
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect([...counts.keys()].sort().join('')).toBe(CROCKFORD);
    expect([...counts.values()].every((n) => n === 8)).toBe(true);
  });

  it('uses the first 12 bytes of a longer buffer', () => {
    const bytes = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(certificateCodeFrom(bytes)).toBe('RC-0123-4567-89AB');
  });

  it('fewer than 12 bytes: RangeError', () => {
    expect(() => certificateCodeFrom(new Uint8Array(11))).toThrow(RangeError);
    expect(() => certificateCodeFrom(new Uint8Array(0))).toThrow(RangeError);
  });
});
