import { S3Client } from '@aws-sdk/client-s3';
import { TokenVerifier } from '../../shared/auth/token-verifier.js';
import { S3Evidence } from '../../shared/evidence/s3-evidence.js';
import { S3BatchFiles } from '../../shared/stores/batch-files.js';
import { systemClock } from '../../shared/platform/clock.js';
import { loadAwsConfig } from '../../shared/platform/config.js';
import { awsTaskWiring, composeDeps } from '../composition.js';
import type { Deps } from '../deps.js';
import { CognitoSignIn } from '../web/cognito-sign-in.js';
import { signInUrls } from '../web/sign-in.js';

/**
 * The deployed API function's wiring, from the validated environment: the
 * tasks' clients plus what serving people needs (the Cognito token verifier
 * and hosted UI, the evidence bucket). Kept apart from functions/composition.ts
 * so the tasks function does not bundle sign-in.
 */
export function awsDeps(env: NodeJS.ProcessEnv = process.env): Deps {
  const config = loadAwsConfig(env);
  const region = config.AWS_REGION;
  const s3 = new S3Client({ region });
  const verifier = new TokenVerifier({ issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE, keys: new URL(`${config.TOKEN_ISSUER}/.well-known/jwks.json`) });
  return composeDeps({
    ...awsTaskWiring(config),
    verifier,
    evidence: new S3Evidence({ bucket: config.EVIDENCE_BUCKET, region, client: s3, clock: systemClock }),
    batchFiles: new S3BatchFiles(s3, config.EVIDENCE_BUCKET),
    // The app client's audience is the id token's: the session is checked by the same verifier as a bearer token.
    signIn: new CognitoSignIn({
      domainUrl: config.COGNITO_DOMAIN_URL,
      clientId: config.TOKEN_AUDIENCE,
      redirectUri: signInUrls(config.SITE_URL).callback,
      signedOutUri: signInUrls(config.SITE_URL).signedOut,
      verifier,
      clock: systemClock,
    }),
  });
}
