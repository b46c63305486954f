import { describe, expect, it } from 'vitest';
import { loadAwsConfig, loadTaskConfig } from '../../shared/platform/config.js';

const taskEnv = {
  TABLE_ENTRIES: 'entries',
  TABLE_AUDIT: 'audit',
  TABLE_REFERENCE: 'reference',
  SENDER_EMAIL: 'notices@example.cn',
  SITE_URL: 'https://credit-dispute.example.cn',
  AWS_REGION: 'ap-east-1',
};
const apiEnv = {
  ...taskEnv,
  EVIDENCE_BUCKET: 'evidence',
  TOKEN_ISSUER: 'https://cognito-idp.ap-east-1.amazonaws.com/pool',
  TOKEN_AUDIENCE: 'client',
  COGNITO_DOMAIN_URL: 'https://sign-in.auth.ap-east-1.amazoncognito.com',
};

describe('configuration read at cold start', () => {
  it('the tasks function starts without the sign-in and upload settings only the API reads', () => {
    expect(loadTaskConfig(taskEnv)).toMatchObject({ TABLE_ENTRIES: 'entries', SITE_URL: 'https://credit-dispute.example.cn', PARTNER_WEBHOOKS_ALLOW_LOOPBACK: false });
  });

  it('the API function refuses to start without them, naming each variable', () => {
    expect(() => loadAwsConfig(taskEnv)).toThrow(/EVIDENCE_BUCKET: .*TOKEN_ISSUER: .*TOKEN_AUDIENCE: .*COGNITO_DOMAIN_URL: /);
    expect(loadAwsConfig(apiEnv)).toMatchObject({ TOKEN_AUDIENCE: 'client', EVIDENCE_BUCKET: 'evidence' });
  });

  it('both name a missing table and a malformed address', () => {
    const { TABLE_AUDIT: _omitted, ...withoutAudit } = taskEnv;
    expect(() => loadTaskConfig({ ...withoutAudit, SENDER_EMAIL: 'not an address' })).toThrow(/TABLE_AUDIT: .*SENDER_EMAIL: /);
    expect(() => loadAwsConfig({ ...apiEnv, TABLE_AUDIT: undefined })).toThrow(/TABLE_AUDIT: /);
  });
});
