import * as z from 'zod';
import { checkIdentifier } from '../domain/identifiers.js';
import { isoDateSchema, text } from './common.js';

export const subjectSchema = z
  .object({
    id: z.string().trim().min(1, 'must not be empty').max(18, 'at most 18 characters').transform((s) => s.toUpperCase()),
    kind: z.enum(['person', 'organization']),
    name: text(200),
    email: z.email('not an email address').max(254).optional(),
    mobile: z.string().regex(/^1[3-9]\d{9}$/, 'expected an 11-digit mainland mobile number').optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    // Resident identity numbers (GB 11643) for people, unified social credit codes (GB 32100) for organisations.
    const check = checkIdentifier(s.kind, s.id);
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['id'], message: check.reason });
  });

export const proposeListingSchema = z
  .object({
    subject: subjectSchema,
    listType: z.string().max(64),
    facts: text(5000),
    legalBasis: text(1000),
    measures: z.array(text(500)).min(1, 'name at least one measure').max(30),
    decisionRef: text(200),
    decisionDate: isoDateSchema,
    /** Deferral of publication after the notice, where the list type allows it (judgment defaulters: 1-3 months). */
    gracePeriod: z.object({ unit: z.enum(['calendarDays', 'workingDays', 'months', 'years']), value: z.number().int().min(1).max(36) }).strict().optional(),
  })
  .strict();
export type ProposeListingBody = z.infer<typeof proposeListingSchema>;

export const entrySchema = z.object({
  entryId: z.string(),
  status: z.enum(['proposed', 'listed', 'withdrawn', 'delisted']),
  subject: z.object({ id: z.string(), kind: z.enum(['person', 'organization']), name: z.string(), email: z.string().optional(), mobile: z.string().optional() }),
  listType: z.string(),
  agencyId: z.string(),
  provinceCode: z.string(),
  facts: z.string(),
  legalBasis: z.string(),
  measures: z.array(z.string()),
  decisionRef: z.string(),
  decisionDate: z.string(),
  policy: z.object({ profileId: z.string(), version: z.number() }),
  representationDeadline: z.string(),
  representationDeadlineAt: z.string(),
  deadlineProvisional: z.boolean(),
  listedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  earliestRepairDate: z.string().optional(),
  underObjection: z.boolean(),
  delistedAt: z.string().optional(),
  delistReason: z.enum(['expired', 'repaired', 'objection-upheld', 'corrected-out', 'revoked']).optional(),
  revokedBy: z.string().optional().describe('the reference of the decision that revoked the listing decision'),
  openCases: z.array(z.string()),
  published: z.boolean(),
  listingDueAt: z.string(),
  withdrawnAt: z.string().optional(),
  extensions: z.array(z.object({ extension: z.object({ unit: z.string(), value: z.number() }), reason: z.string(), by: z.string(), at: z.string() })),
  cases: z.array(z.object({ caseId: z.string(), kind: z.string(), status: z.string(), deadline: z.string() })),
  actions: z
    .array(
      z.object({
        kind: z.string(),
        appealOf: z.string().optional(),
        open: z.boolean(),
        until: z.string().optional().describe('open: the last day it can be filed, where there is one'),
        because: z.object({ code: z.enum(['NOT_YET', 'WINDOW_CLOSED', 'NEEDS_LISTING', 'ALREADY_OPEN', 'NOT_AVAILABLE']), from: z.string().optional(), closedOn: z.string().optional(), status: z.string().optional(), caseId: z.string().optional(), message: z.string().optional() }).optional(),
      }),
    )
    .optional()
    .describe('to the subject only: what they can file on the entry now, and for what is not open, why and from when'),
});

export const entryIdParams = z.object({ entryId: z.string().regex(/^ent_[0-9A-Z]{26}$/, 'not an entry id') });

export const extendListingSchema = z
  .object({
    extension: z.object({ unit: z.enum(['calendarDays', 'workingDays', 'months', 'years']), value: z.number().int().min(1).max(10) }).strict(),
    reason: text(2000),
  })
  .strict();

export const revokeListingSchema = z
  .object({
    revokedBy: text(200).describe('reference of the revoking decision, e.g. (2026)沪01行终12号'),
    note: text(2000),
  })
  .strict();

/** What anyone may see of a listed entry: the subject id masked, no contacts. */
export const publicEntrySchema = z.object({
  entryId: z.string(),
  status: z.literal('listed'),
  subject: z.object({ id: z.string(), kind: z.enum(['person', 'organization']), name: z.string() }),
  listType: z.string(),
  agencyId: z.string(),
  facts: z.string(),
  legalBasis: z.string(),
  measures: z.array(z.string()),
  decisionRef: z.string(),
  listedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  underObjection: z.boolean(),
});

export const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ role: z.string(), id: z.string() }),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export const verifyResultSchema = z.object({
  ok: z.boolean(),
  length: z.number().int(),
  headHash: z.string(),
  firstBadSeq: z.number().int().optional(),
  reason: z.string().optional(),
});

export const batchIdParams = z.object({ batchId: z.string().regex(/^bat_[0-9A-Z]{26}$/, 'not a batch id') });
export const batchPageQuery = z.object({ fromLine: z.coerce.number().int().min(1).max(10_000_000).optional().describe('the first line whose outcome is shown; the page holds 1,000 lines') }).strict();

const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });

export const batchSchema = z.object({
  batchId: z.string(),
  status: z.enum(['processing', 'completed', 'failed']),
  agencyId: z.string(),
  submittedAt: z.string(),
  finishedAt: z.string().optional(),
  failure: z.string().optional().describe('why a failed batch stopped; the lines done stay done'),
  lines: z.number().int().describe('proposals in the upload (non-blank lines)'),
  blankLines: z.number().int(),
  processed: z.number().int().describe('lines proposed or refused so far'),
  proposed: z.number().int(),
  refused: z.number().int(),
  progress: z.number().describe('processed ÷ lines, 0..1, rounded down'),
  page: z.object({ fromLine: z.number().int(), toLine: z.number().int(), nextFromLine: z.number().int().optional() }).describe('the lines whose outcomes are shown; nextFromLine pages on'),
  entries: z.array(z.object({ line: z.number().int(), entryId: z.string() })).describe('each proposed line and the entry it made, in line order'),
  errors: z
    .array(z.object({ line: z.number().int(), status: z.number().int(), detail: z.string(), errors: z.array(fieldErrorSchema).optional(), moreErrors: z.number().int().optional().describe('field errors beyond the first 8, counted only') }))
    .describe('each refused line: the status POST /v1/listings would have answered, and each bad field'),
});
