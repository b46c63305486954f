import { fileURLToPath } from 'node:url';

/**
 * The Lambda entry points and the esbuild options they are bundled with. The
 * CDK stack and the bundle-size benchmark both read these, so the measured
 * bundle is the deployed one.
 */
const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const LAMBDA_ENTRIES = {
  api: fromRoot('functions/api/lambda.ts'),
  tasks: fromRoot('functions/tasks/lambda.ts'),
} as const;

export type LambdaName = keyof typeof LAMBDA_ENTRIES;

export const ESBUILD_TARGET = 'node22';
/** The Node 22 runtime ships AWS SDK v3; bundling it again would only add size. */
export const EXTERNAL_MODULES = ['@aws-sdk/*', '@smithy/*'];
/** ESM bundles need require for the few CommonJS dependencies. */
export const ESM_BANNER = "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);";
