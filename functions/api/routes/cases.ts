import * as z from 'zod';
import type { Hono } from 'hono';
import { actorOf, type Principal } from '../../../shared/auth/principal.js';
import { claimCase, decideCase, fileCase, requireCase, workingDaysLeft, type CaseState, type DecideContext, type EntryState, type ReviewLevel } from '../../../shared/domain/entry.js';
import type { PendingEvent } from '../../../shared/audit/hash-chain.js';
import { DomainError, notFound } from '../../../shared/platform/errors.js';
import { pageQuerySchema, problemSchema } from '../../../shared/schemas/common.js';
import { caseIdParams, caseSchema, decisionSchema, fileCaseSchema, queueItemSchema } from '../../../shared/schemas/cases.js';
import { agencyQueue, provincialQueue, type CaseProjection } from '../../../shared/stores/entry-store.js';
import { decideContext, type Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { idempotentCreate } from '../idempotency.js';
import { route } from '../route-registry.js';
import { canSeeCase, caseView, requireEntryInScope } from '../scope.js';

const notFoundResponse = { description: 'Absent, or not in the caller\'s scope', schema: problemSchema };
const conflictResponse = { description: 'The case no longer allows this (decided, escalated away, claimed by someone else)', schema: problemSchema };
const REVIEWERS = ['agency-reviewer', 'provincial-reviewer'] as const;

/** The level a reviewer acts at. */
const levelOf = (p: Principal): ReviewLevel => (p.role === 'provincial-reviewer' ? 'province' : 'agency');

export function caseRoutes(app: Hono<AppEnv>, deps: Deps) {
  /** Applies a decision to a case the caller may see; out of scope is 404 before anything is decided. */
  async function onCase(caseId: string, principal: Principal, decide: (state: EntryState, c: CaseState, ctx: DecideContext) => PendingEvent[]) {
    const entryId = await deps.entries.entryIdOfCase(caseId);
    if (!entryId) throw notFound(`Case ${caseId}`);
    const ctx = await decideContext(deps);
    const { entry } = await deps.entries.apply(
      entryId,
      (loaded) => {
        const c = loaded.state.cases.find((x) => x.caseId === caseId);
        if (!c || !canSeeCase(principal, c)) throw notFound(`Case ${caseId}`);
        return { events: decide(loaded.state, c, ctx), result: undefined };
      },
      actorOf(principal),
      ctx.now,
    );
    return requireCase(entry.state, caseId);
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
        201: { description: 'The case, in its agency\'s queue with its deadline', schema: caseSchema },
        200: { description: 'The same Idempotency-Key and body again: the case filed the first time', schema: caseSchema },
        400: { description: 'Invalid fields, each named', schema: problemSchema },
        404: { description: 'The entry is absent or not the caller\'s', schema: problemSchema },
        409: { description: 'A case of this kind is already open on the entry', schema: problemSchema },
        422: { description: 'A rule refuses it: the window closed (with the deadline), or the key was used for another request', schema: problemSchema },
      },
    },
    async (c, { body, principal }) => {
      const now = deps.clock.now();
      const { id: caseId, requestHash } = idempotentCreate(c, principal!, 'cas', now, body);
      const filedOn = await deps.entries.entryIdOfCase(caseId);
      if (filedOn && filedOn !== body.entryId) throw new DomainError('RULE_REFUSED', 'This Idempotency-Key was already used for a different request', { caseId });
      const ctx = { ...(await decideContext(deps)), now };
      const { entry, events } = await deps.entries.apply(
        body.entryId,
        (loaded) => ({
          events: fileCase({ caseId, kind: body.kind, subjectId: principal!.subjectId!, grounds: body.grounds, evidence: body.evidence, requestedCorrection: body.requestedCorrection, appealOf: body.appealOf, requestHash }, requireEntryInScope(principal!, loaded.state), ctx),
          result: undefined,
        }),
        actorOf(principal!),
        now,
      );
      // Also on a retry: starting by the case's name finds the execution if it already runs.
      await deps.workflows.startExecution('caseReview', caseId, { caseId, entryId: body.entryId });
      return c.json(caseView(requireCase(entry.state, caseId)), events.length > 0 ? 201 : 200);
    },
  );

  route(
    app,
    { method: 'get', path: '/v1/cases/{caseId}', summary: 'Read a case', tag: 'cases', access: ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'], params: caseIdParams, responses: { 200: { description: 'The case with its deadline and timeline', schema: caseSchema }, 404: notFoundResponse } },
    async (c, { params, principal }) => {
      const entryId = await deps.entries.entryIdOfCase(params.caseId!);
      const loaded = entryId ? await deps.entries.load(entryId) : undefined;
      const found = loaded?.state.cases.find((x) => x.caseId === params.caseId);
      if (!found || !canSeeCase(principal!, found)) throw notFound(`Case ${params.caseId}`);
      return c.json(caseView(found));
    },
  );

  route(
    app,
    { method: 'post', path: '/v1/cases/{caseId}/claim', summary: 'Claim a case', tag: 'review', access: REVIEWERS, params: caseIdParams, responses: { 200: { description: 'The case, assigned to the caller', schema: caseSchema }, 404: notFoundResponse, 409: conflictResponse } },
    async (c, { params, principal }) => {
      const claimed = await onCase(params.caseId!, principal!, (state, cs, ctx) => claimCase({ caseId: cs.caseId, by: principal!.id, level: levelOf(principal!) }, state, ctx));
      return c.json(caseView(claimed));
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/v1/cases/{caseId}/decision',
      summary: 'Decide a case',
      tag: 'review',
      access: REVIEWERS,
      params: caseIdParams,
      body: decisionSchema,
      responses: { 200: { description: 'The decided case; the subject is told the reasons and the remedies', schema: caseSchema }, 400: { description: 'Invalid fields, each named', schema: problemSchema }, 404: notFoundResponse, 409: conflictResponse },
    },
    async (c, { params, body, principal }) => {
      const decided = await onCase(params.caseId!, principal!, (state, cs, ctx) => decideCase({ caseId: cs.caseId, outcome: body.outcome, reasons: body.reasons, by: principal!.id, level: levelOf(principal!) }, state, ctx));
      await deps.tokens.wake(`review:${decided.caseId}`, { decided: true });
      return c.json(caseView(decided));
    },
  );

  const queueResponse = { 200: { description: 'Open cases, soonest deadline first', schema: z.object({ cases: z.array(queueItemSchema), nextCursor: z.string().optional() }) } };
  const queueView = (items: CaseProjection[]) => {
    const ctx = { calendar: deps.calendar, now: deps.clock.now() };
    return items.map((i) => ({ ...caseView(i.case), entry: i.entry, workingDaysLeft: workingDaysLeft(ctx, i.case), overdue: i.case.overdue || ctx.now.getTime() >= Date.parse(i.case.deadlineAt) }));
  };

  const queues = [
    { path: '/v1/queues/agency', summary: 'Read the agency queue', role: 'agency-reviewer', queueOf: (p: Principal) => agencyQueue(p.agencyId!) },
    { path: '/v1/queues/provincial', summary: 'Read the provincial queue', role: 'provincial-reviewer', queueOf: (p: Principal) => provincialQueue(p.provinceCode!) },
  ] as const;
  for (const q of queues) {
    route(
      app,
      { method: 'get', path: q.path, summary: q.summary, tag: 'review', access: [q.role], query: pageQuerySchema, responses: queueResponse },
      async (c, { query, principal }) => {
        const page = await deps.entries.queue(q.queueOf(principal!), query.limit, query.cursor);
        return c.json({ cases: queueView(page.items), nextCursor: page.nextCursor });
      },
    );
  }
}
