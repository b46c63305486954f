import { createHash } from 'node:crypto';

/** The kinds of evidence file accepted, recognised from their bytes, never their names. */
export const EVIDENCE_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];

/** The largest evidence file accepted: 10 MB (PRODUCT.md, evidence). */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** How long an upload URL stays valid after it is issued. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** A SHA-256 digest as evidence is named by: 64 lowercase hex characters. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One file a subject means to upload, as its client describes it. */
export interface EvidenceUploadRequest {
  name: string;
  contentType: EvidenceContentType;
  size: number;
  sha256: string;
}

/** How the client sends the bytes: a PUT to `url` with `headers`, before `expiresAt` (ISO 8601). */
export interface PreparedUpload {
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** What is stored under an owner and digest: its size and the type its leading bytes show. */
export interface StoredEvidence {
  size: number;
  contentType: EvidenceContentType | undefined;
}

/** A stored file's bytes, with the type its leading bytes show. */
export interface EvidenceContent {
  bytes: Uint8Array;
  contentType: EvidenceContentType | undefined;
}

/**
 * Evidence files, stored by owner and SHA-256: S3 behind presigned URLs on
 * AWS, files under DATA_DIR locally. Cases name their evidence by digest, and
 * the filing checks each one was uploaded by the same subject.
 */
export interface EvidenceFiles {
  /** How the client uploads one file: a presigned, expiring PUT whose size and digest are bound into the signature. */
  prepareUpload(owner: string, file: EvidenceUploadRequest): Promise<PreparedUpload>;
  /** What the stored bytes are, or undefined when the owner uploaded nothing with that digest. */
  inspect(owner: string, sha256: string): Promise<StoredEvidence | undefined>;
  /** The whole file, for a reviewer to look at; undefined when the owner has no file with that digest. */
  read(owner: string, sha256: string): Promise<EvidenceContent | undefined>;
  /** Where upload URLs point when that is not the site itself (the bucket on AWS): the pages' script must be allowed to send there. */
  readonly uploadOrigin?: string;
}

/**
 * The folder an owner's files live in: a digest of the subject id, so
 * identity numbers never appear as file or object names.
 */
export function ownerFolder(owner: string): string {
  return createHash('sha256').update(`evidence-owner:${owner}`).digest('hex');
}

/**
 * Refuses to sign an upload the API would not accept. The route validates
 * first; this keeps a caller that skips it from binding a larger size into a URL.
 */
export function assertUploadable(file: EvidenceUploadRequest): void {
  if (!Number.isInteger(file.size) || file.size < 1 || file.size > MAX_EVIDENCE_BYTES) throw new RangeError(`Evidence size must be 1..${MAX_EVIDENCE_BYTES} bytes, got ${file.size}`);
  if (!SHA256_HEX.test(file.sha256)) throw new RangeError('Evidence sha256 must be 64 lowercase hex characters');
  if (!(EVIDENCE_CONTENT_TYPES as readonly string[]).includes(file.contentType)) throw new RangeError(`Evidence content type ${file.contentType} is not accepted`);
}
