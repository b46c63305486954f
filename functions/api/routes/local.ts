import * as z from 'zod';
import type { Hono } from 'hono';
import { roles } from '../../../shared/auth/principal.js';
import { agencyIdSchema, provinceCodeSchema } from '../../../shared/schemas/identifiers.js';
import { DomainError } from '../../../shared/platform/errors.js';
import type { Deps, LocalControls } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { route } from '../route-registry.js';
import { localEvidenceRoutes } from './local-evidence.js';

const tokenRequestSchema = z
  .object({
    role: z.enum(roles),
    subjectId: z.string().trim().min(1).max(18).optional(),
    agencyId: agencyIdSchema.optional(),
    provinceCode: provinceCodeSchema.optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const needs = { subject: 'subjectId', 'agency-officer': 'agencyId', 'agency-reviewer': 'agencyId', 'provincial-reviewer': 'provinceCode' } as const;
    const field = needs[r.role as keyof typeof needs];
    if (field && !r[field]) ctx.addIssue({ code: 'custom', path: [field], message: `required for the ${r.role} role` });
  });

const advanceSchema = z
  .object({
    days: z.number().positive().max(3650).optional(),
    hours: z.number().positive().max(87600).optional(),
    to: z.iso.datetime({ offset: true }).max(40).optional(),
  })
  .strict()
  .refine((b) => [b.days, b.hours, b.to].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of days, hours or to' });

const nowSchema = z.object({ now: z.string() });

/** Local-only: the token issuer, the virtual clock, the outbox, the service list and evidence uploads. Absent on AWS. */
export function localRoutes(app: Hono<AppEnv>, deps: Deps, local: LocalControls) {
  route(app, { method: 'post', path: '/_local/token', summary: 'Issue a local token', tag: 'local', access: 'public', body: tokenRequestSchema, responses: { 201: { description: 'A signed ES256 JWT, valid one hour', schema: z.object({ token: z.string() }) } } }, async (c, { body }) =>
    c.json({ token: await local.issueToken(body) }, 201),
  );
  route(app, { method: 'get', path: '/_local/clock', summary: 'Read the virtual clock', tag: 'local', access: 'public', responses: { 200: { description: 'Now', schema: nowSchema } } }, (c) =>
    c.json({ now: deps.clock.now().toISOString() }),
  );
  route(app, { method: 'post', path: '/_local/clock/advance', summary: 'Advance the virtual clock', tag: 'local', access: 'public', body: advanceSchema, responses: { 200: { description: 'Now, after everything due has run', schema: nowSchema } } }, async (c, { body }) => {
    const now = deps.clock.now().getTime();
    const to = body.to ? Date.parse(body.to) : now + (body.days ?? 0) * 86_400_000 + (body.hours ?? 0) * 3_600_000;
    if (to < now) throw new DomainError('VALIDATION_FAILED', 'The clock only moves forward', { errors: [{ path: 'to', message: `must not be before ${new Date(now).toISOString()}` }] });
    return c.json({ now: (await local.advanceClock(new Date(to))).toISOString() });
  });
  route(
    app,
    {
      method: 'get',
      path: '/_local/outbox',
      summary: 'Read the notices sent',
      tag: 'local',
      access: 'public',
      query: z.object({ to: z.string().trim().min(3).max(254) }),
      responses: { 200: { description: 'Every message sent to the address or number' } },
    },
    async (c, { query }) => {
      const messages = await deps.notifier.sentTo(query.to);
      return c.json({ messages: messages.map(({ channel, to, subject, text, sentAt, entryId, caseId, messageId, resentAfterInterruption }) => ({ channel, to, subject, text, sentAt, entryId, caseId, messageId, resentAfterInterruption })) });
    },
  );
  route(app, { method: 'get', path: '/_local/services', summary: 'List the local services', tag: 'local', access: 'public', responses: { 200: { description: 'Service URLs' } } }, (c) => c.json({ services: local.services() }));
  route(app, { method: 'get', path: '/_local/jwks.json', summary: 'The local issuer\'s public keys', tag: 'local', access: 'public', responses: { 200: { description: 'JWKS' } } }, (c) => c.json(local.jwks()));
  localEvidenceRoutes(app, local.evidenceUploads);
}
