import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../deps.js';
import type { AppEnv } from './context.js';
import { errorResponse, problem } from './problems.js';
import { limitBatches, limitFilings, limitTokenUse, tokenUseOverLimit } from './rate-limit.js';
import { UnsupportedMediaType } from './route-registry.js';
import { entryRoutes } from './routes/entries.js';
import { caseRoutes } from './routes/cases.js';
import { caseReadingRoutes } from './routes/case-reading.js';
import { certificateRoutes } from './routes/certificates.js';
import { partnerRoutes } from './routes/partners.js';
import { evidenceRoutes } from './routes/evidence.js';
import { BATCH_UPLOAD_PATH, listingBatchRoutes } from './routes/listing-batches.js';
import { listingRoutes } from './routes/listings.js';
import { hasOwnBodyLimit } from './routes/local-evidence.js';
import { localRoutes } from './routes/local.js';
import { referenceRoutes } from './routes/reference.js';
import { statsRoutes } from './routes/stats.js';
import { systemRoutes } from './routes/system.js';
import { carriesFiles, webRoutes } from '../web/index.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** The one Hono app: behind API Gateway on AWS, on @hono/node-server locally. */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Forms post to this site only; the sign-in service is allowed too because the sign-out form, and a form sent
  // after the session expired, are redirected there, and browsers hold those redirects to form-action.
  const formAction = ["'self'", ...(deps.signIn?.origin ? [deps.signIn.origin] : [])];
  // Pages may frame only this site's own resources (evidence shown inline); nothing may frame a page. A response
  // that sets its own policy keeps it: an inline evidence file is sandboxed, and framable by this site.
  app.use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'", ...(deps.evidence.uploadOrigin ? [deps.evidence.uploadOrigin] : [])], frameSrc: ["'self'"], frameAncestors: ["'none'"], formAction }, overwrite: false }));
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => problem(c, 413, `The body exceeds ${MAX_BODY_BYTES} bytes`) });
  // Evidence uploads carry up to 10 MB, listing batches 5 MB; their routes apply those limits themselves.
  app.use((c, next) => (hasOwnBodyLimit(c.req.path) || carriesFiles(c.req.path) || c.req.path === BATCH_UPLOAD_PATH ? next() : limitBody(c, next)));
  app.use(async (c, next) => {
    const header = c.req.header('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    c.set('principal', token ? await deps.verifier.verify(token) : undefined);
    // A token that was sent but did not verify is refused outright, even on public routes; guessing or
    // replaying tokens is token use, limited per address like issuing them.
    if (header && !c.get('principal')) return (await tokenUseOverLimit(deps, c)) ?? problem(c, 401, 'The bearer token is invalid or expired');
    await next();
  });
  // Limits on the costly requests (shared/platform/rate-limits.ts): filing, per address and per subject, once the
  // token is read; issuing local tokens, per address. The pages' sign-in routes are limited in functions/web.
  app.use('/v1/cases', limitFilings(deps));
  app.use(BATCH_UPLOAD_PATH, limitBatches(deps));
  if (deps.local) app.use('/_local/token', limitTokenUse(deps));

  systemRoutes(app);
  referenceRoutes(app, deps);
  listingRoutes(app, deps);
  listingBatchRoutes(app, deps);
  caseRoutes(app, deps);
  statsRoutes(app, deps);
  caseReadingRoutes(app, deps);
  certificateRoutes(app, deps);
  partnerRoutes(app, deps);
  evidenceRoutes(app, deps);
  entryRoutes(app, deps);
  if (deps.local) localRoutes(app, deps, deps.local);
  webRoutes(app, deps);

  app.notFound((c) => problem(c, 404, `No route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof UnsupportedMediaType) return problem(c, 415, error.message);
    if (error instanceof HTTPException) return problem(c, error.status as 400, error.message || 'Bad request');
    return errorResponse(c, error);
  });
  return app;
}
