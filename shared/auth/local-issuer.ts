import { loadOrCreateSecret } from '../platform/key-file.js';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type CryptoKey } from 'jose';
import type { Role } from './principal.js';

export const LOCAL_ISSUER = 'urn:blacklist-due-process:local-issuer';
export const LOCAL_AUDIENCE = 'blacklist-due-process';
const TOKEN_LIFETIME_SECONDS = 3600;

export interface LocalTokenRequest {
  role: Role;
  subjectId?: string;
  agencyId?: string;
  provinceCode?: string;
  name?: string;
}

/**
 * The local stand-in for Cognito: an ES256 key generated on first start into
 * DATA_DIR (mode 0600, never committed), signing one-hour tokens.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
  ) {}

  static async open(dataDir: string): Promise<LocalIssuer> {
    const { content } = await loadOrCreateSecret(dataDir, 'local-issuer.jwk.json', async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      const kid = `local-${Date.now().toString(36)}`;
      return JSON.stringify({
        privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg: 'ES256' },
        publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' },
      });
    });
    const stored = JSON.parse(content) as { privateJwk: JWK; publicJwk: JWK };
    const privateKey = (await importJWK(stored.privateJwk, 'ES256')) as CryptoKey;
    return new LocalIssuer(privateKey, stored.publicJwk);
  }

  async publicKey(): Promise<CryptoKey> {
    return (await importJWK(this.publicJwk, 'ES256')) as CryptoKey;
  }

  async sign(request: LocalTokenRequest, now: Date): Promise<string> {
    const scope = request.subjectId ?? request.agencyId ?? request.provinceCode ?? request.role;
    // Two reviewers of one agency are told apart by name: each is a person in the audit trail and in claims.
    const sub = request.name ? `${scope}:${request.name}` : scope;
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ ...request })
      .setProtectedHeader({ alg: 'ES256', kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject(`${request.role}:${sub}`)
      .setIssuedAt(iat)
      .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
      .sign(this.privateKey);
  }
}
