import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { Hono } from 'hono';
import { DomainError, invalid, notFound } from '../../../shared/platform/errors.js';
import { derivedId } from '../../../shared/platform/ids.js';
import type { Delivery } from '../../../shared/partners/partner-store.js';
import { checkWebhookUrl } from '../../../shared/partners/webhook-target.js';
import { problemSchema } from '../../../shared/schemas/common.js';
import { deliverySchema, subscribeSchema, subscriptionSchema } from '../../../shared/schemas/partners.js';
import { entryIdParams } from '../../../shared/schemas/listing.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { route } from '../route-registry.js';
import { canSeeEntry } from '../scope.js';

/** A delivery as its readers see it: the event, where it stands, the last attempt; never the secret. */
const deliveryView = (d: Delivery & { attemptCount: number }) => ({
  subscriptionId: d.subscriptionId,
  partnerId: d.partnerId,
  eventId: d.event.eventId,
  type: d.event.type,
  entryId: d.event.entryId,
  status: d.status,
  attempts: d.attemptCount,
  ...(d.attempts.length > 0 ? { lastAttempt: d.attempts[d.attempts.length - 1] } : {}),
  createdAt: d.createdAt,
  ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
});

/** Joint-enforcement partners: subscriptions, their deliveries, and whether every partner acknowledged an entry's events. */
export function partnerRoutes(app: Hono<AppEnv>, deps: Deps) {
  route(
    app,
    {
      method: 'post',
      path: '/v1/partners/subscriptions',
      summary: 'Subscribe to entry events',
      tag: 'partners',
      access: ['partner'],
      body: subscribeSchema,
      responses: { 201: { description: 'The subscription; every later listing, delisting and correction of its types is POSTed to url, signed with secret', schema: subscriptionSchema }, 200: { description: 'The same partner, URL, secret and events again: the subscription made the first time (one per partner and URL)', schema: subscriptionSchema }, 409: { description: 'This URL is already subscribed by the caller with another secret or other events', schema: problemSchema }, 400: { description: 'Invalid fields, each named; a url that is not https to a public address (every address its host resolves to), loopback only where configured', schema: problemSchema } },
    },
    async (c, { body, principal }) => {
      // https to public addresses only (SSRF); checked again at every delivery's connection.
      const target = await checkWebhookUrl(body.url, deps.partnerWebhooks);
      if (!target.ok) throw invalid([target.error]);
      const now = deps.clock.now();
      // One subscription per partner and URL: a retried request names the one the first made, and nothing is delivered twice.
      const subscriptionId = derivedId('sub', `${principal!.id}\n${body.url}`);
      const subscription = { subscriptionId, partnerId: principal!.id, url: body.url, secret: body.secret, events: body.events, createdAt: now.toISOString() };
      let created = true;
      try {
        await deps.partners.subscribe(subscription);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = (await deps.partners.subscription(subscriptionId))!;
        if (existing.secret !== body.secret || existing.events.join() !== body.events.join()) {
          throw new DomainError('INVALID_STATE', `You already subscribed ${body.url} with other settings`, { subscriptionId, errors: [{ path: 'url', message: 'already subscribed with another secret or other events' }] });
        }
        Object.assign(subscription, { createdAt: existing.createdAt });
        created = false;
      }
      return c.json({ subscriptionId, url: subscription.url, events: subscription.events, createdAt: subscription.createdAt }, created ? 201 : 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/v1/partners/deliveries',
      summary: 'List my pending deliveries',
      tag: 'partners',
      access: ['partner'],
      responses: { 200: { description: 'The caller\'s deliveries not yet acknowledged, in order per entry, with their attempts', schema: z.object({ deliveries: z.array(deliverySchema) }) } },
    },
    async (c, { principal }) => {
      const mine = (await deps.partners.subscriptions()).filter((s) => s.partnerId === principal!.id);
      const deliveries = (await Promise.all(mine.map((s) => deps.partners.deliveries(s.subscriptionId, { pendingOnly: true })))).flat();
      return c.json({ deliveries: deliveries.map(deliveryView) });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/v1/entries/{entryId}/deliveries',
      summary: 'Read the partner deliveries of an entry',
      tag: 'partners',
      access: ['agency-officer', 'agency-reviewer', 'auditor'],
      params: entryIdParams,
      responses: {
        200: { description: 'Every delivery of the entry\'s events to every partner subscribed, and whether all are acknowledged (true when there is none)', schema: z.object({ partners: z.number().int(), allAcknowledged: z.boolean(), deliveries: z.array(deliverySchema) }) },
        404: { description: 'Absent, or not the caller\'s agency', schema: problemSchema },
      },
    },
    async (c, { params, principal }) => {
      const loaded = await deps.entries.load(params.entryId!);
      if (!loaded || !canSeeEntry(principal!, loaded.state)) throw notFound(`Entry ${params.entryId}`);
      const subscriptions = await deps.partners.subscriptions();
      const deliveries = (await Promise.all(subscriptions.map((s) => deps.partners.deliveries(s.subscriptionId, { entryId: params.entryId! })))).flat();
      return c.json({ partners: new Set(subscriptions.map((s) => s.partnerId)).size, allAcknowledged: deliveries.every((d) => d.status === 'delivered'), deliveries: deliveries.map(deliveryView) });
    },
  );
}
