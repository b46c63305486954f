import * as z from 'zod';
import type { Hono } from 'hono';
import { extendListing, revokeListing, type DecideContext, type EntryState } from '../../../shared/domain/entry.js';
import type { PendingEvent } from '../../../shared/audit/hash-chain.js';
import type { Principal } from '../../../shared/auth/principal.js';
import { actorOf } from '../../../shared/auth/principal.js';
import { problemSchema } from '../../../shared/schemas/common.js';
import { entrySchema, extendListingSchema, proposeListingSchema, revokeListingSchema, entryIdParams } from '../../../shared/schemas/listing.js';
import { decideContext, wakeClosedReviews, type Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { proposeEntry } from '../../proposals.js';
import { idempotentCreate } from '../idempotency.js';
import { route } from '../route-registry.js';
import { entryView, requireEntryInScope } from '../scope.js';


export function listingRoutes(app: Hono<AppEnv>, deps: Deps) {
  /** An agency's command on an entry it may see; out of scope is 404 before anything is decided. */
  async function onEntry(entryId: string, principal: Principal, decide: (state: EntryState, ctx: DecideContext) => PendingEvent[]) {
    const ctx = await decideContext(deps);
    return deps.entries.apply(entryId, (loaded) => ({ events: decide(requireEntryInScope(principal, loaded.state), ctx), result: undefined }), actorOf(principal), ctx.now);
  }

  route(
    app,
    {
      method: 'post',
      path: '/v1/listings',
      summary: 'Propose a listing',
      tag: 'listings',
      access: ['agency-officer'],
      body: proposeListingSchema,
      responses: {
        201: { description: 'The proposed entry, with its representation deadline; the pre-listing notice is on its way', schema: entrySchema },
        200: { description: 'The same Idempotency-Key and body again: the entry proposed the first time', schema: entrySchema },
        400: { description: 'Invalid fields, each named (an unknown list type, or one the agency may not propose, included)', schema: problemSchema },
        422: { description: 'The publication period of the decision already ended, or the Idempotency-Key was used for another proposal', schema: problemSchema },
      },
    },
    async (c, { body, principal }) => {
      const { id: entryId, requestHash, keyed } = idempotentCreate(c, principal!, 'ent', deps.clock.now(), body);
      const { state, created } = await proposeEntry(deps, principal!, body, { entryId, requestHash, keyed });
      return c.json(entryView(state), created ? 201 : 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/v1/entries/{entryId}/extension',
      summary: 'Extend a listing period',
      tag: 'listings',
      access: ['agency-officer'],
      params: entryIdParams,
      body: extendListingSchema,
      responses: {
        200: { description: 'The entry with its new expiresAt; the workflow waits for the new date', schema: entrySchema },
        400: { description: 'An extension outside the policy, named', schema: problemSchema },
        404: { description: 'Absent, or not the caller\'s agency', schema: problemSchema },
        409: { description: 'The entry is not listed', schema: problemSchema },
        422: { description: 'The list type allows no extension', schema: problemSchema },
      },
    },
    async (c, { params, body, principal }) => c.json(entryView((await onEntry(params.entryId!, principal!, (state, ctx) => extendListing({ ...body, by: principal!.id }, state, ctx))).entry.state)),
  );

  route(
    app,
    {
      method: 'post',
      path: '/v1/entries/{entryId}/revocation',
      summary: 'Revoke a listing',
      tag: 'listings',
      access: ['agency-officer'],
      params: entryIdParams,
      body: revokeListingSchema,
      responses: {
        200: { description: 'The entry, delisted at once with delistReason revoked; partners are told', schema: entrySchema },
        400: { description: 'Invalid fields, each named', schema: problemSchema },
        404: { description: 'Absent, or not the caller\'s agency', schema: problemSchema },
        409: { description: 'The entry is not listed', schema: problemSchema },
      },
    },
    async (c, { params, body, principal }) => {
      const { entry, events } = await onEntry(params.entryId!, principal!, (state, ctx) => revokeListing({ ...body, by: principal!.id }, state, ctx));
      // The waiting listing ends now rather than at its old expiry; its own timer catches a lost wake-up.
      if (events.length > 0) await deps.tokens.wakeAfterCommit(`listing:${params.entryId!}`);
      await wakeClosedReviews(deps, events);
      return c.json(entryView(entry.state));
    },
  );
}
