import * as z from 'zod';
import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { route } from '../route-registry.js';
import { periodSchema } from '../../../shared/policy/schema.js';

const agencyView = z.object({
  agencyId: z.string(),
  name: z.string(),
  nameEn: z.string(),
  kind: z.enum(['court', 'department']),
  level: z.enum(['county', 'prefecture', 'province', 'national']),
  provinceCode: z.string(),
  listTypes: z.array(z.string()),
});
const listTypeView = z.object({
  listType: z.string(),
  name: z.string(),
  nameEn: z.string(),
  policyProfile: z.string(),
  minPublication: z.optional(periodSchema),
  maxPublication: periodSchema,
  repair: z.enum(['after-minimum', 'on-performance', 'none']),
  published: z.boolean(),
});

export function referenceRoutes(app: Hono<AppEnv>, deps: Deps) {
  route(app, { method: 'get', path: '/v1/agencies', summary: 'List agencies', tag: 'reference', access: 'public', responses: { 200: { description: 'Agencies', schema: z.object({ agencies: z.array(agencyView) }) } } }, async (c) => {
    const { catalogue } = await deps.policies();
    return c.json({ agencies: catalogue.agencies.map((a) => ({ ...a, name: a.name.zh, nameEn: a.name.en })) });
  });
  route(app, { method: 'get', path: '/v1/list-types', summary: 'List list types', tag: 'reference', access: 'public', responses: { 200: { description: 'List types', schema: z.object({ listTypes: z.array(listTypeView) }) } } }, async (c) => {
    const { catalogue } = await deps.policies();
    return c.json({
      listTypes: catalogue.listTypes.map((t) => ({
        listType: t.listType,
        name: t.name.zh,
        nameEn: t.name.en,
        policyProfile: t.policyProfile,
        minPublication: t.minPublication,
        maxPublication: t.maxPublication,
        repair: t.repair,
        published: t.published,
      })),
    });
  });
}
