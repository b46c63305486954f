import { randomUUID } from 'node:crypto';
import { samplePdf, sha256Hex } from '../test/support/evidence-samples.js';

/** Calls the local API as a client does; anything but 2xx throws with the status and body. */
export async function callApi<T = unknown>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; idempotent?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotent) headers['idempotency-key'] = randomUUID();
  const res = await fetch(baseUrl + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface EvidenceRef {
  name: string;
  contentType: 'application/pdf';
  sha256: string;
}

/** Uploads one small PDF of the subject's own, as a client does (POST /v1/evidence, then PUT the bytes); returns what a filing names it by. */
export async function uploadPdf(baseUrl: string, token: string, n: number): Promise<EvidenceRef> {
  const bytes = samplePdf(`bench evidence ${n}`);
  const ref: EvidenceRef = { name: `evidence-${n}.pdf`, contentType: 'application/pdf', sha256: sha256Hex(bytes) };
  const prepared = await callApi<{ upload: { url: string; method: string; headers: Record<string, string> } }>(baseUrl, 'POST', '/v1/evidence', { token, body: { ...ref, size: bytes.length } });
  const { url, method, headers } = prepared.upload;
  const put = await fetch(url, { method, headers, body: bytes });
  if (!put.ok) throw new Error(`${method} ${url} answered ${put.status}: ${await put.text()}`);
  return ref;
}

/** The body of a proposal to list subject `id` (a resident id) with the default catalogue's serious-dishonesty list. */
export function proposalFor(subjectId: string, n: number) {
  return {
    subject: { id: subjectId, kind: 'person', name: `基准${n}`, email: `bench-${n}@example.cn` },
    listType: 'serious-dishonesty',
    facts: '拒不缴纳罚款',
    legalBasis: '《行政处罚法》第七十二条',
    measures: ['限制参加政府采购'],
    decisionRef: `沪市监处〔2026〕${n}号`,
    decisionDate: '2026-06-01',
  };
}
