import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { shanghaiDateOf } from '../../../shared/calendar/index.js';
import { CERTIFICATE_CODE, certificateCodeFrom, maskSubjectId } from '../../../shared/domain/identifiers.js';
import { DomainError, notFound } from '../../../shared/platform/errors.js';
import { problemSchema } from '../../../shared/schemas/common.js';
import { certificateCodeParams, certificateSchema } from '../../../shared/schemas/cases.js';
import { agencyName, listTypeName } from '../../../shared/policy/policy-book.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { route } from '../route-registry.js';

/** A fresh repair certificate code: 60 random bits. */
export const newCertificateCode = () => certificateCodeFrom(randomBytes(12));

/**
 * Repair certificates, checked by anyone who holds the code: a bank, an
 * employer, a tendering office. They learn that it is genuine and only what
 * identifies the repaired entry: the masked id, the name, the list, the
 * agency, the decision reference and the day it was repaired.
 */
export function certificateRoutes(app: Hono<AppEnv>, deps: Deps) {
  async function certificate(code: string) {
    const found = CERTIFICATE_CODE.test(code) ? await deps.entries.certificate(code) : undefined;
    const entry = found && (await deps.entries.load(found.entryId))?.state;
    const repaired = entry?.cases.find((c) => c.caseId === found!.caseId && c.decision?.certificate === code);
    if (!entry || !repaired) throw notFound(`Certificate ${code}`);
    const book = await deps.policies();
    return {
      code,
      valid: true as const,
      subject: { id: maskSubjectId(entry.subject.id), kind: entry.subject.kind, name: entry.subject.name },
      listType: entry.listType,
      listTypeName: listTypeName(book, entry.listType),
      agency: agencyName(book, entry.agencyId),
      decisionRef: entry.decisionRef,
      repairedOn: shanghaiDateOf(repaired.decision!.decidedAt),
    };
  }

  route(
    app,
    { method: 'get', path: '/v1/certificates/{code}', summary: 'Check a repair certificate', tag: 'repair', access: 'public', params: certificateCodeParams, responses: { 200: { description: 'A genuine certificate, with only what identifies the repaired entry', schema: certificateSchema }, 404: { description: 'No certificate with this code', schema: problemSchema } } },
    async (c, { params }) => c.json(await certificate(params.code!)),
  );

  app.get('/verify/:code', async (c) => {
    let cert: Awaited<ReturnType<typeof certificate>>;
    try {
      cert = await certificate(c.req.param('code'));
    } catch (error) {
      // Only an unknown code is "not found": a store that cannot answer must not call a genuine certificate false.
      if (!(error instanceof DomainError && error.code === 'NOT_FOUND')) {
        c.status(503);
        return c.html(page('暂时无法核验 Try again later', html`<h1>暂时无法核验，请稍后再试 / The certificate cannot be checked just now; try again later</h1>`));
      }
      c.status(404);
      return c.html(page('证书无效 Certificate not found', html`<h1>未找到该信用修复证书 / No such repair certificate</h1><p>请核对证书编号。Check the code and try again.</p>`));
    }
    return c.html(
      page(
        `信用修复证书 ${cert.code}`,
        html`<h1>信用修复证书有效 / Repair certificate is genuine</h1>
          <dl>
            <dt>证书编号 / Code</dt><dd>${cert.code}</dd>
            <dt>主体 / Subject</dt><dd>${cert.subject.name}（${cert.subject.id}）</dd>
            <dt>名单 / List</dt><dd>${cert.listTypeName.zh} / ${cert.listTypeName.en}</dd>
            <dt>认定机关 / Agency</dt><dd>${cert.agency.zh} / ${cert.agency.en}</dd>
            <dt>决定文书号 / Decision</dt><dd>${cert.decisionRef}</dd>
            <dt>修复并移出日期 / Repaired and removed on</dt><dd>${cert.repairedOn}</dd>
          </dl>`,
      ),
    );
  });
}

function page(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="zh-CN">
  <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
  <body><main>${body}</main></body>
</html>`;
}
