import type { Context, Hono } from 'hono';
import * as z from 'zod';
import type { Principal, Role } from '../../shared/auth/principal.js';
import { DomainError, type FieldError } from '../../shared/platform/errors.js';
import { zodErrors } from '../../shared/schemas/common.js';
import type { AppEnv } from './context.js';

/** Who may call a route: anyone, or the listed roles (others get 403, no token 401). */
export type Access = 'public' | readonly Role[];

export interface RouteSpec<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined> {
  method: 'get' | 'post';
  /** OpenAPI style, e.g. /v1/entries/{entryId}. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  /** A body the handler reads itself (not JSON): its media type and what it holds, for the OpenAPI document. */
  rawBody?: { contentType: string; description: string };
  query?: Q;
  params?: z.ZodObject;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<B, Q> {
  body: Infer<B>;
  query: Infer<Q>;
  params: Record<string, string>;
  principal: Principal | undefined;
}

/** Every route registered, for the OpenAPI document. */
export const registeredRoutes: RouteSpec<z.ZodType | undefined, z.ZodType | undefined>[] = [];

/**
 * Registers a route: access check, JSON body (415 on another type, 400 on
 * malformed JSON), zod validation naming every bad field, then the handler.
 */
export function route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  app: Hono<AppEnv>,
  spec: RouteSpec<B, Q>,
  handler: (c: Context<AppEnv>, input: RouteInput<B, Q>) => Promise<Response> | Response,
) {
  if (!registeredRoutes.some((r) => r.method === spec.method && r.path === spec.path)) registeredRoutes.push(spec as never);
  const honoPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  app[spec.method](honoPath, async (c) => {
    const principal = c.get('principal');
    if (spec.access !== 'public') {
      if (!principal) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
      if (!spec.access.includes(principal.role)) throw new DomainError('FORBIDDEN', `The ${principal.role} role may not ${spec.summary.toLowerCase()}`);
    }
    const errors: FieldError[] = [];
    let body: unknown;
    if (spec.body) {
      const raw = await readJson(c);
      const parsed = spec.body.safeParse(raw);
      if (parsed.success) body = parsed.data;
      else errors.push(...zodErrors(parsed.error));
    }
    let query: unknown;
    if (spec.query) {
      const parsed = spec.query.safeParse(c.req.query());
      if (parsed.success) query = parsed.data;
      else errors.push(...zodErrors(parsed.error, ['query']));
    }
    if (spec.params) {
      const parsed = spec.params.safeParse(c.req.param());
      if (!parsed.success) errors.push(...zodErrors(parsed.error, ['path']));
    }
    if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', `${errors.length} field(s) are invalid: ${errors.map((e) => e.path).join(', ')}`, { errors });
    return handler(c, { body: body as Infer<B>, query: query as Infer<Q>, params: c.req.param() as Record<string, string>, principal });
  });
}

async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new UnsupportedMediaType(type);
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DomainError('VALIDATION_FAILED', `Malformed JSON: ${(error as Error).message}`, { errors: [{ path: '(body)', message: 'not valid JSON' }] });
  }
}

export class UnsupportedMediaType extends Error {
  override readonly name = 'UnsupportedMediaType';
  constructor(
    readonly contentType: string,
    expected = 'application/json',
  ) {
    super(`Expected ${expected}, got ${contentType || 'no content type'}`);
  }
}

/** The OpenAPI 3.1 document of every registered route, from the same zod schemas that validate them. */
export function openApiDocument(info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });
  for (const r of registeredRoutes) {
    const parameters = [
      ...[...r.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(r.query && r.query instanceof z.ZodObject
        ? Object.entries(r.query.shape).map(([name, s]) => ({ name, in: 'query', required: !(s as z.ZodType).safeParse(undefined).success, schema: schema(s as z.ZodType, 'input') }))
        : []),
    ];
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      ...(r.access === 'public' ? {} : { 'x-roles': r.access }),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body, 'input') } } } } : {}),
      ...(r.rawBody ? { requestBody: { required: true, description: r.rawBody.description, content: { [r.rawBody.contentType]: { schema: { type: 'string' } } } } } : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, res]) => [
          status,
          {
            description: res.description,
            ...(res.schema ? { content: { [Number(status) >= 400 ? 'application/problem+json' : 'application/json']: { schema: schema(res.schema, 'output') } } } : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
