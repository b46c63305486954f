import { describe, expect, it } from 'vitest';
import { evolve, recordView, VIEW_RECORD_SPAN_MS, type RecordViewed } from '../../shared/domain/entry.js';
import { given, proposal } from '../support/domain.js';

const reviewer = { role: 'agency-reviewer', id: 'agency-reviewer:310000-samr:li' };
const t0 = new Date('2026-09-23T02:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('RecordView', () => {
  it('records who read which part of the record, and when', () => {
    expect(recordView({ viewer: reviewer, what: 'evidence', caseId: 'cas_1', sha256: 'ab'.repeat(32) }, given(proposal()), t0)).toEqual([
      { type: 'RecordViewed', data: { by: reviewer.id, at: t0.toISOString(), what: 'evidence', caseId: 'cas_1', sha256: 'ab'.repeat(32) } },
    ]);
  });

  it('records the reads of every official: agency officers, both reviewers and auditors', () => {
    for (const role of ['agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor']) {
      expect(recordView({ viewer: { role, id: `${role}:x` }, what: 'entry' }, given(proposal()), t0), role).toHaveLength(1);
    }
  });

  it('does not record the subject reading their own record, nor anyone else', () => {
    for (const role of ['subject', 'partner', 'system']) {
      expect(recordView({ viewer: { role, id: `${role}:x` }, what: 'entry' }, given(proposal()), t0), role).toEqual([]);
    }
  });

  it('records the same read once within the span, and again after it', () => {
    const [first] = recordView({ viewer: reviewer, what: 'case', caseId: 'cas_1' }, given(proposal()), t0) as [RecordViewed];
    const state = given(proposal(), first);
    expect(recordView({ viewer: reviewer, what: 'case', caseId: 'cas_1' }, state, later(VIEW_RECORD_SPAN_MS - 1))).toEqual([]);
    expect(recordView({ viewer: reviewer, what: 'case', caseId: 'cas_1' }, state, later(VIEW_RECORD_SPAN_MS))).toHaveLength(1);
  });

  it('records another part, another case, another file or another viewer within the span', () => {
    const [first] = recordView({ viewer: reviewer, what: 'evidence', caseId: 'cas_1', sha256: 'a'.repeat(64) }, given(proposal()), t0) as [RecordViewed];
    const state = given(proposal(), first);
    const soon = later(1000);
    expect(recordView({ viewer: reviewer, what: 'evidence', caseId: 'cas_1', sha256: 'b'.repeat(64) }, state, soon)).toHaveLength(1);
    expect(recordView({ viewer: reviewer, what: 'evidence', caseId: 'cas_2', sha256: 'a'.repeat(64) }, state, soon)).toHaveLength(1);
    expect(recordView({ viewer: reviewer, what: 'case', caseId: 'cas_1' }, state, soon)).toHaveLength(1);
    expect(recordView({ viewer: { ...reviewer, id: 'agency-reviewer:310000-samr:wang' }, what: 'evidence', caseId: 'cas_1', sha256: 'a'.repeat(64) }, state, soon)).toHaveLength(1);
  });

  it('changes nothing of the entry but what it remembers of recent reads, and lets go of reads older than the span', () => {
    const before = given(proposal());
    const [first] = recordView({ viewer: reviewer, what: 'entry' }, before, t0) as [RecordViewed];
    const after = evolve(before, first);
    const { recentViews, ...rest } = after;
    expect(rest).toEqual(before);
    expect(Object.values(recentViews ?? {})).toEqual([t0.toISOString()]);
    const [next] = recordView({ viewer: reviewer, what: 'audit-trail' }, after, later(VIEW_RECORD_SPAN_MS)) as [RecordViewed];
    expect(Object.values(evolve(after, next).recentViews ?? {})).toEqual([later(VIEW_RECORD_SPAN_MS).toISOString()]);
  });
});
