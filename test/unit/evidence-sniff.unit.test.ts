import { describe, expect, it } from 'vitest';
import { SNIFF_BYTES, sniffContentType } from '../../shared/evidence/sniff.js';
import { PNG_SIGNATURE, sampleJpeg, samplePdf, samplePng, sampleText } from '../support/evidence-samples.js';

describe('recognising evidence by its bytes', () => {
  it.each([
    ['a PDF', samplePdf(), 'application/pdf'],
    ['a JPEG', sampleJpeg(), 'image/jpeg'],
    ['a PNG', samplePng(), 'image/png'],
  ] as const)('knows %s from its leading bytes', (_name, bytes, type) => {
    expect(sniffContentType(bytes)).toBe(type);
    // The first bytes are all inspection reads back from storage.
    expect(sniffContentType(bytes.subarray(0, SNIFF_BYTES))).toBe(type);
  });

  it('does not take a text file called .pdf for a PDF', () => {
    // Nothing but bytes reaches the sniff: a file name cannot.
    expect(sniffContentType(sampleText('invoice.pdf: paid in full\n'))).toBeUndefined();
  });

  it.each([
    ['nothing', Buffer.alloc(0)],
    ['a PDF signature without its dash', Buffer.from('%PDF1.7\n')],
    ['a PDF signature after a leading space', Buffer.from(' %PDF-1.7\n')],
    ['an HTML page about a PDF', Buffer.from('<!doctype html><title>%PDF-1.7</title>')],
    ['the first two bytes of a JPEG only', Buffer.from([0xff, 0xd8])],
    ['a PNG signature cut short', PNG_SIGNATURE.subarray(0, 7)],
    ['a PNG signature with a line ending altered in transfer', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x0a, 0x0a])],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
    ['a ZIP (an office document)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])],
  ])('recognises %s as none of the accepted types', (_name, bytes) => {
    expect(sniffContentType(bytes)).toBeUndefined();
  });
});
