import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/*
 * Small but real files of each accepted type, built here so no binary
 * fixture is committed: each opens in an ordinary viewer. The argument
 * varies the bytes, so every test can upload a file of its own.
 */

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A one-page PDF 1.4 with a correct cross-reference table; `title` goes into its Info dictionary. */
export function samplePdf(title = 'evidence'): Buffer {
  if (!/^[\w .-]*$/.test(title)) throw new Error('keep the title to plain characters: it is written into a PDF string unescaped');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    `<< /Title (${title}) >>`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A 1×1 RGB PNG of one colour. */
export function samplePng(rgb: readonly [number, number, number] = [200, 30, 30]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header[8] = 8; // bits per sample
  header[9] = 2; // truecolour; compression, filter and interlace stay 0
  const scanline = Buffer.from([0, ...rgb]); // filter type None, one pixel
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(scanline)), chunk('IEND', Buffer.alloc(0))]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * An 8×8 mid-grey baseline JFIF: one block whose coefficients are all zero,
 * coded with one-symbol Huffman tables (DC category 0 and AC end-of-block, code `0` each).
 */
export function sampleJpeg(comment = 'evidence'): Buffer {
  const segment = (marker: number, body: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, body]);
  };
  const oneSymbolTable = (classAndId: number) => Buffer.from([classAndId, 1, ...new Array<number>(15).fill(0), 0x00]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]), // SOI
    segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])), // APP0 JFIF 1.1, 1:1, no thumbnail
    segment(0xfe, Buffer.from(comment, 'utf8')), // COM
    segment(0xdb, Buffer.from([0x00, ...new Array<number>(64).fill(1)])), // DQT 0, all ones
    segment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])), // SOF0 8-bit 8×8, one component
    segment(0xc4, oneSymbolTable(0x00)), // DHT DC 0
    segment(0xc4, oneSymbolTable(0x10)), // DHT AC 0
    segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])), // SOS
    Buffer.from([0b0011_1111]), // DC diff 0, EOB, padded with ones
    Buffer.from([0xff, 0xd9]), // EOI
  ]);
}

/** Plain text, whatever it is called. */
export const sampleText = (text = 'This is a note, not a PDF.\n') => Buffer.from(text, 'utf8');
