import type { Hono } from 'hono';
import { problemSchema } from '../../../shared/schemas/common.js';
import { evidenceUploadRequestSchema, preparedUploadSchema } from '../../../shared/schemas/evidence.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { route } from '../route-registry.js';

/** Evidence files: a subject asks for an upload URL, then sends the bytes there (S3 on AWS, the local app locally). */
export function evidenceRoutes(app: Hono<AppEnv>, deps: Deps) {
  route(
    app,
    {
      method: 'post',
      path: '/v1/evidence',
      summary: 'Prepare an evidence upload',
      tag: 'evidence',
      access: ['subject'],
      body: evidenceUploadRequestSchema,
      responses: {
        201: { description: 'Where and how to PUT the bytes before upload.expiresAt; the size, type and SHA-256 are bound into the URL', schema: preparedUploadSchema },
        400: { description: 'Invalid fields, each named: a size over 10485760 bytes, a type other than PDF, JPEG or PNG, a digest that is not 64 lowercase hex', schema: problemSchema },
      },
    },
    async (c, { body, principal }) => {
      // Stored under the subject's own folder: a case can only name files its subject uploaded.
      const upload = await deps.evidence.prepareUpload(principal!.subjectId!, body);
      return c.json({ sha256: body.sha256, name: body.name, contentType: body.contentType, size: body.size, upload }, 201);
    },
  );
}
