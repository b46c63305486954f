import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sesLocalModule from 'aws-ses-v2-local';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalIssuer } from '../../shared/auth/local-issuer.js';
import { TokenVerifier } from '../../shared/auth/token-verifier.js';
import { LocalEvidence } from '../../shared/evidence/local-evidence.js';
import { FileSmsOutbox } from '../../shared/notices/notifier.js';
import { log } from '../../shared/platform/log.js';
import { RATE_LIMITS, type RateLimits } from '../../shared/platform/rate-limits.js';
import { systemResolve, type WebhookTargetPolicy } from '../../shared/partners/webhook-target.js';
import { DEFAULT_CATALOGUE } from '../../shared/policy/catalogue.js';
import { LocalBatchFiles } from '../../shared/stores/batch-files.js';
import { ReferenceStore } from '../../shared/stores/reference-store.js';
import type { TableNames } from '../../shared/stores/tables.js';
import { createApp } from '../../functions/api/app.js';
import { composeDeps } from '../../functions/composition.js';
import type { Deps } from '../../functions/deps.js';
import { createTaskDispatcher, type TaskHandler } from '../../functions/tasks/dispatch.js';
import { TASK_HANDLERS } from '../../functions/tasks/handlers.js';
import { ExecutionStore } from '../../workflows/local-runner/execution-store.js';
import { LocalWorkflowRunner } from '../../workflows/local-runner/runner.js';
import { VirtualClock } from '../../workflows/local-runner/virtual-clock.js';
import { synthesizeDefinitions } from '../../workflows/synthesized-definitions.js';
import { HOST, LOCAL_CREDENTIALS, LOCAL_TABLES, startLocalStores } from './stores.js';

// aws-ses-v2-local is CommonJS with a default export; ESM sees it under .default.
const sesLocal = ((sesLocalModule as unknown as { default?: typeof sesLocalModule }).default ?? sesLocalModule) as unknown as (config: { host: string; port: number }) => Promise<Server>;

/** How often, in real time, the local outbox sweep looks for hand-offs to repeat. */
const SWEEP_INTERVAL_MS = 5_000;

export interface LocalSystemOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  dynamoPort?: number;
  sesPort?: number;
  /** Where the virtual clock of a fresh DATA_DIR starts; a kept clock carries on from where it was. */
  clockStart?: Date;
  /** Replaces task handlers by name (tests of the runner only). */
  taskHandlers?: Record<string, TaskHandler>;
  /** Replaces the rate limits of shared/platform/rate-limits.ts (tests that reach a limit, or run past one). */
  rateLimits?: Partial<RateLimits>;
  /**
   * Where partner events may go. Loopback (http too) is allowed by default, as
   * partners' endpoints run on this machine; `allowLoopback: false` applies the
   * deployed rule, and `resolve` replaces DNS (tests of that rule).
   */
  partnerWebhooks?: Partial<WebhookTargetPolicy>;
}

export interface LocalSystem {
  url: string;
  services: Record<string, string>;
  deps: Deps;
  runner: LocalWorkflowRunner;
  dynamo: DynamoDBClient;
  db: DynamoDBDocumentClient;
  tables: TableNames;
  bootMs: number;
  resumedExecutions: number;
  /** The local SES, stopped and started again on the same port: an outage of the mail service, for fault tests. */
  ses: { stop(): Promise<void>; start(): Promise<void> };
  close(): Promise<void>;
}

