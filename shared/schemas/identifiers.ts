import * as z from 'zod';
import { checkIdentifier, isAgencyId, isProvinceCode } from '../domain/identifiers.js';

// The schemas of identifiers in requests. Their checks stay pure in shared/domain/identifiers.ts,
// which the tasks function loads (to mask ids) without zod.

function identifierSchema(kind: 'person' | 'organization') {
  // toUpperCase is zod's in-place transform: the schema stays a ZodString for OpenAPI.
  return z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((value, ctx) => {
      const result = checkIdentifier(kind, value);
      if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason, params: { problem: result.code } });
    });
}

/** A citizen identity number: trimmed, uppercased, refused with the precise reason. */
export const residentIdNumberSchema = identifierSchema('person');

/** A unified social credit code: trimmed, uppercased, refused with the precise reason. */
export const unifiedSocialCreditCodeSchema = identifierSchema('organization');

/** A 6-digit province-level division code 'NN0000', e.g. '310000'. */
export const provinceCodeSchema = z
  .string()
  .trim()
  .max(6)
  .refine(isProvinceCode, {
    error: (issue) => `invalid province code: '${String(issue.input)}' is not the 6-digit 'NN0000' code of a province-level division`,
  });

/** An agency id '<provinceCode6>-<slug>', e.g. '310000-scjgj'. */
export const agencyIdSchema = z
  .string()
  .trim()
  // The longest id the pattern allows is 47 characters; 64 is the user pool's attribute, which carries it on AWS.
  .max(64)
  .refine(isAgencyId, {
    error: (issue) =>
      `invalid agency id: '${String(issue.input)}' is not '<province code NN0000>-<slug of 2-40 characters a-z, 0-9, ->'`,
  });
