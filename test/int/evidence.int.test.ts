import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient } from '../support/api-client.js';
import { sampleJpeg, samplePdf, samplePng, sampleText, sha256Hex, PNG_SIGNATURE } from '../support/evidence-samples.js';
import { personId } from '../support/identities.js';
import { sendRaw } from '../support/local-process.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Evidence uploads on the real local system over HTTP: POST /v1/evidence
 * signs a URL, the bytes go to it with a PUT, and inspection (what the case
 * filing consults) reads back what was stored, under the uploader's folder only.
 */

const START = '2026-09-21T09:00:00+08:00';
const TEN_MB = 10 * 1024 * 1024;
const A = personId(41);
const B = personId(42);

interface Upload { method: 'PUT'; url: string; headers: Record<string, string>; expiresAt: string }

describe('evidence uploads on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;

  const subject = (subjectId: string) => api.token({ role: 'subject', subjectId });
  const describeFile = (name: string, bytes: Buffer, contentType: string) => ({ name, contentType, size: bytes.length, sha256: sha256Hex(bytes) });
  const prepare = async (subjectId: string, file: ReturnType<typeof describeFile>) => api.call('POST', '/v1/evidence', { token: await subject(subjectId), body: file });
  /** Asks for a URL for these bytes, declared as `contentType`, and expects one. */
  const urlFor = async (subjectId: string, bytes: Buffer, contentType: string, name = 'evidence'): Promise<Upload> => {
    const res = await prepare(subjectId, describeFile(name, bytes, contentType));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.upload;
  };
  const put = async (upload: Upload, bytes: Buffer, headers = upload.headers) => {
    const res = await sendRaw(upload.method, upload.url, bytes, headers);
    return { status: res.status, body: res.text ? JSON.parse(res.text) : undefined };
  };
  const fieldsNamed = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((e) => e.path);

  beforeAll(async () => {
    data = await tempDataDir('evidence-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it.each([
    ['a PDF', samplePdf('bank receipt'), 'application/pdf', '回单.pdf'],
    ['a PNG', samplePng([10, 120, 40]), 'image/png', 'screenshot.png'],
    ['a JPEG', sampleJpeg('photo of the notice'), 'image/jpeg', 'notice.jpg'],
  ])('uploads %s through a signed URL, and inspection reports it', async (_kind, bytes, contentType, name) => {
    const file = describeFile(name, bytes, contentType);
    const prepared = await prepare(A, file);
    expect(prepared.status).toBe(201);
    const now = Date.parse((await api.call('GET', '/_local/clock')).body.now);
    expect(prepared.body).toEqual({ ...file, upload: { method: 'PUT', url: expect.stringMatching(`^${sys.url}/_local/evidence/`), headers: { 'content-type': contentType }, expiresAt: expect.any(String) } });
    const expiresInSeconds = (Date.parse(prepared.body.upload.expiresAt) - now) / 1000;
    expect(expiresInSeconds).toBeGreaterThan(15 * 60 - 2);
    expect(expiresInSeconds).toBeLessThanOrEqual(15 * 60);

    const stored = await put(prepared.body.upload, bytes);
    expect(stored).toEqual({ status: 201, body: { sha256: file.sha256, size: bytes.length, contentType } });
    expect(await sys.deps.evidence.inspect(A, file.sha256)).toEqual({ size: bytes.length, contentType });
  });

  it('keeps subject ids out of upload URLs and file names', async () => {
    const bytes = samplePdf('where it lands');
    const upload = await urlFor(A, bytes, 'application/pdf');
    expect(decodeURIComponent(upload.url)).not.toContain(A);
    expect(Buffer.from(upload.url.split('/').pop()!.split('.')[0]!, 'base64url').toString()).not.toContain(A);
    expect((await put(upload, bytes)).status).toBe(201);
    const folders = await readdir(join(data.dir, 'evidence'));
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      expect(folder).toMatch(/^[0-9a-f]{64}$/);
      for (const name of await readdir(join(data.dir, 'evidence', folder))) expect(name).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('takes the same file again without storing it twice (200)', async () => {
    const bytes = samplePng([1, 2, 3]);
    const upload = await urlFor(A, bytes, 'image/png');
    expect((await put(upload, bytes)).status).toBe(201);
    const again = await put(upload, bytes);
    expect(again).toEqual({ status: 200, body: { sha256: sha256Hex(bytes), size: bytes.length, contentType: 'image/png' } });
    // A second URL for the same file ends the same way.
    expect((await put(await urlFor(A, bytes, 'image/png'), bytes)).status).toBe(200);
  });

  it('refuses a text file declared as a PDF, naming contentType (415), and stores nothing', async () => {
    const text = sampleText('statement.pdf — actually a note\n');
    const res = await put(await urlFor(A, text, 'application/pdf', 'statement.pdf'), text);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ status: 415, errors: [{ path: 'contentType', message: expect.stringContaining('not a PDF, JPEG or PNG') }] });
    expect(await sys.deps.evidence.inspect(A, sha256Hex(text))).toBeUndefined();
  });

  it('refuses a PNG declared as a PDF, saying what the bytes are', async () => {
    const png = samplePng([9, 9, 9]);
    const res = await put(await urlFor(A, png, 'application/pdf', 'scan.pdf'), png, { 'content-type': 'application/pdf' });
    expect(res.status).toBe(415);
    expect(res.body.errors).toEqual([{ path: 'contentType', message: 'the bytes are image/png, not application/pdf' }]);
  });

  it('refuses a Content-Type header other than the signed one (415), as S3 refuses an unsigned header value', async () => {
    const pdf = samplePdf('header');
    const res = await put(await urlFor(A, pdf, 'application/pdf'), pdf, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(415);
    expect(fieldsNamed(res.body)).toEqual(['contentType']);
  });

  it('refuses bytes whose SHA-256 is not the signed one (400 naming sha256)', async () => {
    const declared = samplePdf('version one');
    const sent = samplePdf('version two');
    expect(sent.length).toBe(declared.length);
    const res = await put(await urlFor(A, declared, 'application/pdf'), sent);
    expect(res.status).toBe(400);
    expect(fieldsNamed(res.body)).toEqual(['sha256']);
    expect(await sys.deps.evidence.inspect(A, sha256Hex(sent))).toBeUndefined();
    expect(await sys.deps.evidence.inspect(A, sha256Hex(declared))).toBeUndefined();
  });

  it('refuses a body of another size than the signed one (400 naming size)', async () => {
    const declared = samplePdf('short');
    const res = await put(await urlFor(A, declared, 'application/pdf'), Buffer.concat([declared, Buffer.from('\n')]));
    expect(res.status).toBe(400);
    expect(fieldsNamed(res.body)).toEqual(['size']);
  });

  it('refuses a tampered or forged token (403)', async () => {
    const small = samplePdf('small');
    const large = samplePdf('a much larger file than the one the URL was signed for');
    const upload = await urlFor(A, small, 'application/pdf');
    const [base, token] = [upload.url.slice(0, upload.url.lastIndexOf('/') + 1), upload.url.slice(upload.url.lastIndexOf('/') + 1)];
    const [payload, signature] = token.split('.') as [string, string];
    // The grant rewritten for another file, the signature kept.
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const rewritten = Buffer.from(JSON.stringify({ ...grant, size: large.length, sha256: sha256Hex(large) })).toString('base64url');
    for (const forged of [`${rewritten}.${signature}`, `${payload}.${signature.slice(0, -2)}AA`, payload, 'not-a-token']) {
      const res = await put({ ...upload, url: base + forged }, large);
      expect(res.status, forged).toBe(403);
    }
    expect(await sys.deps.evidence.inspect(A, sha256Hex(large))).toBeUndefined();
  });

  it('checks every field of the request and names each bad one; a declared 10 MB + 1 byte is refused naming size', async () => {
    const bytes = samplePdf('fields');
    const over = await prepare(A, { ...describeFile('big.pdf', bytes, 'application/pdf'), size: TEN_MB + 1 });
    expect(over.status).toBe(400);
    expect(fieldsNamed(over.body)).toEqual(['size']);
    const bad = await prepare(A, { name: 'x'.repeat(201), contentType: 'image/gif', size: 0, sha256: sha256Hex(bytes).toUpperCase() });
    expect(bad.status).toBe(400);
    expect(fieldsNamed(bad.body).sort()).toEqual(['contentType', 'name', 'sha256', 'size']);
  });

  it('accepts a file of exactly 10 MB and answers 413 to a body over 10 MB', async () => {
    const tenMb = Buffer.alloc(TEN_MB);
    PNG_SIGNATURE.copy(tenMb);
    const upload = await urlFor(A, tenMb, 'image/png', 'large.png');
    expect((await put(upload, tenMb)).status).toBe(201);
    expect(await sys.deps.evidence.inspect(A, sha256Hex(tenMb))).toEqual({ size: TEN_MB, contentType: 'image/png' });

    const tooBig = Buffer.alloc(TEN_MB + 1);
    PNG_SIGNATURE.copy(tooBig);
    const refused = await put(await urlFor(A, tenMb.subarray(0, TEN_MB - 1), 'image/png'), tooBig);
    expect(refused.status).toBe(413);
    expect(fieldsNamed(refused.body)).toEqual(['size']);
  });

  it('lets only subjects ask for an upload URL', async () => {
    const file = describeFile('x.pdf', samplePdf('roles'), 'application/pdf');
    const reviewer = await api.token({ role: 'agency-reviewer', agencyId: '310000-samr' });
    const asReviewer = await api.call('POST', '/v1/evidence', { token: reviewer, body: file });
    expect(asReviewer.status).toBe(403);
    expect(asReviewer.contentType).toContain('application/problem+json');
    expect((await api.call('POST', '/v1/evidence', { body: file })).status).toBe(401);
  });

  it('finds a file only under the subject who uploaded it', async () => {
    const bytes = sampleJpeg('only mine');
    expect((await put(await urlFor(A, bytes, 'image/jpeg'), bytes)).status).toBe(201);
    expect(await sys.deps.evidence.inspect(A, sha256Hex(bytes))).toEqual({ size: bytes.length, contentType: 'image/jpeg' });
    expect(await sys.deps.evidence.inspect(B, sha256Hex(bytes))).toBeUndefined();
    // B uploading the same bytes gets a copy of its own.
    expect((await put(await urlFor(B, bytes, 'image/jpeg'), bytes)).status).toBe(201);
    expect(await sys.deps.evidence.inspect(B, sha256Hex(bytes))).toEqual({ size: bytes.length, contentType: 'image/jpeg' });
  });

  it('is in the OpenAPI document, for subjects', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/evidence'].post).toMatchObject({ 'x-roles': ['subject'], requestBody: { required: true } });
  });

  // Last: it moves the virtual clock.
  it('refuses a URL once it has expired on the virtual clock (403)', async () => {
    const bytes = samplePdf('late');
    const upload = await urlFor(A, bytes, 'application/pdf');
    await api.advanceTo(new Date(Date.parse(upload.expiresAt) + 1000).toISOString());
    const res = await put(upload, bytes);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, expiredAt: upload.expiresAt });
    expect(await sys.deps.evidence.inspect(A, sha256Hex(bytes))).toBeUndefined();
    // A new URL, asked for now, works.
    expect((await put(await urlFor(A, bytes, 'application/pdf'), bytes)).status).toBe(201);
  });
});
