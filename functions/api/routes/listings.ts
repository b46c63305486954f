import type { Hono } from 'hono';
import { decide } from '../../../shared/domain/entry.js';
import { newId } from '../../../shared/platform/ids.js';
import { problemSchema } from '../../../shared/schemas/common.js';
import { entrySchema, proposeListingSchema } from '../../../shared/schemas/listing.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { route } from '../route-registry.js';

export function listingRoutes(app: Hono<AppEnv>, deps: Deps) {
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
        201: { description: 'The proposed entry, with its representation deadline', schema: entrySchema },
        400: { description: 'Invalid fields, each named', schema: problemSchema },
        403: { description: 'The agency may not propose this list type', schema: problemSchema },
      },
    },
    async (c, { body, principal }) => {
      const now = deps.clock.now();
      const entryId = newId('ent', now);
      const events = decide({ type: 'ProposeListing', entryId, agencyId: principal!.agencyId!, ...body }, undefined, { policies: await deps.policies(), calendar: deps.calendar, now });
      const { entry } = await deps.entries.commit(entryId, undefined, events, { role: principal!.role, id: principal!.id }, now);
      return c.json(entry.state, 201);
    },
  );
}
