import * as z from 'zod';
import { EVIDENCE_CONTENT_TYPES, MAX_EVIDENCE_BYTES, SHA256_HEX } from '../evidence/evidence-files.js';
import { text } from './common.js';

export const sha256HexSchema = z.string().regex(SHA256_HEX, 'expected a SHA-256 digest as 64 lowercase hex characters');

export const evidenceContentTypeSchema = z.enum(EVIDENCE_CONTENT_TYPES, 'expected application/pdf, image/jpeg or image/png');

/** `POST /v1/evidence`: the file a subject is about to upload, described by its client. */
export const evidenceUploadRequestSchema = z
  .object({
    name: text(200),
    contentType: evidenceContentTypeSchema,
    size: z.number().int('expected a whole number of bytes').min(1, 'an empty file is no evidence').max(MAX_EVIDENCE_BYTES, `at most ${MAX_EVIDENCE_BYTES} bytes (10 MB)`),
    sha256: sha256HexSchema,
  })
  .strict();

export const preparedUploadSchema = z.object({
  sha256: z.string(),
  name: z.string(),
  contentType: evidenceContentTypeSchema,
  size: z.number().int(),
  upload: z.object({
    method: z.literal('PUT'),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  }),
});

