// zod/mini: the tasks function reads its configuration without loading the rest of zod.
import * as z from 'zod/mini';

const name = z.string().check(z.minLength(1));

/** What every function reads: the tables, the notices' sender and links, the state machines. */
const taskConfigSchema = z.object({
  TABLE_ENTRIES: name,
  TABLE_AUDIT: name,
  TABLE_REFERENCE: name,
  SENDER_EMAIL: z.email(),
  SITE_URL: z.url(),
  STATE_MACHINE_ARNS: z.optional(
    z.pipe(
      z.string(),
      z.transform((s, ctx) => {
        try {
          return z.object({ listingLifecycle: z.string(), caseReview: z.string(), partnerDelivery: z.string(), listingBatch: z.string() }).parse(JSON.parse(s));
        } catch {
          ctx.issues.push({ code: 'custom', input: s, message: 'must be JSON naming the listingLifecycle, caseReview, partnerDelivery and listingBatch ARNs' });
          return z.NEVER;
        }
      }),
    ),
  ),
  AWS_REGION: name,
  /**
   * Deployed, partner events never go to loopback: it is the function's own host,
   * where the Lambda runtime API listens. Only the local system allows it, so
   * here the flag may only be absent or 'false'.
   */
  PARTNER_WEBHOOKS_ALLOW_LOOPBACK: z.pipe(
    z.optional(z.literal('false', { error: "must be absent or 'false' on AWS: loopback webhooks are for the local system only" })),
    z.transform(() => false),
  ),
});

/** The API and pages read more: the evidence bucket and who issues the tokens they accept. */
const configSchema = z.extend(taskConfigSchema, {
  EVIDENCE_BUCKET: name,
  TOKEN_ISSUER: z.url(),
  TOKEN_AUDIENCE: name,
  /** The user pool's hosted UI, where the pages send people to sign in: https://<prefix>.auth.<region>.amazoncognito.com */
  COGNITO_DOMAIN_URL: z.url({ protocol: /^https$/ }),
});

export type TaskConfig = z.infer<typeof taskConfigSchema>;
export type AwsConfig = z.infer<typeof configSchema>;

function load<S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The tasks function's configuration, read once at cold start; a missing value fails naming the variable. */
export function loadTaskConfig(env: NodeJS.ProcessEnv = process.env): TaskConfig {
  return load(taskConfigSchema, env);
}

/** The API function's configuration, read once at cold start; a missing value fails naming the variable. */
export function loadAwsConfig(env: NodeJS.ProcessEnv = process.env): AwsConfig {
  return load(configSchema, env);
}
