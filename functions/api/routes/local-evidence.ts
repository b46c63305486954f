import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_EVIDENCE_BYTES } from '../../../shared/evidence/evidence-files.js';
import { LOCAL_UPLOAD_PATH, type LocalEvidenceUploads, type UploadRefusal } from '../../../shared/evidence/local-evidence.js';
import type { AppEnv } from '../context.js';
import { problem } from '../problems.js';

/** Paths that set their own body limit; the app's global 1 MB limit skips them. */
export const hasOwnBodyLimit = (path: string) => path.startsWith(`${LOCAL_UPLOAD_PATH}/`);

/**
 * Local only: where the URLs of `POST /v1/evidence` point, standing in for
 * S3. Refuses what S3 would refuse with a presigned URL (a bad or expired
 * signature, another size, digest or Content-Type) and also bytes that are not
 * the signed type, which on AWS only inspection finds.
 */
export function localEvidenceRoutes(app: Hono<AppEnv>, uploads: LocalEvidenceUploads) {
  const limit = bodyLimit({
    maxSize: MAX_EVIDENCE_BYTES,
    onError: (c) => problem(c, 413, `Evidence files are at most ${MAX_EVIDENCE_BYTES} bytes`, { errors: [{ path: 'size', message: `at most ${MAX_EVIDENCE_BYTES} bytes (10 MB)` }] }),
  });
  app.put(`${LOCAL_UPLOAD_PATH}/:token`, limit, async (c) => {
    const checked = uploads.verify(c.req.param('token'));
    if ('refusal' in checked) return refuse(c, checked.refusal);
    const { grant } = checked;
    if (mediaType(c.req.header('content-type')) !== grant.contentType) {
      return problem(c, 415, `This URL was signed for Content-Type ${grant.contentType}`, { errors: [{ path: 'contentType', message: `send Content-Type: ${grant.contentType}` }] });
    }
    const outcome = await uploads.store(grant, new Uint8Array(await c.req.arrayBuffer()));
    if ('refusal' in outcome) return refuse(c, outcome.refusal);
    // The same file again is already stored: 200, not a second 201.
    return c.json(outcome.file, outcome.created ? 201 : 200);
  });
}

const mediaType = (header: string | undefined) => header?.split(';')[0]?.trim().toLowerCase();

function refuse(c: Context<AppEnv>, refusal: UploadRefusal): Response {
  switch (refusal.code) {
    case 'BAD_SIGNATURE':
      return problem(c, 403, 'The upload URL was not signed by this system, or was altered');
    case 'EXPIRED':
      return problem(c, 403, `The upload URL expired at ${refusal.expiredAt}; ask POST /v1/evidence for a new one`, { expiredAt: refusal.expiredAt });
    case 'SIZE_MISMATCH':
      return problem(c, 400, 'The body is not the size the URL was signed for', { errors: [{ path: 'size', message: `the body has ${refusal.received} bytes, the URL was signed for ${refusal.signed}` }] });
    case 'DIGEST_MISMATCH':
      return problem(c, 400, 'The SHA-256 of the body is not the one the URL was signed for', { errors: [{ path: 'sha256', message: `the body's SHA-256 is ${refusal.received}, the URL was signed for ${refusal.signed}` }] });
    case 'TYPE_MISMATCH':
      return problem(c, 415, `The bytes are not ${refusal.signed}`, {
        errors: [{ path: 'contentType', message: refusal.found ? `the bytes are ${refusal.found}, not ${refusal.signed}` : `the bytes are not a PDF, JPEG or PNG, whatever the file is called` }],
      });
    default: {
      const _exhaustive: never = refusal;
      throw new Error(`Unhandled upload refusal ${JSON.stringify(_exhaustive)}`);
    }
  }
}
