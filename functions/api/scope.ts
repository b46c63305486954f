import type { Principal } from '../../shared/auth/principal.js';
import type { EntryState } from '../../shared/domain/entry.js';
import { maskSubjectId } from '../../shared/domain/identifiers.js';

/**
 * Whether a caller may see an entry at all. Out of scope reads answer 404,
 * so nobody learns that an entry they may not see exists.
 */
export function canSeeEntry(p: Principal, entry: EntryState): boolean {
  switch (p.role) {
    case 'subject':
      return p.subjectId === entry.subject.id;
    case 'agency-officer':
    case 'agency-reviewer':
      return p.agencyId === entry.agencyId;
    case 'auditor':
      return true;
    case 'provincial-reviewer':
      // Provincial reviewers see entries through cases escalated or appealed to their province.
      return false;
    case 'partner':
      return false;
    default: {
      const _exhaustive: never = p.role;
      return _exhaustive;
    }
  }
}

/** The public view of a listed entry: subject id masked, no contact details, no internal fields. */
export function publicView(e: EntryState) {
  return {
    entryId: e.entryId,
    status: 'listed' as const,
    subject: { id: maskSubjectId(e.subject.id), kind: e.subject.kind, name: e.subject.name },
    listType: e.listType,
    agencyId: e.agencyId,
    facts: e.facts,
    legalBasis: e.legalBasis,
    measures: e.measures,
    decisionRef: e.decisionRef,
    listedAt: e.listedAt,
    expiresAt: e.expiresAt,
    underObjection: e.underObjection,
  };
}
