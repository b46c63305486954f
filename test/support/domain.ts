import { WorkingDayCalendar } from '../../shared/calendar/index.js';
import { evolve, type DecideContext, type EntryEvent, type EntryState, type ListingProposed, type ProposalData } from '../../shared/domain/entry.js';
import { DEFAULT_CATALOGUE } from '../../shared/policy/catalogue.js';
import { PolicyBook } from '../../shared/policy/policy-book.js';

/** The default catalogue and the official calendar, as domain tests decide against them. */
export const policies = new PolicyBook(DEFAULT_CATALOGUE);
export const calendar = new WorkingDayCalendar();

/** A decision context at a wall-clock time in Shanghai, e.g. '2026-09-23T10:00'. */
export const at = (shanghai: string): DecideContext => ({ policies, calendar, now: new Date(`${shanghai}+08:00`) });

/** Given: the state folded from the entry's events. */
export const given = (...events: EntryEvent[]): EntryState => {
  const state = events.reduce<EntryState | undefined>(evolve, undefined);
  if (!state) throw new Error('given() needs at least one event');
  return state;
};

/** A case of the state, by id (the domain's own look-up). */
export { requireCase as caseOf } from '../../shared/domain/entry.js';

/** A company with a valid unified social credit code (GB 32100). */
export const company = { id: '91310000MA1FL0000N', kind: 'organization' as const, name: '上海某某贸易有限公司', email: 'legal@example.cn' };

/**
 * Serious dishonesty, decision of Thursday 2025-02-20, notice served Thursday 2026-02-12 10:00.
 * Window of 10 working days: 02-13, Sat 02-14 (make-up), 02-24, 25, 26, 27, Sat 02-28 (make-up), 03-02, 03, 04.
 */
export const proposal = (over: Partial<ProposalData> = {}): ListingProposed => ({
  type: 'ListingProposed',
  data: {
    entryId: 'ent_sd',
    subject: company,
    listType: 'serious-dishonesty',
    agencyId: '310000-samr',
    provinceCode: '310000',
    facts: 'Sold counterfeit goods after two warnings',
    legalBasis: 'Product Quality Law Art. 50',
    measures: ['No government procurement'],
    decisionRef: '沪市监罚〔2025〕7号',
    decisionDate: '2025-02-20',
    policy: { profileId: 'cn-2026', version: 1 },
    published: true,
    proposedAt: '2026-02-12T02:00:00.000Z',
    representationDeadline: '2026-03-04',
    representationDeadlineAt: '2026-03-05T00:00:00.000+08:00',
    deadlineProvisional: false,
    listingDueAt: '2026-03-05T00:00:00.000+08:00',
    ...over,
  },
});
