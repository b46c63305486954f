import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose';
import { systemClock, type Clock } from '../platform/clock.js';
import { principalFromClaims, type Principal } from './principal.js';

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
 * asymmetric signature only (no `none`, no HS*), the issuer, the audience and
 * the expiry.
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
        requiredClaims: ['exp', 'sub'],
        currentDate: (this.options.clock ?? systemClock).now(),
      });
      return principalFromClaims(payload);
    } catch {
      return undefined;
    }
  }
}
