import { describe, expect, it } from 'vitest';
import { decideCase, fileCase, subjectActions, type EntryEvent, type EntryListed } from '../../shared/domain/entry.js';
import { at, company, given, proposal } from '../support/domain.js';

// What a listed party may file now, asked of the same rules a filing meets.
// The shared proposal: notice served Thursday 2026-02-12, representations until 24:00 on Wednesday 03-04.
// Listed at 00:00 on Thursday 03-05; repair possible from 2026-06-05 (given here, as the listing decided it).
const listed: EntryListed = { type: 'EntryListed', data: { listedAt: '2026-03-04T16:00:00.000Z', expiresAt: '2029-02-20T16:00:00.000Z', earliestRepairDate: '2026-06-05', expiryProvisional: false } };
const byKind = (actions: ReturnType<typeof subjectActions>) => Object.fromEntries(actions.filter((a) => !a.appealOf).map((a) => [a.kind, a]));

describe('subjectActions', () => {
  it('before listing: a representation until the window closes; disputes and repair wait for the listing', () => {
    const actions = byKind(subjectActions(given(proposal()), company.id, at('2026-02-20T10:00')));
    expect(actions.representation).toEqual({ kind: 'representation', open: true, until: '2026-03-04' });
    for (const kind of ['objection', 'correction', 'repair']) expect(actions[kind]).toMatchObject({ open: false, because: { code: 'NEEDS_LISTING' } });
  });

  it('after the window, a representation says when it closed', () => {
    const actions = byKind(subjectActions(given(proposal()), company.id, at('2026-03-04T23:59')));
    expect(actions.representation).toEqual({ kind: 'representation', open: true, until: '2026-03-04' });
    const late = byKind(subjectActions(given(proposal(), listed), company.id, at('2026-03-05T09:00')));
    expect(late.representation).toMatchObject({ open: false, because: { code: 'WINDOW_CLOSED', closedOn: '2026-03-04' } });
  });

  it('listed: objection and correction are open; repair says from when', () => {
    const actions = byKind(subjectActions(given(proposal(), listed), company.id, at('2026-03-10T10:00')));
    expect(actions.objection).toEqual({ kind: 'objection', open: true });
    expect(actions.correction).toEqual({ kind: 'correction', open: true });
    expect(actions.repair).toEqual({ kind: 'repair', open: false, because: { code: 'NOT_YET', from: '2026-06-05' } });
    expect(byKind(subjectActions(given(proposal(), listed), company.id, at('2026-06-05T00:00'))).repair).toEqual({ kind: 'repair', open: true });
  });

  it('an open objection closes a second one, naming it; a rejected one is appealable until its window closes', () => {
    const ctx = at('2026-03-10T10:00');
    const events: EntryEvent[] = [proposal(), listed];
    events.push(...fileCase({ caseId: 'cas_1', kind: 'objection', subjectId: company.id, grounds: 'Paid in full', evidence: [] }, given(...events), ctx));
    expect(byKind(subjectActions(given(...events), company.id, ctx)).objection).toEqual({ kind: 'objection', open: false, because: { code: 'ALREADY_OPEN', caseId: 'cas_1' } });

    const decidedAt = at('2026-03-12T10:00');
    events.push(...decideCase({ caseId: 'cas_1', outcome: 'rejected', reasons: 'Not paid', by: 'rev', level: 'agency' }, given(...events), decidedAt));
    const appeal = subjectActions(given(...events), company.id, decidedAt).find((a) => a.appealOf === 'cas_1');
    // The appeal window (10 calendar days, not counting the decision day): 03-13 … 03-22, a Sunday, moved to Monday 03-23.
    expect(appeal).toEqual({ kind: 'appeal', appealOf: 'cas_1', open: true, until: '2026-03-23' });
    expect(subjectActions(given(...events), company.id, at('2026-03-24T00:00')).find((a) => a.appealOf === 'cas_1')).toEqual({ kind: 'appeal', appealOf: 'cas_1', open: false, because: { code: 'WINDOW_CLOSED', closedOn: '2026-03-23' } });
  });

  it('offers nothing on another subject\'s cases', () => {
    const ctx = at('2026-03-10T10:00');
    const events: EntryEvent[] = [proposal(), listed];
    events.push(...fileCase({ caseId: 'cas_1', kind: 'objection', subjectId: company.id, grounds: 'Paid', evidence: [] }, given(...events), ctx));
    events.push(...decideCase({ caseId: 'cas_1', outcome: 'rejected', reasons: 'Not paid', by: 'rev', level: 'agency' }, given(...events), ctx));
    expect(subjectActions(given(...events), '110105194912310029', ctx).filter((a) => a.appealOf)).toEqual([]);
  });
});
