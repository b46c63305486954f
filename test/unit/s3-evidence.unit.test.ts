import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ownerFolder, type EvidenceUploadRequest } from '../../shared/evidence/evidence-files.js';
import { evidenceObjectKey, S3Evidence } from '../../shared/evidence/s3-evidence.js';
import { samplePdf, sha256Hex } from '../support/evidence-samples.js';

/*
 * The S3 adapter against the exact SDK commands. Presigning runs for real:
 * it is local computation with the client's (dummy) credentials and sends
 * nothing, which the mock confirms.
 */

const BUCKET = 'due-process-evidence';
const OWNER = '110102199001010015';
const NOW = new Date('2026-09-18T02:00:00.600Z');
const pdf = samplePdf('s3-unit');
const file: EvidenceUploadRequest = { name: '回单.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256Hex(pdf) };
const checksum = Buffer.from(file.sha256, 'hex').toString('base64');
const key = `evidence/${ownerFolder(OWNER)}/${file.sha256}`;

const client = new S3Client({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret' } });
const s3 = mockClient(client);
const evidence = new S3Evidence({ bucket: BUCKET, region: 'ap-east-1', client, clock: { now: () => NOW } });
/** A GetObject body as the SDK hands it over, reduced to the one method the adapter uses. */
const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes }) as never;

beforeEach(() => s3.reset());

describe('S3 evidence: upload URLs', () => {
  it('keys the object by a digest of the owner and the file digest, never the subject id', () => {
    expect(evidenceObjectKey(OWNER, file.sha256)).toBe(key);
    expect(key).toMatch(/^evidence\/[0-9a-f]{64}\/[0-9a-f]{64}$/);
    expect(key).not.toContain(OWNER);
  });

  it('presigns a PutObject for 15 minutes with the type, length and SHA-256 signed as headers', async () => {
    const upload = await evidence.prepareUpload(OWNER, file);
    const url = new URL(upload.url);
    expect(`${url.origin}${url.pathname}`).toBe(`https://${BUCKET}.s3.ap-east-1.amazonaws.com/${key}`);
    const q = url.searchParams;
    expect(q.get('x-id')).toBe('PutObject');
    expect(q.get('X-Amz-Expires')).toBe('900');
    expect(q.get('X-Amz-Date')).toBe('20260918T020000Z');
    expect(q.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;x-amz-checksum-sha256');
    // Hoisted into the query, the checksum would not be checked by S3.
    expect([...q.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(upload).toEqual({
      method: 'PUT',
      url: upload.url,
      headers: { 'content-type': 'application/pdf', 'x-amz-checksum-sha256': checksum },
      expiresAt: '2026-09-18T02:15:00.000Z',
    });
    // Presigning sends nothing.
    expect(s3.calls()).toHaveLength(0);
  });

  it('names the origin its upload URLs point at, which the pages\' CSP lets the upload script reach', async () => {
    const upload = await evidence.prepareUpload(OWNER, file);
    expect(new URL(upload.url).origin).toBe(evidence.uploadOrigin);
    expect(evidence.uploadOrigin).toBe(`https://${BUCKET}.s3.ap-east-1.amazonaws.com`);
  });

  it('binds the size, digest and type into the signature', async () => {
    const signature = async (f: EvidenceUploadRequest) => new URL((await evidence.prepareUpload(OWNER, f)).url).searchParams.get('X-Amz-Signature');
    const base = await signature(file);
    expect(await signature(file)).toBe(base);
    expect(await signature({ ...file, size: file.size + 1 })).not.toBe(base);
    expect(await signature({ ...file, contentType: 'image/png' })).not.toBe(base);
    expect(await signature({ ...file, name: 'another name.pdf' })).toBe(base);
  });

  it('refuses to sign a size over 10 MB or a malformed digest', async () => {
    await expect(evidence.prepareUpload(OWNER, { ...file, size: 10 * 1024 * 1024 + 1 })).rejects.toThrow(RangeError);
    await expect(evidence.prepareUpload(OWNER, { ...file, sha256: file.sha256.toUpperCase() })).rejects.toThrow(RangeError);
  });
});

describe('S3 evidence: inspection', () => {
  it('reads the size with HeadObject and the type from a ranged GetObject of the first 16 bytes', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: pdf.length, ChecksumSHA256: checksum });
    s3.on(GetObjectCommand).resolves({ Body: body(pdf.subarray(0, 16)) });
    expect(await evidence.inspect(OWNER, file.sha256)).toEqual({ size: pdf.length, contentType: 'application/pdf' });
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }]);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: key, Range: 'bytes=0-15' }]);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('reports stored bytes of no accepted type as such', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 30, ChecksumSHA256: checksum });
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('plain text, called a PDF')) });
    expect(await evidence.inspect(OWNER, file.sha256)).toEqual({ size: 30, contentType: undefined });
  });

  it('answers undefined when nothing is stored under the key (NotFound), without reading', async () => {
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
    expect(await evidence.inspect(OWNER, file.sha256)).toBeUndefined();
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('looks under the asking owner only: another subject finds nothing', async () => {
    s3.on(HeadObjectCommand, { Bucket: BUCKET, Key: key }).resolves({ ContentLength: pdf.length, ChecksumSHA256: checksum });
    s3.on(HeadObjectCommand, { Key: evidenceObjectKey('110102199001010023', file.sha256) }).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
    expect(await evidence.inspect('110102199001010023', file.sha256)).toBeUndefined();
    expect(s3.commandCalls(HeadObjectCommand)[0]!.args[0].input.Key).toBe(evidenceObjectKey('110102199001010023', file.sha256));
  });

  it('does not take an object whose stored checksum is another digest for the file', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: pdf.length, ChecksumSHA256: Buffer.alloc(32).toString('base64') });
    expect(await evidence.inspect(OWNER, file.sha256)).toBeUndefined();
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('lets other failures through: a 403 is not "not uploaded"', async () => {
    const denied = new S3ServiceException({ name: 'Forbidden', $fault: 'client', message: 'Forbidden', $metadata: { httpStatusCode: 403 } });
    s3.on(HeadObjectCommand).rejects(denied);
    await expect(evidence.inspect(OWNER, file.sha256)).rejects.toBe(denied);
  });

  it('asks S3 nothing for a digest that is not 64 lowercase hex', async () => {
    expect(await evidence.inspect(OWNER, '../../etc/passwd')).toBeUndefined();
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('S3 evidence: reading a file for review', () => {
  it('reads the whole object with one GetObject in checksum mode, and sniffs its type from the bytes', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ChecksumSHA256: checksum });
    const read = await evidence.read(OWNER, file.sha256);
    expect(read).toEqual({ bytes: pdf, contentType: 'application/pdf' });
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }]);
    expect(s3.calls()).toHaveLength(1);
  });

  it('answers undefined when nothing is stored under the key (NoSuchKey)', async () => {
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));
    expect(await evidence.read(OWNER, file.sha256)).toBeUndefined();
  });

  it('does not take an object whose stored checksum is another digest for the file', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ChecksumSHA256: Buffer.alloc(32).toString('base64') });
    expect(await evidence.read(OWNER, file.sha256)).toBeUndefined();
  });

  it('lets other failures through, and asks nothing for a malformed digest', async () => {
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
    s3.on(GetObjectCommand).rejects(denied);
    await expect(evidence.read(OWNER, file.sha256)).rejects.toBe(denied);
    s3.reset();
    expect(await evidence.read(OWNER, 'ABC')).toBeUndefined();
    expect(s3.calls()).toHaveLength(0);
  });
});
