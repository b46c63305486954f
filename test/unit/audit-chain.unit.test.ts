import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/audit/canonical-json.js';
import { chainEvents, GENESIS_HASH, hashEvent, verifyChain } from '../../shared/audit/hash-chain.js';

const actor = { role: 'agency-officer', id: 'agency-officer:310000-samr' };

function trail(n: number) {
  const pending = Array.from({ length: n }, (_, i) => ({ type: `Happened${i}`, data: { i, nested: { b: 2, a: 1 } } }));
  return chainEvents('ent_1', { seq: 0, hash: GENESIS_HASH }, pending, actor, '2026-11-21T08:00:00.000+08:00');
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members, so equal events hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('refuses non-finite numbers rather than hashing them as null', () => {
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow(/Non-finite/);
  });
});

describe('hash chain', () => {
  it('links each event to the one before: hash = SHA-256(prevHash + canonical JSON)', () => {
    const events = trail(3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[2]!.prevHash).toBe(events[1]!.hash);
    const { hash, ...unsigned } = events[1]!;
    expect(hashEvent(unsigned)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('continues a chain from its head', () => {
    const first = trail(2);
    const more = chainEvents('ent_1', { seq: 2, hash: first[1]!.hash }, [{ type: 'Later', data: {} }], actor, '2026-11-22T08:00:00.000+08:00');
    expect(verifyChain([...first, ...more])).toEqual({ ok: true, length: 3, headHash: more[0]!.hash });
  });

  it('names the first event whose data was edited', () => {
    const events = trail(4);
    events[2] = { ...events[2]!, data: { ...events[2]!.data, i: 99 } };
    expect(verifyChain(events)).toMatchObject({ ok: false, firstBadSeq: 3, length: 4 });
  });

  it('names an event whose hash was recomputed after an edit, because the next link no longer fits', () => {
    const events = trail(3);
    const edited = { ...events[1]!, actor: { role: 'auditor', id: 'someone-else' } };
    const { hash: _old, ...unsigned } = edited;
    events[1] = { ...edited, hash: hashEvent(unsigned) };
    expect(verifyChain(events)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('names a gap where an event was removed', () => {
    const events = trail(3);
    expect(verifyChain([events[0]!, events[2]!])).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringContaining('expected seq 2') });
  });
});
