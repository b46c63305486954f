import type { JWK } from 'jose';
import type { LocalTokenRequest } from '../shared/auth/local-issuer.js';
import type { TokenVerifier } from '../shared/auth/token-verifier.js';
import type { WorkingDayCalendar } from '../shared/calendar/index.js';
import type { Notifier } from '../shared/notices/notifier.js';
import type { DecideContext } from '../shared/domain/entry.js';
import type { EvidenceFiles } from '../shared/evidence/evidence-files.js';
import type { LocalEvidenceUploads } from '../shared/evidence/local-evidence.js';
import type { Clock } from '../shared/platform/clock.js';
import type { PolicyBook } from '../shared/policy/policy-book.js';
import type { BatchFiles } from '../shared/stores/batch-files.js';
import type { BatchStore } from '../shared/stores/batch-store.js';
import type { EntryStore } from '../shared/stores/entry-store.js';
import type { RateLimitStore } from '../shared/stores/rate-limit-store.js';
import type { PartnerStore } from '../shared/partners/partner-store.js';
import type { WebhookTargetPolicy } from '../shared/partners/webhook-target.js';
import type { WorkflowEngine } from '../shared/workflows/engine.js';
import type { WakeTokens } from '../shared/workflows/wake-tokens.js';
import type { SignInProvider } from './web/sign-in.js';

/** Local-only controls: present when the system runs on one machine, absent on AWS. */
export interface LocalControls {
  issueToken(request: LocalTokenRequest): Promise<string>;
  /** Moves the virtual clock and returns once everything due has run. */
  advanceClock(to: Date): Promise<Date>;
  services(): Record<string, string>;
  /** The public keys local tokens are signed with. */
  jwks(): { keys: JWK[] };
  /** Receives the evidence uploads that the local upload URLs point at. */
  evidenceUploads: LocalEvidenceUploads;
}

/** What a domain decision may consult, loaded once per request or task with one reading of the clock. */
export async function decideContext(deps: TaskDeps): Promise<DecideContext> {
  return { policies: await deps.policies(), calendar: deps.calendar, now: deps.clock.now() };
}

// Declared beside their implementations in shared/evidence, which may not import from functions/.
export type { EvidenceContentType, EvidenceFiles, EvidenceUploadRequest } from '../shared/evidence/evidence-files.js';

/** Wakes the reviews a commit closed because their entry left the list, so they end now rather than at their next timer. */
export async function wakeClosedReviews(deps: Pick<TaskDeps, 'tokens'>, events: ReadonlyArray<{ type: string; data: unknown }>): Promise<void> {
  for (const e of events) if (e.type === 'CaseClosed') await deps.tokens.wakeAfterCommit(`review:${(e.data as { caseId: string }).caseId}`);
}

/** Links into the web interface, for notices. */
export interface SiteLinks {
  entryUrl(entryId: string): string;
  caseUrl(caseId: string): string;
  /** The public page a third party checks a repair certificate on. */
  certificateUrl(code: string): string;
}

/** What the workflow tasks need, built once per process by the composition root: no sign-in, uploads or request limits. */
export interface TaskDeps {
  clock: Clock;
  entries: EntryStore;
  policies: () => Promise<PolicyBook>;
  calendar: WorkingDayCalendar;
  workflows: WorkflowEngine;
  tokens: WakeTokens;
  /** Where partner events may go: checked at subscription and at every delivery's connection. */
  partnerWebhooks: WebhookTargetPolicy;
  notifier: Notifier;
  partners: PartnerStore;
  /** Listing batches: their headers and per-chunk results. */
  batches: BatchStore;
  site: SiteLinks;
}

/** Everything the API and the pages need: the tasks' dependencies and those of serving people. */
export interface Deps extends TaskDeps {
  verifier: TokenVerifier;
  evidence: EvidenceFiles;
  /** Where a batch's lines are put for its workflow to read. */
  batchFiles: BatchFiles;
  /** Counts filings and token use against the limits of shared/platform/rate-limits.ts. */
  rateLimits: RateLimitStore;
  /** How the web pages sign people in on AWS (the Cognito hosted UI); locally the sign-in page issues local tokens instead. */
  signIn?: SignInProvider;
  local?: LocalControls;
}
