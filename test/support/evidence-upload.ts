import type { ApiClient } from './api-client.js';
import { sha256Hex } from './evidence-samples.js';

/**
 * Uploads one evidence file as a client does: asks for the upload URL, then
 * PUTs the bytes there. Returns the reference a case names it by.
 */
export async function uploadEvidence(api: ApiClient, token: string, bytes: Buffer, name: string, contentType: 'application/pdf' | 'image/jpeg' | 'image/png') {
  const sha256 = sha256Hex(bytes);
  const prepared = await api.call('POST', '/v1/evidence', { token, body: { name, contentType, size: bytes.length, sha256 } });
  if (prepared.status !== 201) throw new Error(`POST /v1/evidence: ${prepared.status} ${JSON.stringify(prepared.body)}`);
  const { url, method, headers } = prepared.body.upload as { url: string; method: string; headers: Record<string, string> };
  const put = await fetch(url, { method, headers, body: bytes });
  if (!put.ok) throw new Error(`${method} ${url}: ${put.status} ${await put.text()}`);
  return { name, contentType, sha256 };
}
