import * as z from 'zod';
import { text } from './common.js';

export const caseKinds = ['representation', 'objection', 'correction', 'repair', 'appeal'] as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 digest as 64 lowercase hex characters');

export const evidenceSchema = z
  .object({
    name: text(200),
    contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png'], 'expected application/pdf, image/jpeg or image/png'),
    sha256: sha256Hex,
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
  })
  .strict();

export const decisionSchema = z
  .object({
    outcome: z.enum(['upheld', 'rejected', 'partially-upheld']),
    reasons: text(10000),
    correction: z.object({ field: text(100), value: text(2000) }).strict().optional(),
  })
  .strict();

export const caseIdParams = z.object({ caseId: z.string().regex(/^cas_[0-9A-Z]{26}$/, 'not a case id') });

const timelineItem = z.object({ at: z.string(), type: z.string(), by: z.string().optional(), detail: z.string().optional() });

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
  evidence: z.array(z.object({ name: z.string(), contentType: z.string(), sha256: z.string() })),
  filedAt: z.string(),
  deadline: z.string(),
  deadlineAt: z.string(),
  deadlineProvisional: z.boolean(),
  assignedTo: z.string().optional(),
  overdue: z.boolean(),
  decision: z.object({ outcome: z.string(), reasons: z.string(), by: z.string(), level: z.string(), decidedAt: z.string() }).optional(),
  timeline: z.array(timelineItem),
});

export const queueItemSchema = caseSchema.extend({
  entry: z.object({ entryId: z.string(), status: z.string(), listType: z.string(), subjectName: z.string(), subjectId: z.string() }),
  workingDaysLeft: z.number().int(),
});
