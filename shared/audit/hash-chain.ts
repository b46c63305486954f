import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  role: string;
  id: string;
}

/** What the domain decided, before it is placed in the chain. */
export interface PendingEvent {
  type: string;
  data: Record<string, unknown>;
}

/** One link of an entry's audit trail. */
export interface AuditEvent {
  entryId: string;
  seq: number;
  at: string;
  actor: Actor;
  type: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** hash = SHA-256(prevHash + canonical JSON of the event without its hashes). */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  const { prevHash, ...body } = event;
  return createHash('sha256').update(prevHash + canonicalJson(body)).digest('hex');
}

/** Places pending events after the given head, linking each to the one before. */
export function chainEvents(
  entryId: string,
  head: { seq: number; hash: string },
  pending: PendingEvent[],
  actor: Actor,
  at: string,
): AuditEvent[] {
  const chained: AuditEvent[] = [];
  let prev = head;
  for (const { type, data } of pending) {
    const unsigned = { entryId, seq: prev.seq + 1, at, actor, type, data, prevHash: prev.hash };
    const event = { ...unsigned, hash: hashEvent(unsigned) };
    chained.push(event);
    prev = event;
  }
  return chained;
}

export interface ChainVerdict {
  ok: boolean;
  length: number;
  headHash: string;
  firstBadSeq?: number;
  reason?: string;
}

/** Recomputes the chain from the genesis and names the first event that does not fit. */
export function verifyChain(events: AuditEvent[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const event of events) {
    const bad = (reason: string): ChainVerdict => ({ ok: false, length: events.length, headHash: prevHash, firstBadSeq: event.seq ?? expectedSeq, reason });
    if (event.seq !== expectedSeq) return bad(`expected seq ${expectedSeq}, found ${event.seq}`);
    if (event.prevHash !== prevHash) return bad('prevHash does not match the previous event');
    const { hash, ...unsigned } = event;
    if (hashEvent(unsigned) !== hash) return bad('the stored hash does not match the event content');
    prevHash = hash;
    expectedSeq++;
  }
  return { ok: true, length: events.length, headHash: prevHash };
}
