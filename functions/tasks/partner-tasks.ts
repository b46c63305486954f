import * as z from 'zod/mini';
import { asError } from '../../shared/platform/errors.js';
import { signBody } from '../../shared/partners/signature.js';
import { postWebhook, WebhookTargetRefused } from '../../shared/partners/webhook-post.js';
import type { TaskDeps } from '../deps.js';
import { continuationName, pastHorizon } from './continuation.js';
import { TaskSignal, type TaskHandler } from './dispatch.js';

const deliveryPayload = z.looseObject({ subscriptionId: z.string(), entryId: z.string(), eventId: z.string(), executionName: z.optional(z.string()), executionStartedAt: z.optional(z.string()) });


/** How long a partner has to answer one delivery. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Delivers one partner event to one subscription: the event as JSON, signed
 * with the subscription's secret, every attempt recorded. A 2xx answer is the
 * acknowledgement. Anything else (a target the webhook policy refuses at
 * connect time included), or an earlier event of the same entry not yet
 * acknowledged, is a named signal the state machine retries with back-off.
 */
const deliverPartnerEvent: TaskHandler = async (payload, deps) => {
  const { subscriptionId, entryId, eventId, executionName, executionStartedAt } = deliveryPayload.parse(payload);
  const delivery = await deps.partners.delivery(subscriptionId, { entryId, eventId });
  if (!delivery) throw new Error(`No delivery of ${eventId} for ${subscriptionId}`);
  if (delivery.status === 'delivered') return { delivered: true, at: delivery.deliveredAt };
  const subscription = await deps.partners.subscription(subscriptionId);
  if (!subscription) throw new Error(`Subscription ${subscriptionId} is gone`);
  const earlier = await deps.partners.earlierPending(subscriptionId, delivery.event);
  if (earlier) throw new TaskSignal('WaitingForEarlier', `${earlier.event.eventId} of the same entry is not acknowledged yet`);

  const body = JSON.stringify(delivery.event);
  let status: number | undefined;
  let error: string | undefined;
  try {
    ({ status } = await postWebhook({ url: subscription.url, headers: { 'content-type': 'application/json', 'x-signature': signBody(body, subscription.secret), 'x-event-id': eventId }, body, timeoutMs: DELIVERY_TIMEOUT_MS }, deps.partnerWebhooks));
  } catch (e) {
    // A refused target is an attempt that failed with its reason, retried like any other: the rule is applied afresh each time.
    error = e instanceof WebhookTargetRefused ? `refused: ${e.message}` : asError(e).message;
  }
  const delivered = status !== undefined && status >= 200 && status < 300;
  const at = deps.clock.now().toISOString();
  await deps.partners.recordAttempt(subscriptionId, delivery.event, { at, ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}) }, delivered);
  if (!delivered) {
    // A delivery still refused near the execution's one-year limit goes on in a new execution.
    if (executionName && executionStartedAt && pastHorizon(executionStartedAt, new Date(at))) {
      const { executionArn } = await deps.workflows.startExecution('partnerDelivery', continuationName(executionName), { subscriptionId, entryId, eventId });
      return { delivered: false, continuedAs: executionArn };
    }
    // The partner's origin only: a URL may carry credentials in its path or query.
    throw new TaskSignal('DeliveryFailed', status !== undefined ? `${new URL(subscription.url).origin} answered ${status}` : `${new URL(subscription.url).origin}: ${error}`);
  }
  return { delivered: true, at };
};

/** The outbox sweep, on a schedule: hands off again what a failed or interrupted hand-off left behind. */
const handOffPending: TaskHandler = async (_payload, deps) => ({ handedOff: await deps.entries.handOffPending() });

export const PARTNER_TASKS: Record<string, TaskHandler> = { deliverPartnerEvent, handOffPending };
