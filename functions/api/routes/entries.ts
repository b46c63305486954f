import * as z from 'zod';
import type { Hono } from 'hono';
import { verifyChain } from '../../../shared/audit/hash-chain.js';
import { notFound } from '../../../shared/platform/errors.js';
import { pageQuerySchema, problemSchema } from '../../../shared/schemas/common.js';
import { auditEventSchema, entrySchema, publicEntrySchema, verifyResultSchema, entryIdParams } from '../../../shared/schemas/listing.js';
import type { Principal } from '../../../shared/auth/principal.js';
import { decideContext, type Deps } from '../../deps.js';
import { subjectActions, type DecideContext, type EntryState } from '../../../shared/domain/entry.js';
import type { AppEnv } from '../context.js';
import { recordRead } from '../record-reads.js';
import { route } from '../route-registry.js';
import { canSeeEntry, entryView, publicView } from '../scope.js';

const notFoundResponse = { description: 'Absent, or not in the caller\'s scope', schema: problemSchema };

export function entryRoutes(app: Hono<AppEnv>, deps: Deps) {
  /** Loads an entry the caller may see, or answers 404 as if it did not exist. */
  async function scopedEntry(entryId: string, principal: Principal) {
    const loaded = await deps.entries.load(entryId);
    if (!loaded || !canSeeEntry(principal, loaded.state)) throw notFound(`Entry ${entryId}`);
    return loaded;
  }

  /** The entry; to its subject, with the actions open to them now. */
  function subjectEntryView(state: EntryState, principal: Principal, ctx: DecideContext) {
    const view = entryView(state);
    if (principal.role !== 'subject') return view;
    return { ...view, actions: subjectActions(state, principal.subjectId!, ctx) };
  }

  route(
    app,
    { method: 'get', path: '/v1/entries/{entryId}', summary: 'Read an entry', tag: 'entries', access: ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'], params: entryIdParams, responses: { 200: { description: 'The entry', schema: entrySchema }, 404: notFoundResponse } },
    async (c, { params, principal }) => {
      const loaded = await scopedEntry(params.entryId!, principal!);
      await recordRead(deps, principal!, loaded, { what: 'entry' });
      return c.json(subjectEntryView(loaded.state, principal!, await decideContext(deps)));
    },
  );

  route(
    app,
    { method: 'get', path: '/v1/me/entries', summary: 'List my entries', tag: 'entries', access: ['subject'], query: pageQuerySchema, responses: { 200: { description: 'The caller\'s entries, proposed ones included', schema: z.object({ entries: z.array(entrySchema), nextCursor: z.string().optional() }) } } },
    async (c, { query, principal }) => {
      const page = await deps.entries.listBySubject(principal!.subjectId!, query.limit, query.cursor);
      // One reading of the clock and the policies for every entry of the page.
      const ctx = await decideContext(deps);
      return c.json({ entries: page.entries.map((e) => subjectEntryView(e, principal!, ctx)), nextCursor: page.nextCursor });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/v1/public/entries',
      summary: 'Search listed entries',
      tag: 'public',
      access: 'public',
      query: pageQuerySchema.extend({ q: z.string().trim().max(100).optional() }),
      responses: { 200: { description: 'Listed entries only, subject ids masked', schema: z.object({ entries: z.array(publicEntrySchema), nextCursor: z.string().optional() }) } },
    },
    async (c, { query }) => {
      const page = await deps.entries.searchPublic(query.q, query.limit, query.cursor);
      return c.json({ entries: page.entries.map(publicView), nextCursor: page.nextCursor });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/v1/entries/{entryId}/audit',
      summary: 'Read the audit trail of an entry',
      tag: 'audit',
      access: ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'],
      params: entryIdParams,
      query: pageQuerySchema,
      responses: { 200: { description: 'Events, oldest first', schema: z.object({ events: z.array(auditEventSchema), nextCursor: z.string().optional() }) }, 404: notFoundResponse },
    },
    async (c, { params, query, principal }) => {
      const loaded = await scopedEntry(params.entryId!, principal!);
      // Recorded before the trail is read, so the trail answered shows this read too.
      await recordRead(deps, principal!, loaded, { what: 'audit-trail' });
      const all = await deps.entries.auditTrail(params.entryId!);
      const from = query.cursor ? Number.parseInt(query.cursor, 36) : 0;
      const events = all.slice(from, from + query.limit).map(({ entryId: _entryId, ...event }) => event);
      const next = from + query.limit;
      return c.json({ events, nextCursor: next < all.length ? next.toString(36) : undefined });
    },
  );

  route(
    app,
    { method: 'get', path: '/v1/entries/{entryId}/audit/verify', summary: 'Verify the audit trail of an entry', tag: 'audit', access: ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'], params: entryIdParams, responses: { 200: { description: 'The recomputed chain', schema: verifyResultSchema }, 404: notFoundResponse } },
    async (c, { params, principal }) => {
      await scopedEntry(params.entryId!, principal!);
      return c.json(verifyChain(await deps.entries.auditTrail(params.entryId!)));
    },
  );
}
