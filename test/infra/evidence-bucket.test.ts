import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';

/** CloudFormation JSON is untyped; the tests read it as such and assert its shape. */
type Json = any;
interface Statement { Effect: 'Allow' | 'Deny'; Action?: Json; NotAction?: Json; Resource?: Json; NotResource?: Json; Principal?: Json; Condition?: Json }

const SITE_URL = 'https://credit-dispute.example.cn/app';

let stack: Stack;
let template: Template;
let resources: Record<string, { Type: string; Properties?: Record<string, Json>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
let bucketId: string;

beforeAll(() => {
  // Bundling is skipped, so no Lambda is built; the site URL has a path, which CORS must drop.
  ({ stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], siteUrl: SITE_URL } })));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  const buckets = stack.node.findAll().filter((c): c is s3.Bucket => c instanceof s3.Bucket);
  expect(buckets.map((b) => b.node.id)).toEqual(['Evidence']);
  bucketId = idOf(buckets[0]!.node.defaultChild as CfnElement);
});

const idOf = (element: CfnElement) => stack.getLogicalId(element);
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** An intrinsic as text: `<LogicalId>` for a Ref, `<LogicalId.Attr>` for a GetAtt, joins concatenated. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(render).join(value['Fn::Join'][0]);
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value?.Ref) return `<${value.Ref}>`;
  return JSON.stringify(value);
}

function fn(name: 'Api' | 'Tasks'): { logicalId: string; roleId: string; props: Record<string, Json> } {
  const found = stack.node.findAll().find((c): c is NodejsFunction => c instanceof NodejsFunction && c.node.id === `${name}Function`);
  if (!found) throw new Error(`No ${name}Function`);
  const logicalId = idOf(found.node.defaultChild as CfnElement);
  return { logicalId, roleId: idOf(found.role!.node.defaultChild as CfnElement), props: resources[logicalId]!.Properties! };
}

/** Every Allow statement attached to a role, actions and resources rendered. */
function allowsOf(roleId: string): Array<{ actions: string[]; resources: string[] }> {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && list<Json>(r.Properties?.Roles).some((ref) => ref?.Ref === roleId))
    .flatMap((r) => list<Statement>(r.Properties?.PolicyDocument?.Statement))
    .filter((s) => s.Effect === 'Allow')
    .map((s) => ({ actions: list<string>(s.Action), resources: list<Json>(s.Resource).map(render) }));
}

/** The statements of a role that name S3 actions or the bucket, or grant every action. */
const s3GrantsOf = (roleId: string) => allowsOf(roleId).filter((s) => s.actions.some((a) => a === '*' || a.toLowerCase().startsWith('s3:')) || s.resources.some((r) => r.includes(`<${bucketId}`)));

describe('the evidence bucket', () => {
  const bucket = () => resources[bucketId]!;

  it('is encrypted with the stack\'s customer-managed key, with a bucket key', () => {
    const [keyId] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::KMS::Key')!;
    expect(bucket().Properties?.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } }, BucketKeyEnabled: true }],
    });
  });

  it('is the only bucket in the template, so the checks here cover every stored file', () => {
    expect(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id)).toEqual([bucketId]);
  });

  it('blocks every kind of public access and disables ACLs', () => {
    expect(bucket().Properties?.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket().Properties?.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('expires listing batches\' objects, and only those', () => {
    expect(bucket().Properties?.LifecycleConfiguration?.Rules).toEqual([{ Id: 'ExpireListingBatches', Prefix: 'batches/', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' }]);
  });

  it('is versioned and retained when the stack goes', () => {
    expect(bucket().Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket().DeletionPolicy).toBe('Retain');
    expect(bucket().UpdateReplacePolicy).toBe('Retain');
  });

  it('refuses every request not made over TLS', () => {
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties?.Bucket?.Ref === bucketId);
    expect(policies).toHaveLength(1);
    const denies = list<Statement>(policies[0]!.Properties?.PolicyDocument?.Statement).filter((s) => s.Effect === 'Deny');
    expect(denies).toContainEqual(
      expect.objectContaining({ Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const denied = denies.flatMap((s) => list<Json>(s.Resource).map(render));
    expect(denied).toEqual(expect.arrayContaining([`<${bucketId}.Arn>`, `<${bucketId}.Arn>/*`]));
  });

  it('lets browsers PUT from the site\'s origin, with the signed headers, and nothing else', () => {
    expect(bucket().Properties?.CorsConfiguration).toEqual({
      CorsRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: ['https://credit-dispute.example.cn'], AllowedHeaders: ['content-type', 'x-amz-checksum-sha256'], MaxAge: 3600 }],
    });
  });
});

describe('access to evidence', () => {
  it('the API function is told the bucket', () => {
    expect(fn('Api').props.Environment?.Variables?.EVIDENCE_BUCKET).toEqual({ Ref: bucketId });
  });

  it('the API role may put and get objects under evidence/, put listing batches under batches/, and list the bucket so a missing file is a 404', () => {
    const grants = s3GrantsOf(fn('Api').roleId).map((g) => ({ ...g, actions: [...g.actions].sort() }));
    expect(grants).toEqual(
      expect.arrayContaining([
        { actions: ['s3:GetObject', 's3:PutObject'], resources: [`<${bucketId}.Arn>/evidence/*`] },
        { actions: ['s3:PutObject'], resources: [`<${bucketId}.Arn>/batches/*`] },
        { actions: ['s3:ListBucket'], resources: [`<${bucketId}.Arn>`] },
      ]),
    );
    expect(grants).toHaveLength(3);
  });

  it('no role may delete evidence or change the bucket\'s policy', () => {
    const roleIds = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([id]) => id);
    const offending = roleIds.flatMap((roleId) => s3GrantsOf(roleId).filter((g) => g.actions.some((a) => a === '*' || /^s3:(\*|Delete|PutBucket|PutObjectAcl)/i.test(a))));
    expect(offending).toEqual([]);
  });

  it('the tasks function has no access to the bucket', () => {
    expect(s3GrantsOf(fn('Tasks').roleId)).toEqual([]);
  });

  it('the check above finds a grant on the bucket when one exists', () => {
    // Guards the least-privilege assertions against passing vacuously.
    expect(s3GrantsOf(fn('Api').roleId).length).toBeGreaterThan(0);
    expect(allowsOf(fn('Tasks').roleId).length).toBeGreaterThan(0);
  });
});
