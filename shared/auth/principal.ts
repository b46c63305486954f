import * as z from 'zod';

export const roles = ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'partner', 'auditor'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, with the scope their token grants. */
export interface Principal {
  role: Role;
  /** Stable caller id, for the audit trail. */
  id: string;
  name?: string;
  subjectId?: string;
  agencyId?: string;
  provinceCode?: string;
}

/** The caller as the audit trail records them. */
export const actorOf = (p: Principal) => ({ role: p.role, id: p.id });

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(roles).optional(),
  'cognito:groups': z.array(z.string()).optional(),
  name: z.string().optional(),
  subjectId: z.string().optional(),
  agencyId: z.string().optional(),
  provinceCode: z.string().optional(),
  'custom:subjectId': z.string().optional(),
  'custom:agencyId': z.string().optional(),
  'custom:provinceCode': z.string().optional(),
});

/**
 * Reads a principal from verified token claims: local tokens carry `role`
 * and the scope claims directly; Cognito carries the role as a group and the
 * scope as custom attributes. A role whose scope claim is missing is refused.
 */
export function principalFromClaims(claims: unknown): Principal | undefined {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  const role = c.role ?? (c['cognito:groups'] ?? []).find((g): g is Role => (roles as readonly string[]).includes(g));
  if (!role) return undefined;
  const principal: Principal = {
    role,
    id: c.sub,
    name: c.name,
    subjectId: c.subjectId ?? c['custom:subjectId'],
    agencyId: c.agencyId ?? c['custom:agencyId'],
    provinceCode: c.provinceCode ?? c['custom:provinceCode'],
  };
  const needs: Partial<Record<Role, keyof Principal>> = {
    subject: 'subjectId',
    'agency-officer': 'agencyId',
    'agency-reviewer': 'agencyId',
    'provincial-reviewer': 'provinceCode',
  };
  const scopeClaim = needs[role];
  if (scopeClaim && !principal[scopeClaim]) return undefined;
  return principal;
}
