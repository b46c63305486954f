import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal.js';
import { proposeListing as decide, evolve, type ProposeListing } from '../../shared/domain/entry.js';
import { policies, calendar } from '../support/domain.js';


const propose = (over: Partial<ProposeListing> = {}): ProposeListing => ({
  entryId: 'ent_1',
  agencyId: '310000-samr',
  subject: { id: '11010519491231002X', kind: 'person', name: '张三', mobile: '13800138000' },
  listType: 'serious-dishonesty',
  facts: 'Failed to pay wages for six months',
  legalBasis: 'Labour Contract Law Art. 85',
  measures: ['No government procurement'],
  decisionRef: '沪市监罚〔2026〕1号',
  decisionDate: '2026-09-01',
  ...over,
});


describe('ProposeListing', () => {
  it('counts the representation window in working days from the day after service (POLICY.md example: 2026-09-18 → 2026-10-09)', () => {
    // Friday 2026-09-18, 10:00 in Shanghai.
    const [event] = decide(propose(), undefined, { policies, calendar, now: new Date('2026-09-18T02:00:00Z') });
    expect(event!.type).toBe('ListingProposed');
    expect(event!.data.representationDeadline).toBe('2026-10-09');
    expect(event!.data.representationDeadlineAt).toBe('2026-10-10T00:00:00.000+08:00');
    expect(event!.data.policy).toEqual({ profileId: 'cn-2026', version: 1 });
    expect(event!.data.provinceCode).toBe('310000');
  });

  it('uses the Shanghai date of the instant: 23:30 UTC on the 17th is already the 18th in Shanghai', () => {
    const [event] = decide(propose(), undefined, { policies, calendar, now: new Date('2026-09-17T23:30:00Z') });
    expect(event!.data.representationDeadline).toBe('2026-10-09');
  });

  it('marks a deadline computed on the provisional calendar', () => {
    const [event] = decide(propose({ decisionDate: '2027-12-01' }), undefined, { policies, calendar, now: new Date('2027-12-20T02:00:00Z') });
    expect(event!.data.deadlineProvisional).toBe(true);
  });

  it('folds into a proposed entry, not under objection, with no open cases', () => {
    const events = decide(propose(), undefined, { policies, calendar, now: new Date('2026-09-18T02:00:00Z') });
    const state = events.reduce(evolve, undefined as never);
    expect(state).toMatchObject({ entryId: 'ent_1', status: 'proposed', underObjection: false, openCases: [], listType: 'serious-dishonesty' });
  });

  it('refuses an agency not entitled to the list type as a bad listType (400 naming the field)', () => {
    const error = refusal(() => decide(propose({ agencyId: '310000-pudong-samr' }), undefined, { policies, calendar, now: new Date('2026-09-18T02:00:00Z') }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors?.[0]?.path).toBe('listType');
  });

  it('lets only a court propose a judgment defaulter', () => {
    const now = new Date('2026-09-18T02:00:00Z');
    expect(refusal(() => decide(propose({ listType: 'judgment-defaulters' }), undefined, { policies, calendar, now })).code).toBe('VALIDATION_FAILED');
    const [event] = decide(propose({ listType: 'judgment-defaulters', agencyId: '310000-court-1st-intermediate' }), undefined, { policies, calendar, now });
    expect(event!.data.policy.profileId).toBe('spc-2017');
  });

  it('refuses a decision dated in the future, naming the field', () => {
    const error = refusal(() => decide(propose({ decisionDate: '2026-09-19' }), undefined, { policies, calendar, now: new Date('2026-09-18T02:00:00Z') }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.errors).toEqual([{ path: 'decisionDate', message: 'must be on or before 2026-09-18' }]);
  });

  it('refuses an unknown list type, naming the field', () => {
    const error = refusal(() => decide(propose({ listType: 'no-such-list' }), undefined, { policies, calendar, now: new Date('2026-09-18T02:00:00Z') }));
    expect(error.details.errors?.[0]?.path).toBe('listType');
  });

  it('refuses to propose an entry that already exists', () => {
    const now = new Date('2026-09-18T02:00:00Z');
    const state = decide(propose(), undefined, { policies, calendar, now }).reduce(evolve, undefined as never);
    expect(refusal(() => decide(propose(), state, { policies, calendar, now })).code).toBe('INVALID_STATE');
  });
});
