import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PartnerEvent, PartnerEventType } from '../domain/partner-events.js';

export interface Subscription {
  subscriptionId: string;
  partnerId: string;
  url: string;
  secret: string;
  events: PartnerEventType[];
  createdAt: string;
}

export interface DeliveryAttempt {
  at: string;
  /** The partner's HTTP status, when it answered. */
  status?: number;
  error?: string;
}

/** One event for one subscription: pending until the partner answers 2xx, with every attempt kept. */
export interface Delivery {
  subscriptionId: string;
  partnerId: string;
  event: PartnerEvent;
  status: 'pending' | 'delivered';
  attempts: DeliveryAttempt[];
  createdAt: string;
  deliveredAt?: string;
}

const SUBSCRIPTIONS = 'SUBSCRIPTIONS';
const deliveryPk = (subscriptionId: string) => `DELIVERIES#${subscriptionId}`;
/** Sorted by entry, then by the event's place in the entry's trail: the order partners receive them in. */
const deliverySk = (event: Pick<PartnerEvent, 'entryId' | 'eventId'>) => `${event.entryId}#${seqOf(event.eventId).toString().padStart(8, '0')}`;
export const seqOf = (eventId: string) => Number(eventId.slice(eventId.lastIndexOf(':') + 1));

/** Subscriptions of joint-enforcement partners and the delivery of each event to each of them. */
export class PartnerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async subscribe(subscription: Subscription): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: SUBSCRIPTIONS, sk: subscription.subscriptionId, ...subscription }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async subscription(subscriptionId: string): Promise<Subscription | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: SUBSCRIPTIONS, sk: subscriptionId } }))).Item;
    return item ? toSubscription(item) : undefined;
  }

  /** Every subscription; partners are few (the joint-enforcement agencies). */
  async subscriptions(): Promise<Subscription[]> {
    const out: Subscription[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SUBSCRIPTIONS }, ConsistentRead: true, ExclusiveStartKey: startKey }));
      out.push(...(page.Items ?? []).map(toSubscription));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }

  /** Records a delivery to make, once: the same event for the same subscription again changes nothing. */
  async addDelivery(subscription: Subscription, event: PartnerEvent, at: string): Promise<void> {
    const delivery: Delivery = { subscriptionId: subscription.subscriptionId, partnerId: subscription.partnerId, event, status: 'pending', attempts: [], createdAt: at };
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: deliveryPk(subscription.subscriptionId), sk: deliverySk(event), ...delivery, attemptCount: 0 }, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async delivery(subscriptionId: string, event: Pick<PartnerEvent, 'entryId' | 'eventId'>): Promise<Delivery | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: deliveryPk(subscriptionId), sk: deliverySk(event) }, ConsistentRead: true }))).Item;
    return item ? toDelivery(item) : undefined;
  }

  /** The first event of the same entry before this one that this subscription has not acknowledged yet. */
  async earlierPending(subscriptionId: string, event: Pick<PartnerEvent, 'entryId' | 'eventId'>): Promise<Delivery | undefined> {
    const seq = seqOf(event.eventId);
    if (seq <= 1) return undefined;
    const page = await this.db.send(new QueryCommand({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#status <> :delivered',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': deliveryPk(subscriptionId), ':from': `${event.entryId}#`, ':to': deliverySk({ entryId: event.entryId, eventId: `${event.entryId}:${seq - 1}` }), ':delivered': 'delivered' },
      ConsistentRead: true,
    }));
    return (page.Items ?? []).map(toDelivery)[0];
  }

  /** Records one attempt; a 2xx answer marks the delivery acknowledged. */
  async recordAttempt(subscriptionId: string, event: Pick<PartnerEvent, 'entryId' | 'eventId'>, attempt: DeliveryAttempt, delivered: boolean): Promise<void> {
    // Appended in place, so attempts recorded at the same time are all kept; an acknowledgement is never undone.
    await this.db.send(new UpdateCommand({
      TableName: this.table,
      Key: { pk: deliveryPk(subscriptionId), sk: deliverySk(event) },
      UpdateExpression: `SET attempts = list_append(attempts, :attempt), attemptCount = attemptCount + :one${delivered ? ', #status = :delivered, deliveredAt = :at' : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: delivered ? { '#status': 'status' } : undefined,
      ExpressionAttributeValues: { ':attempt': [attempt], ':one': 1, ...(delivered ? { ':delivered': 'delivered', ':at': attempt.at } : {}) },
    }));
  }

  /** A subscription's deliveries, in order; `pendingOnly` leaves out the acknowledged ones. */
  async deliveries(subscriptionId: string, options: { pendingOnly?: boolean; entryId?: string } = {}): Promise<Array<Delivery & { attemptCount: number }>> {
    const out: Array<Delivery & { attemptCount: number }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: options.entryId ? 'pk = :pk AND begins_with(sk, :entry)' : 'pk = :pk',
        ...(options.pendingOnly ? { FilterExpression: '#status <> :delivered', ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: { ':pk': deliveryPk(subscriptionId), ...(options.entryId ? { ':entry': `${options.entryId}#` } : {}), ...(options.pendingOnly ? { ':delivered': 'delivered' } : {}) },
        ExclusiveStartKey: startKey,
      }));
      out.push(...(page.Items ?? []).map((i) => ({ ...toDelivery(i), attemptCount: Number(i.attemptCount ?? 0) })));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }
}

function toSubscription(item: Record<string, unknown>): Subscription {
  const { subscriptionId, partnerId, url, secret, events, createdAt } = item as unknown as Subscription;
  return { subscriptionId, partnerId, url, secret, events, createdAt };
}

function toDelivery(item: Record<string, unknown>): Delivery {
  const { subscriptionId, partnerId, event, status, attempts, createdAt, deliveredAt } = item as unknown as Delivery;
  return { subscriptionId, partnerId, event, status, attempts, createdAt, ...(deliveredAt ? { deliveredAt } : {}) };
}
