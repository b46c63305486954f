import { fileURLToPath } from 'node:url';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * The Lambda entry points and the esbuild options they are bundled with. The
 * CDK stack and the bundle-size benchmark both read these, so the measured
 * bundle is the deployed one.
 */
const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const LAMBDA_ENTRIES = {
  api: fromRoot('functions/api/lambda.ts'),
  tasks: fromRoot('functions/tasks/lambda.ts'),
  batch: fromRoot('functions/tasks/batch-lambda.ts'),
} as const;

export type LambdaName = keyof typeof LAMBDA_ENTRIES;

export const ESBUILD_TARGET = 'node22';
/** The Node 22 runtime ships AWS SDK v3; bundling it again would only add size. */
const EXTERNAL_MODULES = ['@aws-sdk/*', '@smithy/*'];
/** ESM bundles need require for the few CommonJS dependencies. */
const ESM_BANNER = "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);";

/** How every function is bundled: the stack hands this to NodejsFunction as it is. */
export const LAMBDA_BUNDLING = {
  format: OutputFormat.ESM,
  minify: true,
  sourceMap: true,
  target: ESBUILD_TARGET,
  mainFields: ['module', 'main'],
  externalModules: EXTERNAL_MODULES,
  banner: ESM_BANNER,
  // Notices and pages are bilingual: a Chinese character is 3 bytes in UTF-8 and 6 as a \u escape; Node reads
  // the bundle as UTF-8. An esbuild argument, as NodejsFunction does not pass its own `charset` option on.
  esbuildArgs: { '--charset': 'utf8' as const },
} satisfies BundlingOptions;

/**
 * The same options in esbuild's own terms, for building a bundle outside CDK
 * (the benchmark). Every option of LAMBDA_BUNDLING must be translated here,
 * or this does not compile, so the two cannot drift apart.
 */
export function esbuildOptions(): BuildOptions {
  const { format, minify, sourceMap, target, mainFields, externalModules, banner, esbuildArgs, ...untranslated } = LAMBDA_BUNDLING;
  const { '--charset': charset, ...untranslatedArgs } = esbuildArgs;
  const _none: Record<string, never> = { ...untranslated, ...untranslatedArgs };
  return {
    bundle: true,
    platform: 'node',
    format,
    minify,
    sourcemap: sourceMap,
    target,
    mainFields,
    external: externalModules,
    banner: { js: banner },
    charset,
  };
}
