import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock } from '../platform/clock.js';
import { assertUploadable, ownerFolder, SHA256_HEX, UPLOAD_URL_SECONDS, type EvidenceContent, type EvidenceFiles, type EvidenceUploadRequest, type PreparedUpload, type StoredEvidence } from './evidence-files.js';
import { SNIFF_BYTES, sniffContentType } from './sniff.js';

/** The object key of one file: `evidence/<owner-folder>/<sha256>`; the IAM grants are on `evidence/*`. */
export function evidenceObjectKey(owner: string, sha256: string): string {
  return `evidence/${ownerFolder(owner)}/${sha256}`;
}

/** S3's checksum headers carry the digest in base64, not hex. */
const base64Digest = (sha256Hex: string) => Buffer.from(sha256Hex, 'hex').toString('base64');

/**
 * Evidence in S3, uploaded by the client straight to the bucket through a
 * presigned PutObject. The size, type and SHA-256 are signed into the URL,
 * so S3 itself refuses any other bytes; the sniff happens on inspection.
 */
export class S3Evidence implements EvidenceFiles {
  /** The bucket's regional virtual-hosted origin, which presigned URLs point at. */
  readonly uploadOrigin: string;

  constructor(private readonly options: { bucket: string; region: string; client: S3Client; clock: Clock }) {
    this.uploadOrigin = `https://${options.bucket}.s3.${options.region}.amazonaws.com`;
  }

  async prepareUpload(owner: string, file: EvidenceUploadRequest): Promise<PreparedUpload> {
    assertUploadable(file);
    // SigV4 dates have whole seconds; the URL expires that many seconds after the truncated instant.
    const signedAt = new Date(Math.floor(this.options.clock.now().getTime() / 1000) * 1000);
    const checksum = base64Digest(file.sha256);
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: evidenceObjectKey(owner, file.sha256),
      ContentType: file.contentType,
      ContentLength: file.size,
      ChecksumSHA256: checksum,
    });
    const url = await getSignedUrl(this.options.client, command, {
      expiresIn: UPLOAD_URL_SECONDS,
      signingDate: signedAt,
      // The presigner leaves Content-Type unsigned by default; signed, a PUT of another type fails.
      signableHeaders: new Set(['content-type', 'content-length']),
      // Hoisted into the query string S3 would not check the checksum; as a signed header it must be sent and must match.
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    return {
      method: 'PUT',
      url,
      // Content-Length is signed too, but set by every HTTP client from the body (browsers refuse to set it).
      headers: { 'content-type': file.contentType, 'x-amz-checksum-sha256': checksum },
      expiresAt: new Date(signedAt.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    };
  }

  async inspect(owner: string, sha256: string): Promise<StoredEvidence | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    const target = { Bucket: this.options.bucket, Key: evidenceObjectKey(owner, sha256) };
    try {
      const head = await this.options.client.send(new HeadObjectCommand({ ...target, ChecksumMode: 'ENABLED' }));
      // The key names a digest; an object whose stored checksum is another one is not that file.
      if (head.ChecksumSHA256 !== base64Digest(sha256)) return undefined;
      const first = await this.options.client.send(new GetObjectCommand({ ...target, Range: `bytes=0-${SNIFF_BYTES - 1}` }));
      if (head.ContentLength === undefined || !first.Body) throw new Error(`S3 answered ${target.Key} without its length or bytes`);
      return { size: head.ContentLength, contentType: sniffContentType(await first.Body.transformToByteArray()) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async read(owner: string, sha256: string): Promise<EvidenceContent | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    try {
      // With checksum mode the SDK checks the whole body against the stored SHA-256 as it reads it.
      const object = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: evidenceObjectKey(owner, sha256), ChecksumMode: 'ENABLED' }));
      // The key names a digest; an object whose stored checksum is another one is not that file.
      if (object.ChecksumSHA256 !== base64Digest(sha256)) return undefined;
      if (!object.Body) throw new Error(`S3 answered ${evidenceObjectKey(owner, sha256)} without its bytes`);
      const bytes = await object.Body.transformToByteArray();
      return { bytes, contentType: sniffContentType(bytes.subarray(0, SNIFF_BYTES)) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/** HeadObject answers a missing key with NotFound, GetObject with NoSuchKey; both are 404 (given s3:ListBucket, else 403). */
function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
