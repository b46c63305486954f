import { maskSubjectId } from '../../../shared/domain/identifiers.js';
import * as z from 'zod';
import type { Hono } from 'hono';
import { actorOf, type Principal } from '../../../shared/auth/principal.js';
import { claimCase, clockNow, decideCase, extendReview, fileCase, isOverdue, isPaused, releaseCase, requestInfo, requireCase, supplementCase, withdrawCase, workingDaysLeft, type CaseState, type DecideContext, type EntryState, type Evidence, type ReviewLevel } from '../../../shared/domain/entry.js';
import type { PendingEvent } from '../../../shared/audit/hash-chain.js';
import { DomainError, invalid, notFound } from '../../../shared/platform/errors.js';
import { pageQuerySchema, problemSchema } from '../../../shared/schemas/common.js';
import { caseIdParams, caseKinds, caseSchema, decisionSchema, extendSchema, fileCaseSchema, queueItemSchema, requestInfoSchema, supplementSchema } from '../../../shared/schemas/cases.js';
import { agencyQueue, provincialQueue, type CaseProjection, type LoadedEntry } from '../../../shared/stores/entry-store.js';
import { decideContext, wakeClosedReviews, type Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { idempotentCreate } from '../idempotency.js';
import { newCertificateCode } from './certificates.js';
import { recordRead } from '../record-reads.js';
import { route } from '../route-registry.js';
import { canSeeCase, caseView, requireEntryInScope } from '../scope.js';

const badRequest = { description: 'Invalid fields, each named', schema: problemSchema };
const notFoundResponse = { description: 'Absent, or not in the caller\'s scope', schema: problemSchema };
const conflictResponse = { description: 'The case no longer allows this (decided, withdrawn, escalated away, claimed by someone else, already asked)', schema: problemSchema };
const refusedResponse = { description: 'A rule refuses it, with the date or limit concerned', schema: problemSchema };
const caseResponse = (description: string) => ({ 200: { description, schema: caseSchema }, 400: badRequest, 404: notFoundResponse, 409: conflictResponse });
const REVIEWERS = ['agency-reviewer', 'provincial-reviewer'] as const;

/** A case found in the caller's scope, with the entry it was read from. */
export interface ScopedCase {
  entryId: string;
  loaded: LoadedEntry;
  case: CaseState;
}

/** A case the caller may see, with its entry as loaded; else 404 as if it did not exist. */
export async function findScopedCase(deps: Pick<Deps, 'entries'>, caseId: string, principal: Principal): Promise<ScopedCase> {
  const entryId = await deps.entries.entryIdOfCase(caseId);
  const loaded = entryId ? await deps.entries.load(entryId) : undefined;
  const found = loaded?.state.cases.find((x) => x.caseId === caseId);
  if (!entryId || !loaded || !found || !canSeeCase(principal, found, loaded.state)) throw notFound(`Case ${caseId}`);
  return { entryId, loaded, case: found };
}

/** The level a reviewer acts at. */
const levelOf = (p: Principal): ReviewLevel => (p.role === 'provincial-reviewer' ? 'province' : 'agency');

export function caseRoutes(app: Hono<AppEnv>, deps: Deps) {
  /**
   * Applies a decision to a case the caller may see; out of scope is 404
   * before anything is decided. A change the review workflow waits on wakes it.
   */
  async function onCase(caseId: string, principal: Principal, decide: (state: EntryState, c: CaseState, ctx: DecideContext) => PendingEvent[], options: { wakesReview?: boolean; from?: ScopedCase } = {}) {
    const { entryId, loaded } = options.from ?? (await scopedCase(caseId, principal));
    const ctx = await decideContext(deps);
    const { entry, events } = await deps.entries.apply(
      entryId,
      (current) => {
        // Acting needs the case itself in scope: reading an appealed case is not deciding it.
        const c = current.state.cases.find((x) => x.caseId === caseId);
        if (!c || !canSeeCase(principal, c)) throw notFound(`Case ${caseId}`);
        return { events: decide(current.state, c, ctx), result: undefined };
      },
      actorOf(principal),
      ctx.now,
      { loaded },
    );
    if ((options.wakesReview ?? true) && events.length > 0) await deps.tokens.wakeAfterCommit(`review:${caseId}`);
    // A decision that took the entry off the list or moved its expiry: the listing looks again now.
    if (events.some((e) => e.type === 'EntryDelisted' || e.type === 'EntryCorrected')) await deps.tokens.wakeAfterCommit(`listing:${entryId}`);
    await wakeClosedReviews(deps, events);
    return caseView(requireCase(entry.state, caseId), ctx);
  }

  const scopedCase = (caseId: string, principal: Principal) => findScopedCase(deps, caseId, principal);

  /** Each file named must have been uploaded by this subject, and be what it says it is by its bytes. */
  async function checkEvidence(owner: string, evidence: Evidence[]) {
    const errors: Array<{ path: string; message: string }> = [];
    await Promise.all(evidence.map(async (e, i) => {
      const stored = await deps.evidence.inspect(owner, e.sha256);
      if (!stored) errors.push({ path: `evidence.${i}.sha256`, message: 'no file with this SHA-256 was uploaded by you; upload it first (POST /v1/evidence)' });
      else if (stored.contentType !== e.contentType) errors.push({ path: `evidence.${i}.contentType`, message: `the uploaded bytes are ${stored.contentType ?? 'not a PDF, JPEG or PNG'}, not ${e.contentType}` });
    }));
    if (errors.length > 0) throw invalid(errors.sort((a, b) => a.path.localeCompare(b.path)), 'Evidence not uploaded, or not what it says it is');
  }

  route(
    app,
    {
      method: 'post',
      path: '/v1/cases',
      summary: 'File a case',
      tag: 'cases',
      access: ['subject'],
      body: fileCaseSchema,
      responses: {
        201: { description: 'The case, in its queue with its deadline; the subject is sent an acknowledgement', schema: caseSchema },
        200: { description: 'The same Idempotency-Key and body again: the case filed the first time', schema: caseSchema },
        400: badRequest,
        404: { description: 'The entry is absent or not the caller\'s', schema: problemSchema },
        409: { description: 'A case of this kind is already open on the entry, or the appealed case was already appealed', schema: problemSchema },
        422: { description: 'A rule refuses it: the window closed (with its closing date), the entry is not in a state that allows it, or the key was used for another request', schema: problemSchema },
      },
    },
    async (c, { body, principal }) => {
      const ctx = await decideContext(deps);
      const { id: caseId, requestHash } = idempotentCreate(c, principal!, 'cas', ctx.now, body);
      const { loaded: target, caseEntryId: filedOn } = await deps.entries.loadWithCase(body.entryId, caseId);
      if (filedOn && filedOn !== body.entryId) throw new DomainError('RULE_REFUSED', 'This Idempotency-Key was already used for a different request', { caseId });
      // Scope first: whoever may not see the entry learns nothing more about it, not even about the files.
      if (!target) throw notFound(`Entry ${body.entryId}`);
      requireEntryInScope(principal!, target.state);
      await checkEvidence(principal!.subjectId!, body.evidence);
      const { entry, events } = await deps.entries.apply(
        body.entryId,
        (loaded) => ({
          events: fileCase({ caseId, kind: body.kind, subjectId: principal!.subjectId!, grounds: body.grounds, evidence: body.evidence, requestedCorrection: body.requestedCorrection, appealOf: body.appealOf, commitment: body.commitment, requestHash }, requireEntryInScope(principal!, loaded.state), ctx),
          result: undefined,
        }),
        actorOf(principal!),
        ctx.now,
        { loaded: target },
      );
      // Also on a retry: starting by the case's name finds the execution if it already runs.
      await deps.workflows.startExecution('caseReview', caseId, { caseId, entryId: body.entryId });
      return c.json(caseView(requireCase(entry.state, caseId), ctx), events.length > 0 ? 201 : 200);
    },
  );

  route(
    app,
    { method: 'get', path: '/v1/cases/{caseId}', summary: 'Read a case', tag: 'cases', access: ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'], params: caseIdParams, responses: { 200: { description: 'The case with its deadline and timeline', schema: caseSchema }, 404: notFoundResponse } },
    async (c, { params, principal }) => {
      const found = await scopedCase(params.caseId!, principal!);
      await recordRead(deps, principal!, found.loaded, { what: 'case', caseId: found.case.caseId });
      return c.json(caseView(found.case, await decideContext(deps)));
    },
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/supplement', summary: 'Send supplementary material', tag: 'cases', access: ['subject'], params: caseIdParams, body: supplementSchema, responses: caseResponse('The case; when the review clock stood still waiting for this, it runs again from today with the time that was left') },
    async (c, { params, body, principal }) => {
      const from = await scopedCase(params.caseId!, principal!);
      await checkEvidence(principal!.subjectId!, body.evidence);
      return c.json(await onCase(params.caseId!, principal!, (state, cs, ctx) => supplementCase({ caseId: cs.caseId, text: body.text, evidence: body.evidence }, state, ctx), { from }));
    },
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/withdraw', summary: 'Withdraw a case', tag: 'cases', access: ['subject'], params: caseIdParams, responses: caseResponse('The withdrawn case; the objection mark is removed and the trail keeps both') },
    async (c, { params, principal }) => c.json(await onCase(params.caseId!, principal!, (state, cs, ctx) => withdrawCase({ caseId: cs.caseId, by: principal!.id }, state, ctx))),
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/claim', summary: 'Claim a case', tag: 'review', access: REVIEWERS, params: caseIdParams, responses: caseResponse('The case, held by the caller until `claimUntil`; claiming again renews the hold') },
    async (c, { params, principal }) => c.json(await onCase(params.caseId!, principal!, (state, cs, ctx) => claimCase({ caseId: cs.caseId, by: principal!.id, level: levelOf(principal!) }, state, ctx), { wakesReview: false })),
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/release', summary: 'Release a claimed case', tag: 'review', access: REVIEWERS, params: caseIdParams, responses: caseResponse('The case, back in the queue for any reviewer') },
    async (c, { params, principal }) => c.json(await onCase(params.caseId!, principal!, (state, cs, ctx) => releaseCase({ caseId: cs.caseId, by: principal!.id, level: levelOf(principal!) }, state, ctx), { wakesReview: false })),
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/request-info', summary: 'Ask the subject for material', tag: 'review', access: REVIEWERS, params: caseIdParams, body: requestInfoSchema, responses: caseResponse('The case, `awaiting-info`: the review clock stands still until the subject answers or the answer time runs out') },
    async (c, { params, body, principal }) => c.json(await onCase(params.caseId!, principal!, (state, cs, ctx) => requestInfo({ caseId: cs.caseId, by: principal!.id, level: levelOf(principal!), questions: body.questions }, state, ctx))),
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/extend', summary: 'Extend the review once', tag: 'review', access: ['agency-reviewer'], params: caseIdParams, body: extendSchema, responses: { ...caseResponse('The case with its new deadline; the subject is told the new date and the reason'), 422: refusedResponse } },
    async (c, { params, body, principal }) => c.json(await onCase(params.caseId!, principal!, (state, cs, ctx) => extendReview({ caseId: cs.caseId, by: principal!.id, reason: body.reason, workingDays: body.workingDays }, state, ctx))),
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/decision', summary: 'Decide a case', tag: 'review', access: REVIEWERS, params: caseIdParams, body: decisionSchema, responses: caseResponse('The decided case; the entry is delisted or corrected as decided, and the subject is told the reasons and the right of appeal with its closing date') },
    async (c, { params, body, principal }) =>
      c.json(await onCase(params.caseId!, principal!, (state, cs, ctx) => decideCase({ caseId: cs.caseId, outcome: body.outcome, reasons: body.reasons, correction: body.correction, missing: body.missing, certificateCode: newCertificateCode(), by: principal!.id, level: levelOf(principal!) }, state, ctx))),
  );

  const queueQuerySchema = pageQuerySchema.extend({
    kind: z.enum(caseKinds).optional().describe('only cases of this kind'),
    listType: z.string().min(1).max(64).optional().describe('only cases on entries of this list type'),
  });
  const queueResponse = { 200: { description: 'Open cases, soonest deadline first', schema: z.object({ cases: z.array(queueItemSchema), nextCursor: z.string().optional() }) } };
  const queueView = (items: CaseProjection[], ctx: DecideContext) =>
    items.map((i) => queueItemSchema.parse({ ...caseView(i.case, ctx), entry: { ...i.entry, subjectId: maskSubjectId(i.entry.subjectId) }, overdue: isOverdue(clockNow(i.case, ctx), ctx) }));

  const queues = [
    { path: '/v1/queues/agency', summary: 'Read the agency queue', role: 'agency-reviewer', queueOf: (p: Principal) => agencyQueue(p.agencyId!) },
    { path: '/v1/queues/provincial', summary: 'Read the provincial queue', role: 'provincial-reviewer', queueOf: (p: Principal) => provincialQueue(p.provinceCode!) },
  ] as const;
  for (const q of queues) {
    route(
      app,
      { method: 'get', path: q.path, summary: q.summary, tag: 'review', access: [q.role], query: queueQuerySchema, responses: { ...queueResponse, 400: badRequest } },
      async (c, { query, principal }) => {
        const page = await deps.entries.queue(q.queueOf(principal!), query.limit, query.cursor, { kind: query.kind, listType: query.listType });
        return c.json({ cases: queueView(page.items, await decideContext(deps)), nextCursor: page.nextCursor });
      },
    );
  }
}
