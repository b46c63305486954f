import * as z from 'zod';
import type { Hono } from 'hono';
import type { Principal } from '../../../shared/auth/principal.js';
import type { EntryState } from '../../../shared/domain/entry.js';
import { notFound } from '../../../shared/platform/errors.js';
import { caseIdParams, caseKinds } from '../../../shared/schemas/cases.js';
import { pageQuerySchema, problemSchema } from '../../../shared/schemas/common.js';
import { sha256HexSchema } from '../../../shared/schemas/evidence.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { recordRead } from '../record-reads.js';
import { route } from '../route-registry.js';
import { canSeeCase, canSeeEntry } from '../scope.js';
import { findScopedCase } from './cases.js';

const notFoundResponse = { description: 'Absent, or not in the caller\'s scope', schema: problemSchema };

/** What a reviewer sees of another case of the same subject: enough to know it exists and how it ended. */
const relatedCaseSchema = z.object({
  caseId: z.string(),
  entryId: z.string(),
  kind: z.enum(caseKinds),
  status: z.string(),
  level: z.string(),
  filedAt: z.string(),
  deadline: z.string(),
  entry: z.object({ status: z.string(), listType: z.string(), decisionRef: z.string() }),
  decision: z.object({ outcome: z.string(), decidedAt: z.string() }).optional(),
});

/**
 * An evidence file is shown inline only when asked, and then sandboxed: it
 * runs nothing and reaches nothing, but this site's pages may frame it.
 */
const INLINE_EVIDENCE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'";

/** RFC 8187 / RFC 6266: a UTF-8 file name in `filename*`, every byte outside the attr-char set percent-encoded. */
export const contentDisposition = (disposition: 'attachment' | 'inline', name: string) =>
  `${disposition}; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/** What a reviewer reads around a case: the files it names, and the subject's other cases. */
export function caseReadingRoutes(app: Hono<AppEnv>, deps: Deps) {
  route(
    app,
    {
      method: 'get',
      path: '/v1/cases/{caseId}/related',
      summary: 'List the subject\'s other cases',
      tag: 'review',
      access: ['agency-reviewer', 'provincial-reviewer', 'auditor'],
      params: caseIdParams,
      query: pageQuerySchema,
      responses: {
        200: { description: 'The same subject\'s other cases on entries the caller may see, newest entry first; `limit` counts the entries read', schema: z.object({ cases: z.array(relatedCaseSchema), nextCursor: z.string().optional() }) },
        404: notFoundResponse,
      },
    },
    async (c, { params, query, principal }) => {
      const { case: found, loaded } = await findScopedCase(deps, params.caseId!, principal!);
      // The subject's history around this case is read as part of the case; the other entries show only a summary.
      await recordRead(deps, principal!, loaded, { what: 'case', caseId: found.caseId });
      const page = await deps.entries.listBySubject(found.subjectId, query.limit, query.cursor);
      return c.json({ cases: page.entries.flatMap((entry) => relatedCases(principal!, entry, found.caseId)), nextCursor: page.nextCursor });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/v1/cases/{caseId}/evidence/{sha256}',
      summary: 'Read an evidence file of a case',
      tag: 'cases',
      access: ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'],
      params: caseIdParams.extend({ sha256: sha256HexSchema }),
      query: z.object({ disposition: z.enum(['attachment', 'inline']).default('attachment').describe('inline: shown in a page, sandboxed; attachment (default): downloaded') }),
      responses: {
        200: { description: 'The file\'s bytes, typed by what they are (never by the name), with X-Content-Type-Options: nosniff; inline ones under a sandboxing Content-Security-Policy' },
        400: { description: 'A malformed digest or disposition', schema: problemSchema },
        404: { description: 'The case is absent or out of scope, or names no file with this digest', schema: problemSchema },
      },
    },
    async (c, { params, query, principal }) => {
      // Read like the case itself: whoever may read the case may read the files it names, and only those.
      const { case: found, loaded } = await findScopedCase(deps, params.caseId!, principal!);
      const named = [...found.evidence, ...found.supplements.flatMap((s) => s.evidence)].find((e) => e.sha256 === params.sha256);
      if (!named) throw notFound(`Evidence ${params.sha256} of case ${found.caseId}`);
      const file = await deps.evidence.read(found.subjectId, named.sha256);
      if (!file) throw notFound(`Evidence ${params.sha256} of case ${found.caseId}`);
      await recordRead(deps, principal!, loaded, { what: 'evidence', caseId: found.caseId, sha256: named.sha256 });
      // Bytes of no accepted type are only ever downloaded, never shown.
      const inline = query.disposition === 'inline' && file.contentType !== undefined;
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        'content-type': file.contentType ?? 'application/octet-stream',
        'content-length': String(file.bytes.length),
        'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', named.name),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
        ...(inline ? { 'content-security-policy': INLINE_EVIDENCE_CSP } : {}),
      });
    },
  );
}

/** The cases of one of the subject's entries that the caller may see, but for the case asked about. */
function relatedCases(principal: Principal, entry: EntryState, except: string): z.infer<typeof relatedCaseSchema>[] {
  if (!canSeeEntry(principal, entry)) return [];
  return entry.cases
    .filter((x) => x.caseId !== except && canSeeCase(principal, x, entry))
    .map((x) => ({
      caseId: x.caseId,
      entryId: entry.entryId,
      kind: x.kind,
      status: x.status,
      level: x.level,
      filedAt: x.filedAt,
      deadline: x.deadline,
      entry: { status: entry.status, listType: entry.listType, decisionRef: entry.decisionRef },
      ...(x.decision ? { decision: { outcome: x.decision.outcome, decidedAt: x.decision.decidedAt } } : {}),
    }));
}
