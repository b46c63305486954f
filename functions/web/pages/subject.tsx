import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../api/context.js';

export function subjectPages(app: Hono<AppEnv>, deps: Deps) {
  void app;
  void deps;
}
