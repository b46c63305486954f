import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WorkingDayCalendar } from '../shared/calendar/index.js';
import type { EvidenceFiles } from '../shared/evidence/evidence-files.js';
import { Notifier, SnsSmsSender, type SmsSender } from '../shared/notices/notifier.js';
import { systemClock, type Clock } from '../shared/platform/clock.js';
import { loadTaskConfig, type TaskConfig } from '../shared/platform/config.js';
import { RATE_LIMITS, type RateLimits } from '../shared/platform/rate-limits.js';
import { PolicyBook } from '../shared/policy/policy-book.js';
import type { BatchFiles } from '../shared/stores/batch-files.js';
import { BatchStore } from '../shared/stores/batch-store.js';
import { EntryStore } from '../shared/stores/entry-store.js';
import { partnerFanOut } from '../shared/partners/fan-out.js';
import { PartnerStore } from '../shared/partners/partner-store.js';
import { systemResolve, type WebhookTargetPolicy } from '../shared/partners/webhook-target.js';
import { RateLimitStore } from '../shared/stores/rate-limit-store.js';
import { ReferenceStore } from '../shared/stores/reference-store.js';
import type { TableNames } from '../shared/stores/tables.js';
import type { WorkflowEngine } from '../shared/workflows/engine.js';
import { SfnWorkflowEngine } from '../shared/workflows/sfn-engine.js';
import { WakeTokens } from '../shared/workflows/wake-tokens.js';
import type { TokenVerifier } from '../shared/auth/token-verifier.js';
import type { Deps, LocalControls, TaskDeps } from './deps.js';
import type { SignInProvider } from './web/sign-in.js';

/** Reference data changes rarely; a short cache keeps it off every request. */
const POLICY_CACHE_MS = 60_000;

/** What the tasks are built from: the clients, tables, clock and workflow engine of one mode. */
export interface TaskWiring {
  tables: TableNames;
  senderEmail: string;
  dynamo: DynamoDBClient;
  ses: SESv2Client;
  sms: SmsSender;
  clock: Clock;
  workflows: WorkflowEngine;
  /** Where partner events may go; loopback is allowed only by the local system's configuration. */
  partnerWebhooks: WebhookTargetPolicy;
  /** Where the web interface is served; read when a notice is written, as the local port is known only once listening. */
  siteUrl: () => string;
}

export interface Wiring extends TaskWiring {
  verifier: TokenVerifier;
  /** S3 behind presigned URLs on AWS, DATA_DIR behind the local app's upload route locally. */
  evidence: EvidenceFiles;
  /** Listing batches' objects: the evidence bucket on AWS, DATA_DIR locally. */
  batchFiles: BatchFiles;
  /** The hosted UI on AWS; locally the sign-in page issues local tokens instead. */
  signIn?: SignInProvider;
  /** The same limits on AWS and locally, unless a local system is started with others. */
  rateLimits?: RateLimits;
  local?: LocalControls;
}

const documentClient = (dynamo: DynamoDBClient) => DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });

function composeTasks(w: TaskWiring, db: DynamoDBDocumentClient): TaskDeps {
  const reference = new ReferenceStore(db, w.tables.reference);
  let cached: { book: PolicyBook; at: number } | undefined;
  const entries = new EntryStore(db, w.tables);
  const partners = new PartnerStore(db, w.tables.entries);
  entries.onPartnerEvents(partnerFanOut(partners, w.workflows, w.clock));
  return {
    clock: w.clock,
    entries,
    partners,
    policies: async () => {
      if (!cached || Date.now() - cached.at > POLICY_CACHE_MS) cached = { book: new PolicyBook(await reference.load()), at: Date.now() };
      return cached.book;
    },
    calendar: new WorkingDayCalendar(),
    workflows: w.workflows,
    tokens: new WakeTokens(db, w.tables.entries, w.workflows),
    partnerWebhooks: w.partnerWebhooks,
    site: { entryUrl: (entryId) => `${w.siteUrl()}/entries/${entryId}`, caseUrl: (caseId) => `${w.siteUrl()}/cases/${caseId}`, certificateUrl: (code) => `${w.siteUrl()}/verify/${code}` },
    notifier: new Notifier({ ses: w.ses, sms: w.sms, db, table: w.tables.entries, from: w.senderEmail, clock: w.clock }),
    batches: new BatchStore(db, w.tables.entries),
  };
}

/**
 * The tasks' part of the composition root. It leaves out sign-in, uploads and
 * request limits, so the tasks function bundles none of them.
 */
export function composeTaskDeps(w: TaskWiring): TaskDeps {
  return composeTasks(w, documentClient(w.dynamo));
}

/**
 * The one composition root. AWS and the local system differ only in the
 * clients, endpoints, clock and workflow engine handed in here.
 */
export function composeDeps(w: Wiring): Deps {
  const db = documentClient(w.dynamo);
  return {
    ...composeTasks(w, db),
    rateLimits: new RateLimitStore(db, w.tables.entries, w.rateLimits ?? RATE_LIMITS),
    verifier: w.verifier,
    evidence: w.evidence,
    batchFiles: w.batchFiles,
    signIn: w.signIn,
    local: w.local,
  };
}

/** The deployed clients and settings every function shares, from the validated environment. */
export function awsTaskWiring(config: TaskConfig): TaskWiring {
  const region = config.AWS_REGION;
  return {
    tables: { entries: config.TABLE_ENTRIES, audit: config.TABLE_AUDIT, reference: config.TABLE_REFERENCE },
    senderEmail: config.SENDER_EMAIL,
    dynamo: new DynamoDBClient({ region }),
    ses: new SESv2Client({ region }),
    sms: new SnsSmsSender(new SNSClient({ region })),
    clock: systemClock,
    workflows: new SfnWorkflowEngine(new SFNClient({ region }), config.STATE_MACHINE_ARNS ?? { listingLifecycle: '', caseReview: '', partnerDelivery: '', listingBatch: '' }),
    siteUrl: () => config.SITE_URL,
    partnerWebhooks: { allowLoopback: config.PARTNER_WEBHOOKS_ALLOW_LOOPBACK, resolve: systemResolve },
  };
}

/** The deployed tasks function's wiring, from the validated environment. */
export function awsTaskDeps(env: NodeJS.ProcessEnv = process.env): TaskDeps {
  return composeTaskDeps(awsTaskWiring(loadTaskConfig(env)));
}
