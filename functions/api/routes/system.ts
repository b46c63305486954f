import * as z from 'zod';
import type { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import { openApiDocument, route } from '../route-registry.js';

export function systemRoutes(app: Hono<AppEnv>) {
  route(app, { method: 'get', path: '/health', summary: 'Health', tag: 'system', access: 'public', responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } } }, (c) =>
    c.json({ status: 'ok' as const }),
  );
  route(app, { method: 'get', path: '/openapi.json', summary: 'OpenAPI document', tag: 'system', access: 'public', responses: { 200: { description: 'OpenAPI 3.1' } } }, (c) =>
    c.json(openApiDocument({ title: 'Due process for blacklist entries', version: '1' })),
  );
}
