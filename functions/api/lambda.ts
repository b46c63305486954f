import { handle } from 'hono/aws-lambda';
import { awsDeps } from './aws-deps.js';
import { createApp } from './app.js';

/** API Gateway (HTTP API) → Hono. Built once per cold start. */
export const handler = handle(createApp(awsDeps()));
