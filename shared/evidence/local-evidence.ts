import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateSecret } from '../platform/key-file.js';
import * as z from 'zod';
import type { Clock } from '../platform/clock.js';
import {
  assertUploadable,
  EVIDENCE_CONTENT_TYPES,
  ownerFolder,
  SHA256_HEX,
  UPLOAD_URL_SECONDS,
  type EvidenceContent,
  type EvidenceContentType,
  type EvidenceFiles,
  type EvidenceUploadRequest,
  type PreparedUpload,
  type StoredEvidence,
} from './evidence-files.js';
import { SNIFF_BYTES, sniffContentType } from './sniff.js';

/** Where the local app receives uploads: `PUT {siteUrl}/_local/evidence/{token}`. */
export const LOCAL_UPLOAD_PATH = '/_local/evidence';

/** What an upload URL grants: one file of this size, digest and type, into this owner's folder, until the expiry. */
export interface UploadGrant {
  /** The owner's folder (a digest of the subject id), never the id itself: the token is readable in the URL. */
  owner: string;
  sha256: string;
  size: number;
  contentType: EvidenceContentType;
  expiresAtEpochSeconds: number;
}

/** Why an upload is refused; the route maps each to a problem response. */
export type UploadRefusal =
  | { code: 'BAD_SIGNATURE' }
  | { code: 'EXPIRED'; expiredAt: string }
  | { code: 'SIZE_MISMATCH'; signed: number; received: number }
  | { code: 'DIGEST_MISMATCH'; signed: string; received: string }
  | { code: 'TYPE_MISMATCH'; signed: EvidenceContentType; found: EvidenceContentType | undefined };

export interface StoredFile {
  sha256: string;
  size: number;
  contentType: EvidenceContentType;
}

/** The receiving side of local upload URLs, for the local-only route. */
export interface LocalEvidenceUploads {
  /** The grant a token carries, or why it carries none (forged, altered or expired on the clock). */
  verify(token: string): { grant: UploadGrant } | { refusal: UploadRefusal };
  /** Checks the bytes against the grant and stores them; `created` is false when the same file was already stored. */
  store(grant: UploadGrant, bytes: Uint8Array): Promise<{ file: StoredFile; created: boolean } | { refusal: UploadRefusal }>;
}

const grantSchema = z
  .object({
    owner: z.string().regex(SHA256_HEX),
    sha256: z.string().regex(SHA256_HEX),
    size: z.number().int().positive(),
    contentType: z.enum(EVIDENCE_CONTENT_TYPES),
    expiresAtEpochSeconds: z.number().int(),
  })
  .strict();

/** Separates upload signatures from any other use the key might be put to. */
const SIGNATURE_CONTEXT = 'evidence-upload:v1:';

/**
 * The local stand-in for S3 and its presigned URLs: files under
 * `<DATA_DIR>/evidence/<owner-folder>/<sha256>`, uploaded with a PUT to the
 * local app whose token is an HMAC (key generated on first start into
 * DATA_DIR, mode 0600) over the owner, digest, size, type and expiry.
 */
export class LocalEvidence implements EvidenceFiles, LocalEvidenceUploads {
  private constructor(
    private readonly key: Buffer,
    private readonly root: string,
    private readonly siteUrl: () => string,
    private readonly clock: Clock,
  ) {}

  /** `siteUrl` is read per upload: the local port is known only once the app listens. */
  static async open(options: { dataDir: string; siteUrl: () => string; clock: Clock }): Promise<LocalEvidence> {
    const key = await loadOrCreateKey(options.dataDir, 'local-evidence.key');
    return new LocalEvidence(key, join(options.dataDir, 'evidence'), options.siteUrl, options.clock);
  }

  async prepareUpload(owner: string, file: EvidenceUploadRequest): Promise<PreparedUpload> {
    assertUploadable(file);
    const expiresAtEpochSeconds = Math.floor(this.clock.now().getTime() / 1000) + UPLOAD_URL_SECONDS;
    const grant: UploadGrant = { owner: ownerFolder(owner), sha256: file.sha256, size: file.size, contentType: file.contentType, expiresAtEpochSeconds };
    const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
    return {
      method: 'PUT',
      url: `${this.siteUrl()}${LOCAL_UPLOAD_PATH}/${payload}.${this.sign(payload)}`,
      // As on S3, where Content-Type is one of the signed headers.
      headers: { 'content-type': file.contentType },
      expiresAt: new Date(expiresAtEpochSeconds * 1000).toISOString(),
    };
  }

  async inspect(owner: string, sha256: string): Promise<StoredEvidence | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    let handle;
    try {
      handle = await open(this.pathOf(ownerFolder(owner), sha256), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
      return { size, contentType: sniffContentType(head.subarray(0, bytesRead)) };
    } finally {
      await handle.close();
    }
  }

  async read(owner: string, sha256: string): Promise<EvidenceContent | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(ownerFolder(owner), sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return { bytes, contentType: sniffContentType(bytes.subarray(0, SNIFF_BYTES)) };
  }

  verify(token: string): { grant: UploadGrant } | { refusal: UploadRefusal } {
    const [payload, signature, ...rest] = token.split('.');
    if (!payload || !signature || rest.length > 0) return { refusal: { code: 'BAD_SIGNATURE' } };
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refusal: { code: 'BAD_SIGNATURE' } };
    let parsed;
    try {
      parsed = grantSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      return { refusal: { code: 'BAD_SIGNATURE' } };
    }
    // Only this key signs grants, so a well-signed payload of another shape is a bug here, not a forgery.
    if (!parsed.success) throw new Error(`A signed upload token holds an invalid grant: ${parsed.error.message}`);
    const grant = parsed.data;
    if (this.clock.now().getTime() >= grant.expiresAtEpochSeconds * 1000) return { refusal: { code: 'EXPIRED', expiredAt: new Date(grant.expiresAtEpochSeconds * 1000).toISOString() } };
    return { grant };
  }

  async store(grant: UploadGrant, bytes: Uint8Array): Promise<{ file: StoredFile; created: boolean } | { refusal: UploadRefusal }> {
    if (bytes.length !== grant.size) return { refusal: { code: 'SIZE_MISMATCH', signed: grant.size, received: bytes.length } };
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== grant.sha256) return { refusal: { code: 'DIGEST_MISMATCH', signed: grant.sha256, received: digest } };
    const found = sniffContentType(bytes.subarray(0, SNIFF_BYTES));
    if (found !== grant.contentType) return { refusal: { code: 'TYPE_MISMATCH', signed: grant.contentType, found } };

    const file: StoredFile = { sha256: grant.sha256, size: grant.size, contentType: grant.contentType };
    const target = this.pathOf(grant.owner, grant.sha256);
    // Named by their digest: a file already there with this size holds these very bytes.
    if ((await sizeOf(target)) === grant.size) return { file, created: false };
    await writeAtomically(target, bytes);
    return { file, created: true };
  }

  private pathOf(ownerDirectory: string, sha256: string): string {
    return join(this.root, ownerDirectory, sha256);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(SIGNATURE_CONTEXT).update(payload).digest('base64url');
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes to a temporary file beside the target, flushes it, then renames it: a reader sees the whole file or none. */
async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const dir = join(target, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A 256-bit key kept in DATA_DIR (mode 0600, never committed), made on first start. */
async function loadOrCreateKey(dataDir: string, name: string): Promise<Buffer> {
  const { file, content } = await loadOrCreateSecret(dataDir, name, () => randomBytes(32).toString('base64'));
  const key = Buffer.from(content.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key; remove it to make a new one (upload URLs already issued stop working)`);
  return key;
}
