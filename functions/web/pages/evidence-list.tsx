import type { Context } from 'hono';
import { named, type Text } from '../../../shared/i18n/texts.js';
import type { AppEnv } from '../../api/context.js';
import { tr } from '../layout.js';

interface EvidenceRef {
  name: string;
  contentType: string;
  sha256: string;
}

const T = {
  none: { zh: '未提交证据材料。', en: 'No evidence was given.' },
  download: { zh: '下载', en: 'Download' },
  openPdf: { zh: '在新页面打开', en: 'Open on its own' },
  shown: (name: string): Text => ({ zh: `证据材料：${name}`, en: `Evidence: ${name}` }),
  types: { 'application/pdf': { zh: 'PDF 文件', en: 'PDF' }, 'image/jpeg': { zh: 'JPEG 图片', en: 'JPEG image' }, 'image/png': { zh: 'PNG 图片', en: 'PNG image' } } as Record<string, Text>,
} as const;

/**
 * A case's files, viewable in the page: images as images, PDFs in a frame,
 * each with a download link. The bytes come from the evidence route, which
 * serves them sandboxed and typed by what they are.
 */
export function EvidenceList({ c, caseId, files }: { c: Context<AppEnv>; caseId: string; files: EvidenceRef[] }) {
  if (files.length === 0) return <p class="muted">{tr(c, T.none)}</p>;
  return (
    <ul class="evidence-list">
      {files.map((f) => {
        const url = `/evidence/${caseId}/${f.sha256}`;
        const inline = `${url}?disposition=inline`;
        return (
          <li class="evidence-view">
            <p>
              <strong>{f.name}</strong> <span class="muted">{tr(c, named(T.types, f.contentType))}</span>{' '}
              <span class="mono muted" title={f.sha256}>
                SHA-256 {f.sha256.slice(0, 12)}…
              </span>
            </p>
            {f.contentType.startsWith('image/') ? <img src={inline} alt={tr(c, T.shown(f.name))} loading="lazy" /> : null}
            {f.contentType === 'application/pdf' ? <iframe src={inline} title={tr(c, T.shown(f.name))} loading="lazy"></iframe> : null}
            <p class="actions">
              <a href={url} download={f.name}>
                {tr(c, T.download)}: {f.name}
              </a>
              {f.contentType === 'application/pdf' ? <a href={inline}>{tr(c, T.openPdf)}</a> : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
