import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A sortable unique id: 10 characters of millisecond time, then 16 random, Crockford base32.
 * The time part comes from the caller's clock so ids sort in virtual time locally.
 */
export function newId(prefix: string, at: Date): string {
  let time = at.getTime();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = ALPHABET[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const bytes = randomBytes(16);
  let tail = '';
  for (const b of bytes) tail += ALPHABET[b % 32];
  return `${prefix}_${head}${tail}`;
}

/**
 * An id derived from a seed (e.g. a caller and their Idempotency-Key): the
 * same seed always names the same record, so a retried request finds it.
 */
export function derivedId(prefix: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += ALPHABET[digest[i]! % 32];
  return `${prefix}_${out}`;
}
