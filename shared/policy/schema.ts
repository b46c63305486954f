// zod/mini: the tasks function validates the catalogue too, and loads no other zod.
import * as z from 'zod/mini';

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'));
const text = z.string().check(z.minLength(1));
const bilingual = z.object({ zh: text, en: text });

/** Every deadline names its unit; working days come from the holiday calendar. */
export const periodSchema = z.object({
  unit: z.enum(['calendarDays', 'workingDays', 'months', 'years']),
  value: z.int().check(z.minimum(0), z.maximum(3650)),
});
export type Period = z.infer<typeof periodSchema>;

export const policyProfileSchema = z.object({
  profileId: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  version: z.int().check(z.minimum(1)),
  effectiveFrom: isoDate,
  title: text,
  sources: z.array(text).check(z.minLength(1)),
  deadlines: z.object({
    /** Pre-listing notice → representation (陈述申辩). */
    representationWindow: periodSchema,
    representationReview: periodSchema,
    objectionReview: periodSchema,
    correctionReview: periodSchema,
    /** Cap on an objection/correction review including its one extension. */
    reviewMaxWithExtension: periodSchema,
    supplementAnswer: periodSchema,
    repairReview: periodSchema,
    provincialReview: periodSchema,
    appealWindow: periodSchema,
    /** Delisting after an upheld objection, approved repair or expiry: the rule's outer limit. */
    delistingLimit: periodSchema,
    /** Remedies outside this procedure, stated in a provincial decision's notice (Administrative Reconsideration Law Art. 20; Administrative Litigation Law Art. 46). */
    reconsiderationWindow: periodSchema,
    litigationWindow: periodSchema,
  }),
  /** How long a reviewer's claim on a case holds before it lapses back to the queue, unless renewed. */
  claimHold: periodSchema,
  /** The public credit commitment a repair applicant accepts (NDRC Credit Repair Measures): stored with the case as accepted. */
  repairCommitment: bilingual,
  /** Share of the review time after which the reviewer is reminded (and again on the last working day). */
  reminderAtFraction: z.number().check(z.gt(0), z.lt(1)),
});
export type PolicyProfile = z.infer<typeof policyProfileSchema>;

export const agencyLevels = ['county', 'prefecture', 'province', 'national'] as const;
export type AgencyLevel = (typeof agencyLevels)[number];

export const listTypeSchema = z.object({
  listType: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  name: bilingual,
  policyProfile: z.string(),
  /** Which agencies may propose: their kind and minimum level. */
  proposers: z.object({ kinds: z.array(z.enum(['court', 'department'])).check(z.minLength(1)), minLevel: z.enum(agencyLevels) }),
  maxPublication: periodSchema,
  /** Absent when repair is possible at any time (on performance) or not at all. */
  minPublication: z.optional(periodSchema),
  repair: z.enum(['after-minimum', 'on-performance', 'none']),
  extension: z.optional(z.object({ min: periodSchema, max: periodSchema })),
  /** Deferral of publication after the pre-listing notice (SPC Fa Fa [2019] No. 35). */
  gracePeriod: z.optional(z.object({ min: periodSchema, max: periodSchema })),
  published: z.boolean(),
  notes: z.optional(z.string()),
});
export type ListType = z.infer<typeof listTypeSchema>;

export const agencySchema = z.object({
  agencyId: z.string(),
  name: bilingual,
  kind: z.enum(['court', 'department']),
  level: z.enum(agencyLevels),
  provinceCode: z.string().check(z.regex(/^\d{2}0000$/)),
  listTypes: z.array(z.string()).check(z.minLength(1)),
  /** The reviewers' shared mailbox: review reminders go here. */
  reviewInbox: z.email(),
});
export type Agency = z.infer<typeof agencySchema>;

/** A province's review office: escalated cases and appeals are decided there. */
export const provinceSchema = z.object({
  provinceCode: z.string().check(z.regex(/^\d{2}0000$/)),
  name: bilingual,
  reviewInbox: z.email(),
});
export type Province = z.infer<typeof provinceSchema>;

export const catalogueSchema = z
  .object({
    profiles: z.array(policyProfileSchema).check(z.minLength(1)),
    listTypes: z.array(listTypeSchema).check(z.minLength(1)),
    agencies: z.array(agencySchema),
    provinces: z.array(provinceSchema),
  })
  .check(
    z.superRefine((cat, ctx) => {
      const profiles = new Set(cat.profiles.map((p) => p.profileId));
      const types = new Set(cat.listTypes.map((t) => t.listType));
      cat.listTypes.forEach((t, i) => {
        if (!profiles.has(t.policyProfile))
          ctx.addIssue({ code: 'custom', path: ['listTypes', i, 'policyProfile'], message: `unknown profile ${t.policyProfile}` });
      });
      const provinces = new Set(cat.provinces.map((p) => p.provinceCode));
      cat.agencies.forEach((a, i) => {
        if (!provinces.has(a.provinceCode)) ctx.addIssue({ code: 'custom', path: ['agencies', i, 'provinceCode'], message: `no review office for province ${a.provinceCode}` });
        a.listTypes.forEach((lt, j) => {
          if (!types.has(lt)) ctx.addIssue({ code: 'custom', path: ['agencies', i, 'listTypes', j], message: `unknown list type ${lt}` });
        });
      });
    }),
  );
export type Catalogue = z.infer<typeof catalogueSchema>;
