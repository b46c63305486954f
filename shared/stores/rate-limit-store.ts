import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { RATE_LIMITS, rateWindow, type RateLimitName, type RateLimits } from '../platform/rate-limits.js';
import { TABLES } from './tables.js';

/** What one counted request was told: allowed with the window's count so far, or refused until the window ends. */
export type RateVerdict = { allowed: true; hits: number } | { allowed: false; retryAfterSeconds: number };

/** A counter is kept a window past its own, then DynamoDB's TTL removes it (dynalite keeps it; it is never read again). */
const KEEP_AFTER_WINDOW_SECONDS = 60;

/**
 * Fixed-window request counters in the entries table, one item per limit, key
 * and window (`RATE#<limit>#<hashed key>`, `<window start>`). One conditional
 * UpdateItem counts a request and checks the limit at once, so every instance
 * of the function shares the count, on DynamoDB and on dynalite alike (no
 * transaction, no TTL needed for correctness: the window is in the key).
 */
export class RateLimitStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly limits: RateLimits = RATE_LIMITS,
  ) {}

  /** Counts one request of `key` (a subject id or a client address) against the named limit. */
  async hit(name: RateLimitName, key: string, now: Date): Promise<RateVerdict> {
    const { limit, windowSeconds } = this.limits[name];
    const window = rateWindow(now, windowSeconds);
    try {
      const res = await this.db.send(new UpdateCommand({
        TableName: this.table,
        Key: { pk: `RATE#${name}#${hashKey(key)}`, sk: window.startsAt },
        UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
        // A request over the limit is not counted: the item stays at the limit rather than growing with every refusal.
        ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
        ExpressionAttributeNames: { '#ttl': TABLES.entries.timeToLiveAttribute },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': window.endsAtEpochSeconds + KEEP_AFTER_WINDOW_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }));
      return { allowed: true, hits: Number(res.Attributes?.hits) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { allowed: false, retryAfterSeconds: window.retryAfterSeconds };
      throw error;
    }
  }
}

/**
 * Subject ids and addresses are personal data: keys carry only a digest, so they
 * do not show in key-level diagnostics (hot keys, throttling reports) in clear.
 */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
