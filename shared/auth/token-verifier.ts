import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose';
import { systemClock, type Clock } from '../platform/clock.js';
import { principalFromClaims, type Principal } from './principal.js';

/** The longest a token may live, from issue to expiry (local tokens and Cognito ID tokens are issued for one hour). */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** A JWKS URL (Cognito) or a key set getter / public key (the local issuer). */
  keys: URL | JWTVerifyGetKey | CryptoKey | KeyObject;
  /** Expiry is judged on this clock: the virtual clock locally. */
  clock?: Clock;
}

/**
 * Verifies bearer tokens the same way for local and Cognito tokens: an
 * asymmetric signature only (no `none`, no HS*), the issuer, the audience, the
 * expiry and a lifetime of one hour at most.
 */
export class TokenVerifier {
  private readonly key: JWTVerifyGetKey | CryptoKey | KeyObject;

  constructor(private readonly options: TokenVerifierOptions) {
    this.key = options.keys instanceof URL ? createRemoteJWKSet(options.keys) : options.keys;
  }

  async verify(token: string): Promise<Principal | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key as JWTVerifyGetKey, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['ES256', 'RS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
        currentDate: (this.options.clock ?? systemClock).now(),
      });
      // A token lives one hour at most: a longer-lived one was not issued by our issuer's rules.
      if (payload.exp! - payload.iat! > MAX_TOKEN_LIFETIME_SECONDS) return undefined;
      return principalFromClaims(payload);
    } catch {
      return undefined;
    }
  }
}
