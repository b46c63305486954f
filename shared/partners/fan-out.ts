import type { PartnerEvent } from '../domain/partner-events.js';
import type { Clock } from '../platform/clock.js';
import type { WorkflowEngine } from '../workflows/engine.js';
import { seqOf, type PartnerStore } from './partner-store.js';

/** The delivery execution of one event for one subscription, named so a repeated hand-off starts nothing twice. */
export const deliveryExecutionName = (subscriptionId: string, event: Pick<PartnerEvent, 'entryId' | 'eventId'>) => `${subscriptionId}-${event.entryId}-${seqOf(event.eventId)}`;

/**
 * The outbox relay: each partner event of a commit becomes one delivery per
 * subscription that wants its type, recorded once and run by its own
 * execution. Idempotent, so a commit handed off again changes nothing.
 */
export function partnerFanOut(partners: PartnerStore, workflows: WorkflowEngine, clock: Clock) {
  return async (events: PartnerEvent[]): Promise<void> => {
    const subscriptions = await partners.subscriptions();
    for (const subscription of subscriptions) {
      for (const event of events) {
        // A partner receives what happens from its subscription on: an older event handed off late would arrive out of order.
        if (!subscription.events.includes(event.type) || Date.parse(event.at) < Date.parse(subscription.createdAt)) continue;
        await partners.addDelivery(subscription, event, clock.now().toISOString());
        await workflows.startExecution('partnerDelivery', deliveryExecutionName(subscription.subscriptionId, event), { subscriptionId: subscription.subscriptionId, entryId: event.entryId, eventId: event.eventId });
      }
    }
  };
}