/**
 * The whole system on one machine, everything under dataDir: dynalite on
 * disk, SES local, the SMS outbox, the local workflow runner on the
 * synthesized definitions under a virtual clock, and the Hono app.
 */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const started = performance.now();
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });

  const stores = await startLocalStores(dataDir, options.dynamoPort ?? 0);
  const { dynamo, db } = stores;
  let sesServer: Server | undefined = await sesLocal({ host: HOST, port: options.sesPort ?? 0 });
  const sesPort = (sesServer.address() as AddressInfo).port;
  const stopSes = async () => {
    const server = sesServer;
    sesServer = undefined;
    // The SDK keeps its connections open; an outage cuts them.
    server?.closeAllConnections();
    if (server) await new Promise<void>((res) => server.close(() => res()));
  };

  const dynamoUrl = stores.url;
  const sesUrl = `http://${HOST}:${sesPort}`;
  await new ReferenceStore(db, LOCAL_TABLES.reference).seed(DEFAULT_CATALOGUE);

  const clock = await VirtualClock.open(join(dataDir, 'clock.json'), options.clockStart);
  const issuer = await LocalIssuer.open(dataDir);
  let dispatch: ((payload: unknown) => Promise<unknown>) | undefined;
  // The bucket a batch's lines are put in for its workflow: files under DATA_DIR, read by the runner's item reader.
  const batchFiles = new LocalBatchFiles(join(dataDir, 'objects'));
  const runner = new LocalWorkflowRunner({
    definitions: synthesizeDefinitions(),
    invokeTask: (_fn, payload) => dispatch!(payload),
    // One local bucket: the key alone names the object.
    readObject: ({ key }) => batchFiles.read(key),
    clock,
    store: new ExecutionStore(join(dataDir, 'executions')),
  });

  const services: Record<string, string> = {
    api: '',
    dynamodb: dynamoUrl,
    ses: sesUrl,
    sesStore: `${sesUrl}/store`,
    smsOutbox: join(dataDir, 'sms-outbox.jsonl'),
    executions: join(dataDir, 'executions'),
    evidence: join(dataDir, 'evidence'),
    objects: join(dataDir, 'objects'),
    dataDir,
  };
  const evidence = await LocalEvidence.open({ dataDir, siteUrl: () => services.api!, clock });
  const deps = composeDeps({
    tables: LOCAL_TABLES,
    senderEmail: 'notices@due-process.local',
    dynamo,
    ses: new SESv2Client({ endpoint: sesUrl, region: 'local', credentials: LOCAL_CREDENTIALS }),
    sms: new FileSmsOutbox(services.smsOutbox!, clock),
    clock,
    verifier: new TokenVerifier({ issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, keys: await issuer.publicKey(), clock }),
    workflows: runner,
    evidence,
    batchFiles,
    siteUrl: () => services.api!,
    rateLimits: { ...RATE_LIMITS, ...options.rateLimits },
    partnerWebhooks: { allowLoopback: options.partnerWebhooks?.allowLoopback ?? true, resolve: options.partnerWebhooks?.resolve ?? systemResolve },
    local: {
      issueToken: (request) => issuer.sign(request, clock.now()),
      // The outbox sweep runs before the clock moves, as AWS runs it on a schedule.
      advanceClock: async (to) => {
        await sweep();
        return runner.advance(to);
      },
      services: () => services,
      jwks: () => ({ keys: [issuer.publicJwk] }),
      evidenceUploads: evidence,
    },
  });
  dispatch = createTaskDispatcher({ ...TASK_HANDLERS, ...options.taskHandlers }, deps);
  const { resumed } = await runner.start();
  // Hand-offs a crash or an outage interrupted: at start, before every clock advance, and every few seconds.
  // The sweep under way, so closing waits for it rather than closing the store under it.
  let sweepInFlight: Promise<unknown> = Promise.resolve();
  const sweep = () => (sweepInFlight = deps.entries.handOffPending().catch((error: unknown) => log.error('outbox sweep failed', { error })));
  await sweep();
  const sweeping = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  sweeping.unref();

  const app = createApp(deps);
  const httpServer = await new Promise<Server>((res, rej) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: HOST }, () => res(s as Server));
    (s as Server).once('error', rej);
  });
  const url = `http://${HOST}:${(httpServer.address() as AddressInfo).port}`;
  services.api = url;

  let closed = false;
  return {
    url,
    services,
    deps,
    runner,
    dynamo,
    db,
    tables: LOCAL_TABLES,
    bootMs: Math.round(performance.now() - started),
    resumedExecutions: resumed,
    ses: {
      stop: stopSes,
      async start() {
        sesServer ??= await sesLocal({ host: HOST, port: sesPort });
      },
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeping);
      await sweepInFlight;
      await runner.close();
      await new Promise<void>((res) => httpServer.close(() => res()));
      await stopSes();
      await stores.close();
    },
  };
}
