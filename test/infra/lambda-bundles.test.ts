import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../bench/lambda-bundles.js';
import { buildApp } from '../../infra/app.js';
import { LAMBDA_ENTRIES, type LambdaName } from '../../infra/bundling.js';

/** CloudFormation JSON is untyped; read as such. */
type Json = any;

let outdir: string;
/** The bundle CDK built for each function, as it would be deployed. */
const deployed = new Map<string, Buffer>();

beforeAll(() => {
  // Synthesized with bundling, unlike the other infra tests: the point here is the built code.
  outdir = mkdtempSync(join(tmpdir(), 'bundles-'));
  const { app, stack } = buildApp(new App({ outdir }));
  app.synth();
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties: { Code: Json } }>;
  for (const name of Object.keys(LAMBDA_ENTRIES) as LambdaName[]) {
    const fn = stack.node.tryFindChild(`${name[0]!.toUpperCase()}${name.slice(1)}Function`);
    if (!fn) continue;
    const key = resources[stack.getLogicalId(fn.node.defaultChild as CfnElement)]?.Properties.Code?.S3Key;
    // The asset is staged under its hash, the zip's name.
    if (typeof key === 'string') deployed.set(name, readFileSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs')));
  }
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the bundle-size benchmark measures the deployed code', () => {
  it.each(Object.keys(LAMBDA_ENTRIES) as LambdaName[])('%s: the bundle CDK deploys is byte for byte the one the benchmark measures', async (name) => {
    const asset = deployed.get(name);
    expect(asset, `no bundled asset for the ${name} function`).toBeDefined();
    const { js } = await bundleLambda(name);
    expect(Buffer.from(js).equals(asset!)).toBe(true);
  });
});

describe('what the tasks function loads', () => {
  it('no zod but zod/mini: its payloads, configuration and policy catalogue are read with zod/mini, which keeps it some 80 KB under all of zod', async () => {
    const { metafile } = await bundleLambda('tasks');
    const classic = Object.keys(metafile.inputs).filter((path) => path.includes('node_modules/zod/v4/classic/'));
    // A workflow task importing 'zod' (rather than 'zod/mini') brings all of it back.
    expect(classic).toEqual([]);
  });
});
