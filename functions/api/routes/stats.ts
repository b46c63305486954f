import type { Hono } from 'hono';
import type { Principal } from '../../../shared/auth/principal.js';
import { reviewStats, reviewStatsWindow } from '../../../shared/domain/review-stats.js';
import type { PolicyBook } from '../../../shared/policy/policy-book.js';
import { problemSchema } from '../../../shared/schemas/common.js';
import { reviewStatsSchema } from '../../../shared/schemas/stats.js';
import { agencyQueue, provincialQueue } from '../../../shared/stores/entry-store.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import { route } from '../route-registry.js';

/** Who reads the review statistics: the reviewers, for their own agency or province, and auditors, for all. */
export const STATS_ROLES = ['agency-reviewer', 'provincial-reviewer', 'auditor'] as const;

/**
 * The agencies whose figures a caller sees: a reviewer's own agency, the
 * agencies of a provincial reviewer's province, every agency for an auditor;
 * each with the province whose queue holds its escalated and appealed cases.
 */
export function agenciesInScope(p: Principal, book: PolicyBook): Array<{ agencyId: string; provinceCode?: string }> {
  const all = book.catalogue.agencies;
  switch (p.role) {
    case 'agency-reviewer':
      return [{ agencyId: p.agencyId!, provinceCode: book.agency(p.agencyId!)?.provinceCode }];
    case 'provincial-reviewer':
      return all.filter((a) => a.provinceCode === p.provinceCode);
    case 'auditor':
      return all;
    default:
      return [];
  }
}

export function statsRoutes(app: Hono<AppEnv>, deps: Deps) {
  route(
    app,
    {
      method: 'get',
      path: '/v1/stats/reviews',
      summary: 'Read the review statistics',
      tag: 'review',
      access: STATS_ROLES,
      responses: {
        200: { description: 'Backlog by deadline week, on-time rate and median working days to decision per agency, escalations per month, for the agencies in the caller\'s scope', schema: reviewStatsSchema },
        401: { description: 'No valid token', schema: problemSchema },
        403: { description: 'A role that does not review', schema: problemSchema },
      },
    },
    async (c, { principal }) => {
      const now = deps.clock.now();
      const agencies = agenciesInScope(principal!, await deps.policies());
      const agencyIds = new Set(agencies.map((a) => a.agencyId));
      const provinces = [...new Set(agencies.flatMap((a) => (a.provinceCode ? [a.provinceCode] : [])))];
      const { fromAt } = reviewStatsWindow(now);
      // Index queries only: each agency's queue and finished cases, and the provincial queues of their provinces.
      const reads = await Promise.all([
        ...agencies.map((a) => deps.entries.openCases(agencyQueue(a.agencyId))),
        ...agencies.map((a) => deps.entries.finishedCases(a.agencyId, fromAt)),
        ...provinces.map(async (code) => (await deps.entries.openCases(provincialQueue(code))).filter((x) => agencyIds.has(x.agencyId))),
      ]);
      return c.json(reviewStats({ agencyIds: [...agencyIds], cases: reads.flat() }, deps.calendar, now));
    },
  );
}
