import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_TARGET, LAMBDA_ENTRIES, esbuildOptions, type LambdaName } from '../infra/bundling.js';
import { round } from './queue-latency.js';

/** Each deployed bundle should stay at or under this, minified; cold start grows with it. */
export const BUNDLE_GOAL_KB = 150;
const COLD_START_RUNS = 10;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Inside node_modules, so the bundle's bare imports of the external AWS SDK resolve as they do on Lambda. */
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'bench-lambda');

/** Configuration a cold start validates; dummy values, nothing is called. */
const DUMMY_ENV = {
  TABLE_ENTRIES: 'a',
  TABLE_AUDIT: 'b',
  TABLE_REFERENCE: 'c',
  EVIDENCE_BUCKET: 'd',
  SENDER_EMAIL: 'n@example.cn',
  SITE_URL: 'https://credit-dispute.example.cn',
  TOKEN_ISSUER: 'https://issuer.example',
  TOKEN_AUDIENCE: 'x',
  COGNITO_DOMAIN_URL: 'https://sign-in.auth.ap-east-1.amazoncognito.com',
  AWS_REGION: 'ap-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
};

export interface InputShare {
  path: string;
  /** Bytes this input contributes to the minified bundle. */
  bytesInOutput: number;
}

export interface ColdStart {
  /** Median time of the `import()` of the bundle, in ms. */
  medianImportMs: number;
  /** Median `performance.now()` right after the import: process start to handler ready, in ms. */
  medianReadyMs: number;
  runs: number;
}

export interface LambdaBundleFigures {
  minifiedBytes: number;
  minifiedKb: number;
  gzipKb: number;
  sourceMapKb: number;
  withinGoal: boolean;
  topInputs: InputShare[];
  /** The same contributions summed per npm package (or per top-level project folder). */
  topPackages: InputShare[];
  coldStart: ColdStart;
  /** As deployed: the stack sets NODE_OPTIONS=--enable-source-maps, which makes Node parse the map at load. */
  coldStartWithSourceMaps: ColdStart;
}

export interface LambdaBundleReport {
  goalKb: number;
  target: string;
  functions: Record<LambdaName, LambdaBundleFigures>;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Bundles one entry with the stack's options (LAMBDA_BUNDLING, as esbuild's), without writing. */
export async function bundleLambda(name: LambdaName) {
  const outfile = join(OUT_DIR, name, 'index.mjs');
  const result = await build({
    ...esbuildOptions(),
    entryPoints: [LAMBDA_ENTRIES[name]],
    outfile,
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const js = result.outputFiles.find((f) => f.path === outfile);
  const map = result.outputFiles.find((f) => f.path === `${outfile}.map`);
  if (!js) throw new Error(`esbuild produced no ${outfile}`);
  return { outfile, js: js.contents, map: map?.contents, metafile: result.metafile };
}

function inputShares(metafile: Metafile): InputShare[] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  return Object.entries(output?.inputs ?? {}).map(([path, i]) => ({ path, bytesInOutput: i.bytesInOutput }));
}

const largest = (shares: InputShare[], n = 5) => [...shares].sort((a, b) => b.bytesInOutput - a.bytesInOutput).slice(0, n);

function byPackage(shares: InputShare[]): InputShare[] {
  const sums = new Map<string, number>();
  for (const { path, bytesInOutput } of shares) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
    sums.set(pkg, (sums.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...sums].map(([path, bytesInOutput]) => ({ path, bytesInOutput }));
}

/** One fresh Node process: import the bundle, report timings, exit. Nothing is invoked. */
function importOnce(file: string, nodeOptions: string): Promise<{ importMs: number; readyMs: number }> {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const t1 = performance.now(); process.stdout.write(JSON.stringify({ importMs: t1 - t0, readyMs: t1 }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      // A clean environment: no loader hooks inherited from the parent (tsx), only what Lambda would set.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_OPTIONS: nodeOptions, ...DUMMY_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`Importing ${file} exited ${String(code)}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out) as { importMs: number; readyMs: number });
      } catch (cause) {
        reject(new Error(`Unexpected output from importing ${file}: ${out}`, { cause }));
      }
    });
  });
}

async function coldStart(file: string, nodeOptions: string): Promise<ColdStart> {
  const runs: Array<{ importMs: number; readyMs: number }> = [];
  // Sequential: parallel processes would compete for CPU and inflate each other's figures.
  for (let i = 0; i < COLD_START_RUNS; i++) runs.push(await importOnce(file, nodeOptions));
  return { medianImportMs: round(median(runs.map((r) => r.importMs)), 1), medianReadyMs: round(median(runs.map((r) => r.readyMs)), 1), runs: runs.length };
}

/**
 * Bundles every Lambda with the stack's esbuild options and measures its size
 * (minified, gzip), its largest inputs, and the cold import in fresh Node processes.
 */
export async function measureLambdaBundles(): Promise<LambdaBundleReport> {
  const functions = {} as Record<LambdaName, LambdaBundleFigures>;
  for (const name of Object.keys(LAMBDA_ENTRIES) as LambdaName[]) {
    const { outfile, js, map, metafile } = await bundleLambda(name);
    await mkdir(join(OUT_DIR, name), { recursive: true });
    await writeFile(outfile, js);
    if (map) await writeFile(`${outfile}.map`, map);
    functions[name] = {
      minifiedBytes: js.byteLength,
      minifiedKb: kb(js.byteLength),
      gzipKb: kb(gzipSync(js).byteLength),
      sourceMapKb: kb(map?.byteLength ?? 0),
      withinGoal: kb(js.byteLength) <= BUNDLE_GOAL_KB,
      topInputs: largest(inputShares(metafile)),
      topPackages: largest(byPackage(inputShares(metafile))),
      coldStart: await coldStart(outfile, ''),
      coldStartWithSourceMaps: await coldStart(outfile, '--enable-source-maps'),
    };
  }
  return { goalKb: BUNDLE_GOAL_KB, target: ESBUILD_TARGET, functions };
}

/** Prints the figures as tables, each size next to its goal. */
export function printLambdaBundles(report: LambdaBundleReport): void {
  const rows = Object.entries(report.functions) as Array<[LambdaName, LambdaBundleFigures]>;
  console.log(`Lambda bundles (esbuild, ${report.target}, ESM, minified; AWS SDK external)`);
  console.table(Object.fromEntries(rows.map(([name, f]) => [name, {
    'minified KB': f.minifiedKb,
    'gzip KB': f.gzipKb,
    'map KB': f.sourceMapKb,
    goal: `≤ ${report.goalKb} KB ${f.withinGoal ? 'ok' : 'OVER'}`,
    'import ms (median)': f.coldStart.medianImportMs,
    'ready ms (median)': f.coldStart.medianReadyMs,
    'import ms, source maps': f.coldStartWithSourceMaps.medianImportMs,
  }])));
  for (const [name, f] of rows) {
    console.log(`${name}: top inputs by bytes in the bundle`);
    console.table(f.topInputs.map((i) => ({ input: i.path, KB: kb(i.bytesInOutput) })));
    console.log(`${name}: top packages by bytes in the bundle`);
    console.table(f.topPackages.map((i) => ({ package: i.path, KB: kb(i.bytesInOutput) })));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printLambdaBundles(await measureLambdaBundles());
}
