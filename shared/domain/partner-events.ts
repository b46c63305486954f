import type { AuditEvent } from '../audit/hash-chain.js';
import type { EntryState } from './entry-state.js';

export type PartnerEventType = 'entry.listed' | 'entry.delisted' | 'entry.corrected';

/** What a joint-enforcement partner receives (API.md, partners): enough to apply or lift a restriction. */
export interface PartnerEvent {
  eventId: string;
  type: PartnerEventType;
  entryId: string;
  subjectId: string;
  listType: string;
  at: string;
}

const PARTNER_TYPES: Partial<Record<string, PartnerEventType>> = {
  EntryListed: 'entry.listed',
  EntryDelisted: 'entry.delisted',
  EntryCorrected: 'entry.corrected',
};

/**
 * The partner events a commit carries, derived from its audit events, so
 * they are written in the same put as the change itself: no change without
 * its event. Ids follow the trail (entry and seq), so they are stable and
 * ordered per entry. Entries of unpublished list types concern no partner.
 */
export function partnerEventsOf(state: EntryState, events: AuditEvent[]): PartnerEvent[] {
  if (!state.published) return [];
  return events.flatMap((e) => {
    const type = PARTNER_TYPES[e.type];
    return type ? [{ eventId: `${e.entryId}:${e.seq}`, type, entryId: e.entryId, subjectId: state.subject.id, listType: state.listType, at: e.at }] : [];
  });
}
