import type { EvidenceContentType } from './evidence-files.js';

/** Enough leading bytes to recognise every accepted type; what inspect reads back. */
export const SNIFF_BYTES = 16;

/** Each accepted type's signature at offset 0 (PDF 1.7 §7.5.2, JFIF SOI + marker, PNG §5.2). */
const SIGNATURES: ReadonlyArray<readonly [EvidenceContentType, readonly number[]]> = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

/**
 * The content type the leading bytes show, or undefined for anything else.
 * A file's name and declared type are never consulted: a text file renamed
 * `.pdf` is not a PDF.
 */
export function sniffContentType(bytes: Uint8Array): EvidenceContentType | undefined {
  return SIGNATURES.find(([, signature]) => signature.length <= bytes.length && signature.every((b, i) => bytes[i] === b))?.[0];
}
