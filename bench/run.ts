import { writeFile } from 'node:fs/promises';
import { measureLambdaBundles, printLambdaBundles } from './lambda-bundles.js';

/** `npm run bench`: measures, prints, and records the figures in bench/results.json. */
const lambda = await measureLambdaBundles();
printLambdaBundles(lambda);
const results = { lambda, measuredAt: new Date().toISOString() };
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('Wrote bench/results.json');
await (await import('./queue.js')).runQueueBench();
await (await import('./partner-receipt.js')).runPartnerReceiptBench();
