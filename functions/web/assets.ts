import type { Hono } from 'hono';
import type { AppEnv } from '../api/context.js';
import { APP_CSS } from './assets/app-css.js';
import { APP_JS } from './assets/app-js.js';

/**
 * The pages' one stylesheet and one script, served by the app itself (the
 * CSP allows only 'self'): no inline style or script anywhere, no build step.
 */
export function assetRoutes(app: Hono<AppEnv>) {
  const assets: Record<string, { type: string; body: string }> = {
    '/assets/app.css': { type: 'text/css; charset=utf-8', body: APP_CSS },
    '/assets/app.js': { type: 'text/javascript; charset=utf-8', body: APP_JS },
  };
  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, (c) => c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=300' }));
  }
}
