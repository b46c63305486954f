import * as z from 'zod';
import { text } from './common.js';
import { evidenceContentTypeSchema, sha256HexSchema } from './evidence.js';
import { CERTIFICATE_CODE } from '../domain/identifiers.js';

export const caseKinds = ['representation', 'objection', 'correction', 'repair', 'appeal'] as const;

/** A file a case names: uploaded before (POST /v1/evidence) and known by its digest. */
export const evidenceSchema = z
  .object({
    name: text(200),
    contentType: evidenceContentTypeSchema,
    sha256: sha256HexSchema,
  })
  .strict();

export const fileCaseSchema = z
  .object({
    kind: z.enum(caseKinds),
    entryId: z.string().regex(/^ent_[0-9A-Z]{26}$/, 'not an entry id'),
    grounds: text(10000),
    requestedCorrection: z.object({ field: text(100), value: text(2000) }).strict().optional(),
    evidence: z.array(evidenceSchema).max(10, 'at most 10 files per case').default([]),
    appealOf: z.string().regex(/^cas_[0-9A-Z]{26}$/, 'not a case id').optional(),
    commitment: z.boolean().optional().describe('repair only: the applicant accepts the public credit commitment'),
  })
  .strict();

export const supplementSchema = z
  .object({
    text: text(10000),
    evidence: z.array(evidenceSchema).max(10, 'at most 10 files per supplement').default([]),
  })
  .strict();

export const requestInfoSchema = z
  .object({
    questions: z.array(text(2000)).min(1, 'list everything missing, at least one item').max(30, 'at most 30 items'),
  })
  .strict();

export const extendSchema = z
  .object({
    reason: text(2000),
    workingDays: z.number().int('a whole number of working days').min(1, 'at least 1'),
  })
  .strict();

export const decisionSchema = z
  .object({
    outcome: z.enum(['upheld', 'rejected', 'partially-upheld']),
    reasons: text(10000),
    correction: z.object({ field: text(100), value: text(2000) }).strict().optional(),
    missing: z.array(text(2000)).min(1).max(30).optional().describe('a rejected repair: what the subject still has to put right'),
  })
  .strict();

export const caseIdParams = z.object({ caseId: z.string().regex(/^cas_[0-9A-Z]{26}$/, 'not a case id') });

const timelineItem = z.object({ at: z.string(), type: z.string(), by: z.string().optional(), detail: z.string().optional() });

const correctionView = z.object({ field: z.string(), value: z.string() });
const evidenceView = z.object({ name: z.string(), contentType: z.string(), sha256: z.string() });

export const caseSchema = z.object({
  caseId: z.string(),
  entryId: z.string(),
  kind: z.enum(caseKinds),
  status: z.enum(['open', 'in-review', 'awaiting-info', 'escalated', 'decided', 'withdrawn', 'closed']),
  level: z.enum(['agency', 'province']),
  subjectId: z.string(),
  agencyId: z.string(),
  provinceCode: z.string(),
  grounds: z.string(),
  requestedCorrection: correctionView.optional(),
  appealOf: z.string().optional(),
  commitment: z.object({ text: z.string(), acceptedAt: z.string() }).optional(),
  evidence: z.array(evidenceView),
  filedAt: z.string(),
  deadline: z.string(),
  deadlineAt: z.string(),
  deadlineProvisional: z.boolean(),
  capDate: z.string().optional().describe('the latest date one extension may move the agency deadline to'),
  assignedTo: z.string().optional(),
  claimUntil: z.string().optional(),
  escalatedAt: z.string().optional(),
  overdue: z.boolean(),
  extension: z.object({ workingDays: z.number(), reason: z.string(), by: z.string(), at: z.string(), previousDeadline: z.string() }).optional(),
  infoRequest: z
    .object({ questions: z.array(z.string()), by: z.string(), at: z.string(), answerDue: z.string(), answerDueAt: z.string(), remaining: z.object({ unit: z.string(), value: z.number() }), resumedAt: z.string().optional(), resumedBy: z.enum(['supplement', 'no-answer']).optional() })
    .optional()
    .describe('the one request for material; the review clock stands still from `at` until `resumedAt`'),
  supplements: z.array(z.object({ at: z.string(), text: z.string(), evidence: z.array(evidenceView) })),
  withdrawnAt: z.string().optional(),
  decision: z
    .object({ outcome: z.string(), reasons: z.string(), by: z.string(), level: z.string(), decidedAt: z.string(), correction: correctionView.optional(), missing: z.array(z.string()).optional(), certificate: z.string().optional() })
    .optional(),
  appealClosesOn: z.string().optional().describe('after an agency decision: the last day to appeal it'),
  reconsiderationClosesOn: z.string().optional().describe('after a decision: the last day to apply for administrative reconsideration'),
  litigationClosesOn: z.string().optional().describe('after a decision: the last day to bring an administrative lawsuit'),
  workingDaysLeft: z.number().int().optional().describe('open cases: whole working days after today until the deadline; while paused, what was left when the clock stopped'),
  paused: z.boolean().optional().describe('open cases: the review clock stands still, waiting for the subject\'s material'),
  timeline: z.array(timelineItem),
});

/**
 * A case as a queue lists it: what triage needs, the subject's id masked. The
 * grounds, evidence and the rest are read on the case itself, where the read is
 * recorded in the entry's audit trail.
 */
export const queueItemSchema = caseSchema
  .pick({ caseId: true, entryId: true, kind: true, status: true, level: true, agencyId: true, provinceCode: true, filedAt: true, deadline: true, deadlineAt: true, deadlineProvisional: true, assignedTo: true, claimUntil: true, escalatedAt: true, overdue: true })
  .extend({
    entry: z.object({ entryId: z.string(), status: z.string(), listType: z.string(), subjectName: z.string(), subjectId: z.string().describe('masked') }),
    workingDaysLeft: z.number().int().describe('whole working days after today until the deadline; while paused, what was left when the clock stopped'),
    paused: z.boolean(),
  });

export const certificateCodeParams = z.object({ code: z.string().regex(CERTIFICATE_CODE, 'not a certificate code') });

/** What a third party learns from a repair certificate: that it is genuine, and only what identifies the repaired entry. */
export const certificateSchema = z.object({
  code: z.string(),
  valid: z.literal(true),
  subject: z.object({ id: z.string().describe('masked'), kind: z.string(), name: z.string() }),
  listType: z.string(),
  listTypeName: z.object({ zh: z.string(), en: z.string() }),
  agency: z.object({ zh: z.string(), en: z.string() }),
  decisionRef: z.string(),
  repairedOn: z.string(),
});
