import { App, CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { PAGE_PATHS } from '../../functions/web/index.js';
import { BATCH_TASKS } from '../../functions/tasks/batch-tasks.js';
import { TASK_HANDLERS } from '../../functions/tasks/handlers.js';
import { WORKFLOW_TASKS } from '../../functions/tasks/workflow-tasks.js';
import { LAMBDA_ENTRIES, type LambdaName } from '../../infra/bundling.js';
import { AUDIT_MUTATIONS, MACHINE_FUNCTIONS, STATE_MACHINE_IDS } from '../../infra/stack.js';
import { roles } from '../../shared/auth/principal.js';
import { BATCH_CHUNK_CONCURRENCY, BATCH_LINES_PER_CHUNK, BATCH_MAX_LINES } from '../../shared/domain/listing-batch.js';
import { DEADLINE_BREACHES } from '../../shared/platform/metrics.js';
import { API_STAGE_THROTTLE, SIGN_IN_SERVICE_LIMIT } from '../../shared/platform/rate-limits.js';
import { TABLES, type KeyDefinition, type TableDefinition } from '../../shared/stores/tables.js';
import type { MachineKey } from '../../shared/workflows/engine.js';
import { synthesizeDefinitions } from '../../workflows/synthesized-definitions.js';

/** CloudFormation JSON is untyped; the tests read it as such and assert its shape. */
type Json = any;
interface Resource { Type: string; Properties?: Record<string, Json>; DeletionPolicy?: string }
interface Statement { Effect: 'Allow' | 'Deny'; Action?: Json; NotAction?: Json; Resource?: Json; NotResource?: Json; Principal?: Json }

/** Writes to the audit trail that no role may be allowed, whatever else it is given. */
const FORBIDDEN_ON_AUDIT = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'];

let stack: Stack;
let template: Template;
let resources: Record<string, Resource>;
/** Construct path → logical id, so tests find resources by the ids the stack gives them. */
let logicalIds: Map<string, string>;

beforeAll(() => {
  // Synthesized once for the file; bundling is skipped, so no Lambda is built.
  ({ stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } })));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
  logicalIds = new Map();
  for (const c of stack.node.findAll()) if (CfnElement.isCfnElement(c)) logicalIds.set(c.node.path, stack.getLogicalId(c));
});

/** The logical id of the L1 resource behind a top-level construct id (e.g. a table's `logicalName`). */
function logicalIdOf(constructId: string): string {
  const id = logicalIds.get(`${stack.node.path}/${constructId}/Resource`);
  if (!id) throw new Error(`No resource for construct ${constructId}`);
  return id;
}

function resource(logicalId: string): Resource {
  const r = resources[logicalId];
  if (!r) throw new Error(`No resource ${logicalId} in the template`);
  return r;
}

function ofType(type: string): Array<[string, Resource]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Renders an intrinsic as a string: pseudo parameters become their usual values, other
 * references become `<LogicalId>` / `<LogicalId.Attr>`, so a test can ask which resource a value names.
 */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) {
      const [sep, parts] = value['Fn::Join'] as [string, Json[]];
      return parts.map(render).join(sep);
    }
    if ('Fn::GetAtt' in value) {
      const [id, attr] = value['Fn::GetAtt'] as [string, string];
      return `<${id}.${attr}>`;
    }
    if ('Ref' in value) {
      const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'ap-east-1', 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com' };
      return pseudo[value.Ref as string] ?? `<${value.Ref as string}>`;
    }
    if ('Fn::Sub' in value) return String(list(value['Fn::Sub'])[0]);
    if ('Fn::Select' in value) {
      const [index, from] = value['Fn::Select'] as [number, Json];
      if (from && typeof from === 'object' && 'Fn::Split' in from) {
        const [sep, source] = from['Fn::Split'] as [string, Json];
        return render(source).split(sep)[index] ?? `<select ${index} of ${render(source)}>`;
      }
    }
  }
  throw new Error(`Cannot render ${JSON.stringify(value)}`);
}

/** Every statement of every IAM policy document in the template, with the policy's logical id and the roles it is attached to. */
function iamStatements(): Array<{ policy: string; roles: string[]; statement: Statement }> {
  const out: Array<{ policy: string; roles: string[]; statement: Statement }> = [];
  const push = (policy: string, roleIds: string[], doc: Json) => {
    for (const statement of list<Statement>(doc?.Statement)) out.push({ policy, roles: roleIds, statement });
  };
  const roleRefs = (p: Record<string, Json> | undefined) => list<Json>(p?.Roles).map((r) => (typeof r === 'object' && r && 'Ref' in r ? (r.Ref as string) : render(r)));
  for (const [id, r] of ofType('AWS::IAM::Policy')) push(id, roleRefs(r.Properties), r.Properties?.PolicyDocument);
  for (const [id, r] of ofType('AWS::IAM::ManagedPolicy')) push(id, roleRefs(r.Properties), r.Properties?.PolicyDocument);
  for (const [id, r] of ofType('AWS::IAM::Role')) for (const p of list<Json>(r.Properties?.Policies)) push(`${id}/${String(p.PolicyName)}`, [id], p.PolicyDocument);
  return out;
}

/** IAM action matching: `*` and `?` are wildcards, and action names are case-insensitive. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

function allowsAction(s: Statement, action: string): boolean {
  if (s.Effect !== 'Allow') return false;
  if (s.Action !== undefined) return list<string>(s.Action).some((p) => actionMatches(p, action));
  if (s.NotAction !== undefined) return !list<string>(s.NotAction).some((p) => actionMatches(p, action));
  return false;
}

/**
 * Whether a statement's resources can include the table: a reference to its logical id,
 * `*`, or a literal DynamoDB table ARN pattern with a wildcard. NotResource covers it unless it names it.
 */
function coversTable(s: Statement, tableLogicalId: string): boolean {
  const names = (r: Json) => render(r).includes(`<${tableLogicalId}`);
  const wildcard = (r: Json) => {
    const text = render(r);
    return text === '*' || /^arn:[^:]*:dynamodb:[^:]*:[^:]*:(\*|table\/[^<]*\*)/.test(text);
  };
  if (s.Resource !== undefined) return list<Json>(s.Resource).some((r) => names(r) || wildcard(r));
  if (s.NotResource !== undefined) return !list<Json>(s.NotResource).some(names);
  return false;
}

/** The IAM statements (Allow) that grant any of `actions` on the table. */
function grantsOn(tableLogicalId: string, actions: string[]) {
  return iamStatements().filter(({ statement }) => coversTable(statement, tableLogicalId) && actions.some((a) => allowsAction(statement, a)));
}

/** A state machine's definition with intrinsics rendered as placeholders. */
function definitionOf(machineId: string): { StartAt: string; States: Record<string, Json> } {
  return JSON.parse(render(resource(logicalIdOf(machineId)).Properties?.DefinitionString));
}

/** The logical id of one of the stack's functions (TasksFunction, BatchFunction, ApiFunction). */
function functionId(name: LambdaName): string {
  const id = `${name[0]!.toUpperCase()}${name.slice(1)}Function`;
  const fn = appFunctions().find((f) => f.path === `${stack.node.path}/${id}`);
  if (!fn) throw new Error(`No ${id} in the stack`);
  return fn.logicalId;
}

/** The logical id of the function that runs the state machines' tasks. */
function tasksFunctionId(): string {
  return functionId('tasks');
}

/** The logical id of the function that runs a machine's tasks, by the machine's construct id. */
function machineFunctionId(machineId: string): string {
  const key = (Object.keys(STATE_MACHINE_IDS) as MachineKey[]).find((k) => STATE_MACHINE_IDS[k] === machineId)!;
  return functionId(MACHINE_FUNCTIONS[key]);
}

/** Every Task state of a definition, a Distributed Map's item processor included. */
function taskStates(definition: { States: Record<string, Json> }): Array<[string, Json]> {
  const nested = Object.values(definition.States).flatMap((s) => (s.ItemProcessor ? Object.entries(s.ItemProcessor.States as Record<string, Json>) : []));
  return [...Object.entries(definition.States), ...nested].filter(([, s]) => s.Type === 'Task');
}

/** The role the tasks function runs with. */
function tasksRoleId(): string {
  return render(resource(tasksFunctionId()).Properties?.Role).replace(/^<([^.>]+).*$/, '$1');
}

/** Each state's type and where it goes: Next, the Choices, Default and the Catch targets, nothing else. */
function flowOf(definition: { States: Record<string, Json> }): Record<string, Json> {
  const pick = (s: Json) => Object.fromEntries(['Type', 'Next', 'Choices', 'Default', 'Catch', 'End'].filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
  return Object.fromEntries(Object.entries(definition.States).map(([name, s]) => [name, pick(s)]));
}

/** Each Task state's task name, the rest of its payload, and where its result goes. */
function tasksOf(states: Record<string, Json>): Record<string, { task: string; payload: Record<string, Json>; ResultPath: Json }> {
  return Object.fromEntries(
    Object.entries(states)
      .filter(([, s]) => s.Type === 'Task')
      .map(([name, s]) => {
        // A synchronous call passes the payload as the parameters; a callback wraps it in Payload.
        const { task, ...payload } = (s.Parameters?.Payload ?? s.Parameters) as Record<string, Json>;
        return [name, { task: String(task), payload, ResultPath: s.ResultPath }];
      }),
  );
}

/** The Lambda functions the stack deploys, found by construct rather than by type, so helper functions CDK adds are not mistaken for them. */
function appFunctions(): Array<{ path: string; logicalId: string; props: Record<string, Json> }> {
  return stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction).map((fn) => {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    return { path: fn.node.path, logicalId, props: resource(logicalId).Properties ?? {} };
  });
}

const keySchema = (def: { partitionKey: KeyDefinition; sortKey: KeyDefinition }) => [
  { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
  { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
];

function attributeDefinitions(def: TableDefinition) {
  const keys = [def.partitionKey, def.sortKey, ...def.indexes.flatMap((ix) => [ix.partitionKey, ix.sortKey])];
  const byName = new Map(keys.map((k) => [k.name, k.type]));
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })).sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
}

const tableDefs = Object.entries(TABLES) as Array<[string, TableDefinition]>;

describe('tables', () => {
  it.each(tableDefs)('%s is a global table with the keys and indexes of shared/stores/tables.ts', (_key, def) => {
    const table = resource(logicalIdOf(def.logicalName));
    expect(table.Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(table.Properties?.KeySchema).toEqual(keySchema(def));
    const attrs = [...(table.Properties?.AttributeDefinitions as Array<{ AttributeName: string }>)].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
    expect(attrs).toEqual(attributeDefinitions(def));
    if (def.indexes.length === 0) {
      expect(table.Properties?.GlobalSecondaryIndexes ?? []).toEqual([]);
    } else {
      expect(table.Properties?.GlobalSecondaryIndexes).toEqual(def.indexes.map((ix) => expect.objectContaining({ IndexName: ix.indexName, KeySchema: keySchema(ix) })));
      // Every index is also declared on each replica, or the replica would not carry it.
      for (const replica of list<Json>(table.Properties?.Replicas)) {
        expect(list<Json>(replica.GlobalSecondaryIndexes).map((ix) => ix.IndexName)).toEqual(def.indexes.map((ix) => ix.indexName));
      }
    }
  });

  it.each(tableDefs)('%s is billed on demand, recoverable to a point in time and encrypted with the customer-managed key', (_key, def) => {
    const table = resource(logicalIdOf(def.logicalName));
    expect(table.Properties?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties?.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const replicas = list<Json>(table.Properties?.Replicas);
    expect(replicas.length).toBeGreaterThan(0);
    const keyIds = ofType('AWS::KMS::Key').map(([id]) => id);
    for (const replica of replicas) {
      expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      const keyArn = replica.SSESpecification?.KMSMasterKeyId;
      expect(keyArn, 'replica encryption key').toBeDefined();
      expect(keyIds).toContain(render(keyArn).replace(/^<([^.>]+).*$/, '$1'));
    }
  });
});

describe('encryption at rest', () => {
  it('every table in the template is one of shared/stores/tables.ts, so the checks above cover them all', () => {
    expect(ofType('AWS::DynamoDB::Table')).toEqual([]);
    expect(ofType('AWS::DynamoDB::GlobalTable').map(([id]) => id).sort()).toEqual(tableDefs.map(([, def]) => logicalIdOf(def.logicalName)).sort());
  });

  it('the data key is the stack\'s own (customer-managed), rotated yearly and kept when the stack goes', () => {
    const keys = ofType('AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0]!;
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    // Every table replica names this key, never an AWS-managed one (alias/aws/dynamodb).
    for (const [, table] of ofType('AWS::DynamoDB::GlobalTable')) {
      for (const replica of list<Json>(table.Properties?.Replicas)) expect(render(replica.SSESpecification?.KMSMasterKeyId)).toBe(`<${keyId}.Arn>`);
    }
  });
});

describe('the audit trail', () => {
  const auditId = () => logicalIdOf(TABLES.audit.logicalName);

  it('is protected from deletion and retained when the stack goes', () => {
    const table = resource(auditId());
    expect(table.DeletionPolicy).toBe('Retain');
    expect(template.findResources('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', Properties: { Replicas: Match.arrayWith([Match.objectLike({ DeletionProtectionEnabled: true })]) } })).toHaveProperty(auditId());
    for (const replica of list<Json>(table.Properties?.Replicas)) expect(replica.DeletionProtectionEnabled).toBe(true);
  });

  it('has a resource policy denying every audit mutation to every principal', () => {
    const replicas = list<Json>(resource(auditId()).Properties?.Replicas);
    expect(replicas.length).toBeGreaterThan(0);
    for (const replica of replicas) {
      const denies = list<Statement>(replica.ResourcePolicy?.PolicyDocument?.Statement).filter((s) => s.Effect === 'Deny');
      const toEveryone = denies.filter((s) => s.Principal === '*' || list<Json>(s.Principal?.AWS).includes('*'));
      for (const action of AUDIT_MUTATIONS) {
        expect(toEveryone.some((s) => list<string>(s.Action).some((p) => actionMatches(p, action)) && list<Json>(s.Resource).map(render).includes('*')), `deny ${action}`).toBe(true);
      }
    }
  });

  it('the forbidden set covers what the resource policy must deny', () => {
    expect(AUDIT_MUTATIONS).toEqual(expect.arrayContaining(FORBIDDEN_ON_AUDIT));
  });

  it('no IAM policy allows a role to update or delete audit items (least privilege)', () => {
    const offending = grantsOn(auditId(), FORBIDDEN_ON_AUDIT).map(({ policy, statement }) => ({ policy, actions: statement.Action ?? { NotAction: statement.NotAction } }));
    expect(offending).toEqual([]);
  });

  it('the least-privilege check does find a forbidden grant when one exists', () => {
    // Guards the check above against passing vacuously: a grantReadWriteData-shaped statement, an action wildcard and a `*` resource.
    const id = auditId();
    const readWrite: Statement = { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: [{ 'Fn::GetAtt': [id, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/index/*']] }] };
    const wildcard: Statement = { Effect: 'Allow', Action: 'dynamodb:*', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:ap-east-1:', { Ref: 'AWS::AccountId' }, ':table/*']] } };
    const everything: Statement = { Effect: 'Allow', Action: '*', Resource: '*' };
    const otherTable: Statement = { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: { 'Fn::GetAtt': [logicalIdOf(TABLES.entries.logicalName), 'Arn'] } };
    for (const s of [readWrite, wildcard, everything]) expect(FORBIDDEN_ON_AUDIT.some((a) => coversTable(s, id) && allowsAction(s, a))).toBe(true);
    expect(FORBIDDEN_ON_AUDIT.some((a) => coversTable(otherTable, id) && allowsAction(otherTable, a))).toBe(false);
  });

  it('every Lambda can append to and query the audit trail', () => {
    const fns = appFunctions();
    expect(fns.length).toBe(Object.keys(LAMBDA_ENTRIES).length);
    for (const fn of fns) {
      const roleId = render(fn.props.Role).replace(/^<([^.>]+).*$/, '$1');
      const mine = (actions: string[]) => grantsOn(auditId(), actions).filter(({ roles: r }) => r.includes(roleId));
      expect(mine(['dynamodb:PutItem']), `${fn.path} PutItem`).not.toEqual([]);
      expect(mine(['dynamodb:Query']), `${fn.path} Query`).not.toEqual([]);
    }
  });
});

describe('state machines', () => {
  const machineIds = Object.values(STATE_MACHINE_IDS);
  const CALLBACK_STATES: Record<string, string[]> = { [STATE_MACHINE_IDS.listingLifecycle]: ['AwaitRepresentationOutcome', 'AwaitExpiry'], [STATE_MACHINE_IDS.caseReview]: ['AwaitDecision', 'AwaitSupplement'], [STATE_MACHINE_IDS.partnerDelivery]: [], [STATE_MACHINE_IDS.listingBatch]: [] };

  it('are exactly ListingLifecycle, CaseReview, PartnerDelivery and ListingBatch', () => {
    expect([...machineIds].sort()).toEqual(['CaseReview', 'ListingBatch', 'ListingLifecycle', 'PartnerDelivery']);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', machineIds.length);
  });

  it.each(machineIds)('%s is named after the stack and the machine, so its ARN can be written without a reference', (id) => {
    expect(resource(logicalIdOf(id)).Properties?.StateMachineName).toBe(`${stack.stackName}-${id}`);
  });

  it.each(machineIds)('%s is STANDARD, logs everything and is traced', (id) => {
    const props = resource(logicalIdOf(id)).Properties;
    expect(props?.StateMachineType).toBe('STANDARD');
    expect(props?.LoggingConfiguration?.Level).toBe('ALL');
    expect(list<Json>(props?.LoggingConfiguration?.Destinations).length).toBeGreaterThan(0);
    expect(props?.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('ListingLifecycle goes from the pre-listing notice to the listing date, the listing outcome, and expiry; a continuation enters at DelistAtExpiry', () => {
    const definition = definitionOf(STATE_MACHINE_IDS.listingLifecycle);
    expect(definition.StartAt).toBe('Phase?');
    expect(flowOf(definition)).toEqual({
      'Phase?': {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.phase', IsPresent: true }, { Variable: '$.phase', StringEquals: 'listed' }], Next: 'DelistAtExpiry' }],
        Default: 'SendPreListingNotice',
      },
      // A notice, the listing and the delisting wait out an outage (their quick retries spent) and run again; they never fail the execution.
      SendPreListingNotice: { Type: 'Task', Next: 'AwaitListingDate', Catch: [{ ErrorEquals: ['TransientFailure'], ResultPath: null, Next: 'SendPreListingNoticeLater' }] },
      SendPreListingNoticeLater: { Type: 'Wait', Next: 'SendPreListingNotice' },
      AwaitListingDate: { Type: 'Wait', Next: 'ListEntry' },
      ListEntry: { Type: 'Task', Next: 'Listing outcome?', Catch: [{ ErrorEquals: ['TransientFailure'], ResultPath: null, Next: 'ListEntryLater' }] },
      ListEntryLater: { Type: 'Wait', Next: 'ListEntry' },
      'Listing outcome?': {
        Type: 'Choice',
        Choices: [
          { Variable: '$.listing.outcome', StringEquals: 'listed', Next: 'AwaitExpiry' },
          { Variable: '$.listing.outcome', StringEquals: 'awaiting-representation', Next: 'AwaitRepresentationOutcome' },
        ],
        Default: 'NotListed',
      },
      AwaitRepresentationOutcome: { Type: 'Task', Next: 'ListEntry', Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'ListEntry' }] },
      NotListed: { Type: 'Succeed' },
      AwaitExpiry: { Type: 'Task', Next: 'DelistAtExpiry', Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'DelistAtExpiry' }] },
      DelistAtExpiry: { Type: 'Task', Next: 'Expired?', Catch: [{ ErrorEquals: ['TransientFailure'], ResultPath: null, Next: 'DelistAtExpiryLater' }] },
      DelistAtExpiryLater: { Type: 'Wait', Next: 'DelistAtExpiry' },
      'Expired?': {
        Type: 'Choice',
        Choices: [
          { Variable: '$.listing.outcome', StringEquals: 'waiting', Next: 'AwaitExpiry' },
          { Variable: '$.listing.outcome', StringEquals: 'continue', Next: 'ContinueAsNew' },
        ],
        Default: 'Removed',
      },
      ContinueAsNew: { Type: 'Task', Next: 'ContinuedAsNew' },
      ContinuedAsNew: { Type: 'Succeed' },
      Removed: { Type: 'Succeed' },
    });
  });

  it('ListingLifecycle waits on the dates in its input and in the listing, and keeps each task result where the next state reads it', () => {
    const { States } = definitionOf(STATE_MACHINE_IDS.listingLifecycle);
    expect(States.AwaitListingDate).toEqual({ Type: 'Wait', TimestampPath: '$.listingDueAt', Next: 'ListEntry' });
    // The listing answers when to look again (its expiry, or the execution's horizon when the expiry lies beyond it)
    // and for how long; a decision that delists or moves the expiry earlier wakes it before.
    expect(States.AwaitExpiry.TimeoutSecondsPath).toBe('$.listing.secondsLeft');
    // The tasks that answer a wait learn the execution's age; the continuation is named after this execution.
    const withAge = { 'entryId.$': '$.entryId', 'executionStartedAt.$': '$$.Execution.StartTime' };
    expect(tasksOf(States)).toEqual({
      SendPreListingNotice: { task: 'sendPreListingNotice', payload: { 'entryId.$': '$.entryId' }, ResultPath: null },
      ListEntry: { task: 'listEntry', payload: withAge, ResultPath: '$.listing' },
      AwaitRepresentationOutcome: { task: 'awaitRepresentation', payload: { 'entryId.$': '$.entryId', 'taskToken.$': '$$.Task.Token' }, ResultPath: null },
      AwaitExpiry: { task: 'awaitExpiry', payload: { 'entryId.$': '$.entryId', 'waitUntil.$': '$.listing.waitUntil', 'taskToken.$': '$$.Task.Token' }, ResultPath: null },
      DelistAtExpiry: { task: 'delistAtExpiry', payload: withAge, ResultPath: '$.listing' },
      ContinueAsNew: { task: 'continueListing', payload: { 'entryId.$': '$.entryId', 'executionName.$': '$$.Execution.Name' }, ResultPath: null },
    });
    expect(States.AwaitRepresentationOutcome.TimeoutSecondsPath).toBe('$.listing.recheckSeconds');
  });

  it('CaseReview opens, waits for a change, a reminder or the deadline (or, while paused, for the supplement), looks again, and closes', () => {
    const definition = definitionOf(STATE_MACHINE_IDS.caseReview);
    expect(definition.StartAt).toBe('OpenReview');
    expect(flowOf(definition)).toEqual({
      OpenReview: { Type: 'Task', Next: 'Next step?' },
      'Next step?': {
        Type: 'Choice',
        Choices: [
          { Variable: '$.review.open', BooleanEquals: false, Next: 'CloseReview' },
          { Variable: '$.review.step', StringEquals: 'await-info', Next: 'AwaitSupplement' },
        ],
        Default: 'AwaitDecision',
      },
      AwaitDecision: { Type: 'Task', Next: 'ReviewTimer', Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'ReviewTimer' }] },
      AwaitSupplement: { Type: 'Task', Next: 'ReviewTimer', Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'ReviewTimer' }] },
      ReviewTimer: { Type: 'Task', Next: 'Next step?' },
      CloseReview: { Type: 'Task', Next: 'Closed' },
      Closed: { Type: 'Succeed' },
    });
  });

  it('PartnerDelivery delivers, retries a refused delivery over minutes to hours, then every 6 hours, and never gives up', () => {
    const definition = definitionOf(STATE_MACHINE_IDS.partnerDelivery);
    expect(definition.StartAt).toBe('Deliver');
    const refused = [{ ErrorEquals: ['DeliveryFailed', 'WaitingForEarlier'], ResultPath: null, Next: 'RetryLater' }];
    expect(flowOf(definition)).toEqual({
      Deliver: { Type: 'Task', Next: 'Delivered?', Catch: refused },
      RetryLater: { Type: 'Wait', Next: 'Redeliver' },
      Redeliver: { Type: 'Task', Next: 'Delivered?', Catch: refused },
      'Delivered?': { Type: 'Choice', Choices: [{ Variable: '$.delivery.continuedAs', IsPresent: true, Next: 'DeliveryContinuedAsNew' }], Default: 'Delivered' },
      DeliveryContinuedAsNew: { Type: 'Succeed' },
      Delivered: { Type: 'Succeed' },
    });
    expect(definition.States.RetryLater).toEqual({ Type: 'Wait', Seconds: 6 * 3600, Next: 'Redeliver' });
    // The fast retries run once; past them, one attempt every 6 hours keeps the history short for a year.
    expect(list<Json>(definition.States.Redeliver.Retry).map((r) => r.ErrorEquals)).toEqual([['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException', 'TransientFailure']]);
    const payload = { 'subscriptionId.$': '$.subscriptionId', 'entryId.$': '$.entryId', 'eventId.$': '$.eventId', 'executionName.$': '$$.Execution.Name', 'executionStartedAt.$': '$$.Execution.StartTime' };
    expect(tasksOf(definition.States)).toEqual({
      Deliver: { task: 'deliverPartnerEvent', payload, ResultPath: '$.delivery' },
      Redeliver: { task: 'deliverPartnerEvent', payload, ResultPath: '$.delivery' },
    });
  });

  it('ListingBatch reads the batch object with a Distributed Map, proposes chunks of lines, and marks the batch completed, or failed and the execution failed', () => {
    const definition = definitionOf(STATE_MACHINE_IDS.listingBatch);
    expect(definition.StartAt).toBe('ProposeLines');
    expect(flowOf(definition)).toEqual({
      ProposeLines: { Type: 'Map', Next: 'FinishBatch', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordBatchFailed' }] },
      FinishBatch: { Type: 'Task', Next: 'BatchCompleted' },
      BatchCompleted: { Type: 'Succeed' },
      RecordBatchFailed: { Type: 'Task', Next: 'BatchFailed' },
      BatchFailed: { Type: 'Fail' },
    });
    const map = definition.States.ProposeLines;
    // The object the API put under batches/: JSON Lines of { line, text }, at most the batch limit.
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSONL', MaxItems: BATCH_MAX_LINES },
      Parameters: { Bucket: `<${logicalIdOf('Evidence')}>`, 'Key.$': '$.objectKey' },
    });
    expect(map.ItemBatcher).toEqual({ MaxItemsPerBatch: BATCH_LINES_PER_CHUNK, BatchInput: { 'batchId.$': '$.batchId' } });
    expect([map.MaxConcurrency, map.ToleratedFailurePercentage ?? 0, map.ResultPath]).toEqual([BATCH_CHUNK_CONCURRENCY, 0, null]);
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    expect(tasksOf(map.ItemProcessor.States)).toEqual({ ProposeChunk: { task: 'proposeBatchLines', payload: { 'batchId.$': '$.BatchInput.batchId', 'items.$': '$.Items' }, ResultPath: null } });
    expect(tasksOf(definition.States)).toEqual({
      FinishBatch: { task: 'finishBatch', payload: { 'batchId.$': '$.batchId' }, ResultPath: null },
      RecordBatchFailed: { task: 'finishBatch', payload: { 'batchId.$': '$.batchId', 'failure.$': '$.failure' }, ResultPath: null },
    });
  });

  it('ListingBatch may read the batch objects (decrypting them with the data key) and run its map\'s child executions; the API may put batches and start the machine', () => {
    const roleOf = (machine: string) => render(resource(logicalIdOf(machine)).Properties?.RoleArn).replace(/^<([^.>]+).*$/, '$1');
    const machineRole = roleOf(STATE_MACHINE_IDS.listingBatch);
    const policiesOf = (roleId: string) => iamStatements().filter(({ roles: r }) => r.includes(roleId)).map(({ statement }) => statement);
    const statements = policiesOf(machineRole);
    const allows = (action: string, resourcePattern: RegExp) => statements.some((st) => list<string>(st.Action).includes(action) && list<Json>(st.Resource).some((r) => resourcePattern.test(render(r))));
    expect(allows('s3:GetObject', new RegExp(`^arn:aws:s3:::<${logicalIdOf('Evidence')}>/`))).toBe(true);
    // ... and nothing but batches: every object outside batches/ is denied to it.
    const denied = statements.filter((st) => st.Effect === 'Deny' && list<string>(st.Action).includes('s3:GetObject'));
    expect(denied.map((st) => list<Json>(st.NotResource).map(render))).toEqual([[`<${logicalIdOf('Evidence')}.Arn>/batches/*`]]);
    expect(allows('kms:Decrypt', new RegExp(`^<${logicalIdOf('DataKey')}\\.Arn>$`))).toBe(true);
    expect(allows('states:StartExecution', new RegExp(`^<${logicalIdOf(STATE_MACHINE_IDS.listingBatch)}>$`))).toBe(true);
    expect(allows('lambda:InvokeFunction', new RegExp(`^<${functionId('batch')}\\.Arn>$`))).toBe(true);
    const apiRole = render(appFunctions().find((f) => f.path.includes('ApiFunction'))!.props.Role).replace(/^<([^.>]+).*$/, '$1');
    const api = policiesOf(apiRole);
    expect(api.some((st) => list<string>(st.Action).includes('s3:PutObject') && list<Json>(st.Resource).some((r) => render(r).endsWith('/batches/*')))).toBe(true);
    expect(api.some((st) => list<string>(st.Action).includes('states:StartExecution') && list<Json>(st.Resource).some((r) => render(r) === `<${logicalIdOf(STATE_MACHINE_IDS.listingBatch)}>`))).toBe(true);
  });

  it('CaseReview passes the case to every task and keeps the review where the choice and the deadline read it', () => {
    const { States } = definitionOf(STATE_MACHINE_IDS.caseReview);
    const caseRef = { 'caseId.$': '$.caseId', 'entryId.$': '$.entryId' };
    expect(tasksOf(States)).toEqual({
      OpenReview: { task: 'openReview', payload: caseRef, ResultPath: '$.review' },
      AwaitDecision: { task: 'awaitDecision', payload: { ...caseRef, 'clockKey.$': '$.review.clockKey', 'taskToken.$': '$$.Task.Token' }, ResultPath: null },
      AwaitSupplement: { task: 'awaitSupplement', payload: { ...caseRef, 'clockKey.$': '$.review.clockKey', 'taskToken.$': '$$.Task.Token' }, ResultPath: null },
      ReviewTimer: { task: 'reviewTimer', payload: caseRef, ResultPath: '$.review' },
      CloseReview: { task: 'closeReview', payload: caseRef, ResultPath: '$.closed' },
    });
    expect(States.AwaitDecision.TimeoutSecondsPath).toBe('$.review.secondsLeft');
    expect(States.AwaitSupplement.TimeoutSecondsPath).toBe('$.review.secondsLeft');
  });

  it.each(machineIds)('%s waits for a callback with a task token, bounded by a deadline read from the input, and catches the timeout', (id) => {
    const { States } = definitionOf(id);
    const callbacks = Object.entries(States).filter(([, s]) => s.Type === 'Task' && s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(callbacks.map(([name]) => name)).toEqual(CALLBACK_STATES[id]);
    for (const [name, state] of callbacks) {
      expect(state.Parameters?.FunctionName, name).toBe(`<${machineFunctionId(id)}.Arn>`);
      expect(state.TimeoutSecondsPath, name).toMatch(/^\$\./);
      expect(state.TimeoutSeconds, name).toBeUndefined();
      expect(state.Parameters?.Payload?.['taskToken.$'], name).toBe('$$.Task.Token');
      const onTimeout = list<Json>(state.Catch).find((c) => list<string>(c.ErrorEquals).includes('States.Timeout'));
      expect(onTimeout, `${name} catches States.Timeout`).toBeDefined();
      expect(Object.keys(States)).toContain(onTimeout.Next);
    }
  });

  it.each(machineIds)('%s retries every call of its tasks\' function, synchronous or callback, on TransientFailure, with back-off', (id) => {
    // A map's item processor calls the function too.
    const invocations = taskStates(definitionOf(id));
    const callbacks = invocations.filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken')).map(([name]) => name);
    // The callbacks are among the calls checked: storing the token can fail like any task.
    expect(callbacks).toEqual(CALLBACK_STATES[id]);
    expect(invocations.length).toBeGreaterThan(callbacks.length);
    for (const [name, state] of invocations) {
      if (callbacks.includes(name)) expect(state.Parameters?.FunctionName, name).toBe(`<${machineFunctionId(id)}.Arn>`);
      else expect(state.Resource, name).toBe(`<${machineFunctionId(id)}.Arn>`);
      expect(list<Json>(state.Retry)[0], `${name} retries TransientFailure`).toEqual(
        { ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException', 'TransientFailure'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, JitterStrategy: 'FULL' },
      );
      // Besides, only a partner delivery retries: its own named outcomes, over minutes to hours.
      expect(list<Json>(state.Retry).slice(1), name).toEqual(name === 'Deliver' ? [{ ErrorEquals: ['DeliveryFailed', 'WaitingForEarlier'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 8, JitterStrategy: 'FULL' }] : []);
      // Refusals and unknown tasks are not transient, and a callback's deadline is never retried: nothing retries every error or a timeout.
      for (const r of list<Json>(state.Retry)) expect(list<string>(r.ErrorEquals), name).not.toEqual(expect.arrayContaining([expect.stringMatching(/^States\.(ALL|TaskFailed|Timeout)$/)]));
    }
  });

  it.each(Object.entries(STATE_MACHINE_IDS) as Array<[MachineKey, string]>)('%s calls only tasks that the function it calls handles', (key, id) => {
    const handled = { tasks: WORKFLOW_TASKS, batch: BATCH_TASKS }[MACHINE_FUNCTIONS[key]];
    const called = taskStates(definitionOf(id)).map(([, s]) => String((s.Parameters?.Payload ?? s.Parameters).task));
    expect(called.length).toBeGreaterThan(0);
    for (const task of called) expect(Object.keys(handled), `${id} calls ${task}`).toContain(task);
  });

  it('every task handler is deployed in exactly one function: the batch\'s in the batch function, all others in the tasks function', () => {
    expect(Object.keys(WORKFLOW_TASKS).filter((task) => task in BATCH_TASKS)).toEqual([]);
    expect([...Object.keys(WORKFLOW_TASKS), ...Object.keys(BATCH_TASKS)].sort()).toEqual(Object.keys(TASK_HANDLERS).sort());
    expect(Object.entries(MACHINE_FUNCTIONS).filter(([, fn]) => fn === 'batch').map(([key]) => key)).toEqual(['listingBatch']);
  });

  it('the batch function may start listing executions only; it sends no notice, wakes no callback and touches no object', () => {
    const role = render(resource(functionId('batch')).Properties?.Role).replace(/^<([^.>]+).*$/, '$1');
    const mine = iamStatements().filter(({ roles: r }) => r.includes(role)).map(({ statement }) => statement);
    const starts = mine.filter((st) => allowsAction(st, 'states:StartExecution'));
    expect(starts.flatMap((st) => list<Json>(st.Resource).map(render))).toEqual([`<${logicalIdOf(STATE_MACHINE_IDS.listingLifecycle)}>`]);
    for (const action of ['ses:SendEmail', 'sns:Publish', 'states:SendTaskSuccess', 's3:GetObject', 's3:PutObject']) expect(mine.filter((st) => allowsAction(st, action)), action).toEqual([]);
    // Its one grant on a machine is on one it is not invoked by: no cycle.
    const fn = template.toJSON().Resources[functionId('batch')] as Resource;
    expect(JSON.stringify(fn)).not.toContain(logicalIdOf(STATE_MACHINE_IDS.listingBatch));
  });

  it('the tasks function may complete and fail callback tasks, and start listing and delivery executions, by a policy of its own (TasksWakeWorkflows)', () => {
    const policy = resource(logicalIdOf('TasksWakeWorkflows'));
    expect(policy.Type).toBe('AWS::IAM::Policy');
    expect(policy.Properties?.Roles).toEqual([{ Ref: tasksRoleId() }]);
    const statements = list<Statement>(policy.Properties?.PolicyDocument?.Statement).map((s) => ({
      Effect: s.Effect,
      Action: list<string>(s.Action).sort(),
      Resource: list<Json>(s.Resource).map(render).sort(),
      rest: Object.keys(s).filter((k) => !['Effect', 'Action', 'Resource'].includes(k)),
    }));
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['states:SendTaskFailure', 'states:SendTaskSuccess'], Resource: machineIds.map((id) => `<${logicalIdOf(id)}>`).sort(), rest: [] },
        // A listing continues as a new execution, and a task's partner events start their deliveries; nothing else.
        { Effect: 'Allow', Action: ['states:StartExecution'], Resource: [`<${logicalIdOf(STATE_MACHINE_IDS.listingLifecycle)}>`, `<${logicalIdOf(STATE_MACHINE_IDS.partnerDelivery)}>`].sort(), rest: [] },
      ]),
    );
  });

  it('the tasks function may start executions of the listing and delivery machines only', () => {
    const starts = iamStatements().filter(({ roles: r, statement }) => r.includes(tasksRoleId()) && allowsAction(statement, 'states:StartExecution'));
    expect(starts.map(({ policy, statement }) => ({ policy, resources: list<Json>(statement.Resource).map(render) }))).toEqual([
      { policy: logicalIdOf('TasksWakeWorkflows'), resources: [`<${logicalIdOf(STATE_MACHINE_IDS.listingLifecycle)}>`, `<${logicalIdOf(STATE_MACHINE_IDS.partnerDelivery)}>`] },
    ]);
  });

  it('the tasks function does not depend on the machines that invoke it (no cycle)', () => {
    const wake = logicalIdOf('TasksWakeWorkflows');
    const fn = template.toJSON().Resources[tasksFunctionId()] as Resource & { DependsOn?: string[] };
    expect(list(fn.DependsOn)).not.toContain(wake);
    const machineRefs = machineIds.map((id) => `<${logicalIdOf(id)}`);
    const namesAMachine = (r: Json) => machineRefs.some((m) => render(r).includes(m));
    const elsewhere = iamStatements().filter(({ policy, roles: r, statement }) => policy !== wake && r.includes(tasksRoleId()) && list<Json>(statement.Resource).some(namesAMachine));
    expect(elsewhere).toEqual([]);
    // Its environment names the machines by formatted ARN, not by a reference to them.
    const machineLogicalIds = machineIds.map((id) => logicalIdOf(id));
    const fnText = JSON.stringify(fn);
    for (const id of machineLogicalIds) expect(fnText, id).not.toContain(id);
  });

  it('the local runner executes the definitions of this same synthesis', () => {
    const local = synthesizeDefinitions();
    for (const [key, id] of Object.entries(STATE_MACHINE_IDS) as Array<[MachineKey, string]>) {
      const deployed = definitionOf(id);
      const shape = (d: { StartAt: string; States: Record<string, Json> }) => ({ StartAt: d.StartAt, States: Object.fromEntries(Object.entries(d.States).map(([n, s]) => [n, s.Type])) });
      expect(Object.keys(deployed.States).length).toBeGreaterThan(0);
      expect(shape(local[key] as { StartAt: string; States: Record<string, Json> }), key).toEqual(shape(deployed));
    }
  });
});

describe('Lambda functions', () => {
  it('are one per entry point, on Node 22 or newer, arm64, index.handler, configured with the audit table', () => {
    const fns = appFunctions();
    expect(fns.length).toBe(Object.keys(LAMBDA_ENTRIES).length);
    for (const { path, props } of fns) {
      const version = /^nodejs(\d+)\.x$/.exec(String(props.Runtime))?.[1];
      expect(Number(version), `${path} runtime ${String(props.Runtime)}`).toBeGreaterThanOrEqual(22);
      expect(props.Architectures, path).toEqual(['arm64']);
      expect(props.Handler, path).toBe('index.handler');
      expect(render(props.Environment?.Variables?.TABLE_AUDIT ?? ''), path).toBe(`<${logicalIdOf(TABLES.audit.logicalName)}>`);
    }
  });

  it('each knows every state machine by the ARN its name gives (STATE_MACHINE_ARNS)', () => {
    const fns = appFunctions();
    expect(fns.length).toBe(Object.keys(LAMBDA_ENTRIES).length);
    const arnOf = (id: string) => `arn:aws:states:ap-east-1:123456789012:stateMachine:${String(resource(logicalIdOf(id)).Properties?.StateMachineName)}`;
    const expected = Object.fromEntries((Object.entries(STATE_MACHINE_IDS) as Array<[MachineKey, string]>).map(([key, id]) => [key, arnOf(id)]));
    expect(expected).toEqual({
      listingLifecycle: `arn:aws:states:ap-east-1:123456789012:stateMachine:${stack.stackName}-ListingLifecycle`,
      caseReview: `arn:aws:states:ap-east-1:123456789012:stateMachine:${stack.stackName}-CaseReview`,
      partnerDelivery: `arn:aws:states:ap-east-1:123456789012:stateMachine:${stack.stackName}-PartnerDelivery`,
      listingBatch: `arn:aws:states:ap-east-1:123456789012:stateMachine:${stack.stackName}-ListingBatch`,
    });
    for (const { path, props } of fns) {
      const raw = props.Environment?.Variables?.STATE_MACHINE_ARNS;
      expect(raw, path).toBeDefined();
      // Rendered, a reference would show as <LogicalId>; the exact ARNs prove there is none.
      expect(JSON.parse(render(raw)), path).toEqual(expected);
    }
  });
});

describe('HTTP API and identity', () => {
  const userPoolId = () => {
    const pools = ofType('AWS::Cognito::UserPool');
    expect(pools).toHaveLength(1);
    return pools[0]![0];
  };

  it('lets people write their name and contact details, never the attributes that scope their tokens', () => {
    const clients = ofType('AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const writable = clients[0]![1].Properties?.WriteAttributes as string[];
    expect(writable).toEqual(expect.arrayContaining(['email', 'name', 'phone_number']));
    expect(writable.filter((a) => a.startsWith('custom:'))).toEqual([]);
  });

  it('is an HTTP API with throttling on its stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages.length).toBeGreaterThan(0);
    for (const [, stage] of stages) {
      expect(stage.Properties?.DefaultRouteSettings?.ThrottlingBurstLimit).toBeGreaterThan(0);
      expect(stage.Properties?.DefaultRouteSettings?.ThrottlingRateLimit).toBeGreaterThan(0);
    }
  });

  it('has a Cognito group for every role', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup');
    expect(groups.map(([, g]) => g.Properties?.GroupName).sort()).toEqual([...roles].sort());
    for (const [, g] of groups) expect(g.Properties?.UserPoolId).toEqual({ Ref: userPoolId() });
  });

  it('authorizes /v1/{proxy+} with a JWT authorizer trusting the user pool', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer').filter(([, a]) => a.Properties?.AuthorizerType === 'JWT');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(render(authorizer.Properties?.JwtConfiguration?.Issuer)).toBe(`https://cognito-idp.ap-east-1.amazonaws.com/<${userPoolId()}>`);
    const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => String(r.Properties?.RouteKey).endsWith(' /v1/{proxy+}'));
    expect(routes.length).toBeGreaterThan(0);
    for (const [, route] of routes) {
      expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: Match.stringLikeRegexp('^ANY /v1/\\{proxy\\+\\}$'), AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });
});

describe('notices', () => {
  it.each(['ses:SendEmail', 'sns:Publish'])('a Lambda role may %s', (action) => {
    const lambdaRoles = appFunctions().map((fn) => render(fn.props.Role).replace(/^<([^.>]+).*$/, '$1'));
    const grants = iamStatements().filter(({ roles: r, statement }) => r.some((id) => lambdaRoles.includes(id)) && list<string>(statement.Action).includes(action) && statement.Effect === 'Allow');
    expect(grants.length).toBeGreaterThan(0);
  });
});

describe('partner deliveries', () => {
  it('park a failed, timed-out or stopped delivery execution in an encrypted dead-letter queue, through an EventBridge rule', () => {
    const [queue, ...moreQueues] = ofType('AWS::SQS::Queue');
    expect(moreQueues).toEqual([]);
    expect(render(queue![1].Properties?.KmsMasterKeyId)).toContain('DataKey');
    expect(queue![1].Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties?.EventPattern);
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties!;
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: logicalIdOf(STATE_MACHINE_IDS.partnerDelivery) }] },
    });
    expect(list<Json>(rule.Targets).map((t) => render(t.Arn))).toEqual([`<${queue![0]}.Arn>`]);
  });

  it('sweep the outbox every 5 minutes: the tasks function hands off what a failed hand-off left behind', () => {
    const schedules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties?.ScheduleExpression);
    expect(schedules.map(([, r]) => r.Properties!.ScheduleExpression)).toEqual(['rate(5 minutes)']);
    const [target] = list<Json>(schedules[0]![1].Properties!.Targets);
    expect(render(target.Arn)).toBe(`<${tasksFunctionId()}.Arn>`);
    expect(JSON.parse(target.Input)).toEqual({ task: 'handOffPending' });
    expect(Object.keys(WORKFLOW_TASKS)).toContain('handOffPending');
  });

  it('let anyone check a repair certificate without a token, as the public search', () => {
    for (const path of ['/v1/certificates/{code}', '/v1/public/{proxy+}']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `GET ${path}`, AuthorizationType: 'NONE' });
    }
  });
});

describe('sign-in through the hosted UI', () => {
  const apiEnvironment = () => {
    const api = appFunctions().find((f) => f.path === `${stack.node.path}/ApiFunction`);
    if (!api) throw new Error('No ApiFunction in the stack');
    return api.props.Environment?.Variables as Record<string, Json>;
  };
  const routesOf = (path: string) => ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => String(r.Properties?.RouteKey).split(' ')[1] === path);

  it('has a hosted UI domain on the user pool, and the API function is told its URL and the site URL', () => {
    const domains = ofType('AWS::Cognito::UserPoolDomain');
    expect(domains).toHaveLength(1);
    const [domainId, domain] = domains[0]!;
    const [poolId] = ofType('AWS::Cognito::UserPool')[0]!;
    expect(domain.Properties?.UserPoolId).toEqual({ Ref: poolId });
    expect(render(domain.Properties?.Domain)).toMatch(/^[a-z0-9-]+$/);
    const env = apiEnvironment();
    expect(render(env.COGNITO_DOMAIN_URL)).toBe(`https://<${domainId}>.auth.ap-east-1.amazoncognito.com`);
    expect(() => new URL(render(env.SITE_URL))).not.toThrow();
  });

  it('lets the web client use the authorization code grant only, with openid, email and profile, back to the site', () => {
    const siteUrl = render(apiEnvironment().SITE_URL).replace(/\/$/, '');
    const clients = ofType('AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const props = clients[0]![1].Properties!;
    expect(props).toMatchObject({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], SupportedIdentityProviders: ['COGNITO'] });
    expect([...props.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    expect(props.CallbackURLs).toEqual([`${siteUrl}/auth/callback`]);
    expect(props.LogoutURLs).toEqual([`${siteUrl}/`]);
    // A public client: the browser-facing flow holds no secret, PKCE stands in for it.
    expect(props.GenerateSecret ?? false).toBe(false);
  });

  it('routes every page path to the function without an authorizer: pages sign in by their cookie', () => {
    const pagePaths = PAGE_PATHS.filter((p) => !p.startsWith('/_local')).map((p) => p.replace(/\/\*$/, '/{proxy+}'));
    const expected = [...pagePaths.flatMap((p) => [`GET ${p}`, `POST ${p}`]), 'GET /assets/{proxy+}', 'GET /verify/{code}'];
    const pageRoutes = new Map(ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => !String(r.Properties?.RouteKey).includes(' /v1')).map(([, r]) => [String(r.Properties?.RouteKey), r.Properties!]));
    for (const key of expected) {
      expect(pageRoutes.get(key), key).toBeDefined();
      expect(pageRoutes.get(key)!.AuthorizationType, key).toBe('NONE');
      expect(pageRoutes.get(key)!.AuthorizerId, key).toBeUndefined();
    }
    // One API-wide invoke permission serves them all, so the function's resource policy does not grow with every route.
    const sourceArns = ofType('AWS::Lambda::Permission').map(([, p]) => render(p.Properties?.SourceArn));
    expect(sourceArns.filter((arn) => expected.some((key) => arn.endsWith(`/*/*${key.split(' ')[1]}`)))).toEqual([]);
    expect(sourceArns.filter((arn) => /^arn:aws:execute-api:ap-east-1:123456789012:<HttpApi[^>]*>\/\*\/\*\/\*$/.test(arn))).toHaveLength(1);
  });

  it('keeps the JWT authorizer on /v1/{proxy+}', () => {
    const routes = routesOf('/v1/{proxy+}');
    expect(routes.length).toBeGreaterThan(0);
    for (const [, r] of routes) expect(r.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
  });
});

describe('resource limits (OWASP API4)', () => {
  it('throttles every route of the API stage at the rate and burst of shared/platform/rate-limits.ts', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages.length).toBeGreaterThan(0);
    for (const [, stage] of stages) {
      expect(stage.Properties?.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: API_STAGE_THROTTLE.ratePerSecond, ThrottlingBurstLimit: API_STAGE_THROTTLE.burst });
    }
  });

  it('puts the user pool behind a regional WAF web ACL that blocks an address over its rate', () => {
    const acls = ofType('AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    const [aclId, acl] = acls[0]!;
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const rateRules = list<Json>(acl.Properties?.Rules).filter((r) => r.Statement?.RateBasedStatement);
    expect(rateRules).toHaveLength(1);
    expect(rateRules[0].Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429 } } });
    expect(rateRules[0].Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: SIGN_IN_SERVICE_LIMIT.requests, EvaluationWindowSec: SIGN_IN_SERVICE_LIMIT.windowSeconds });

    const associations = ofType('AWS::WAFv2::WebACLAssociation');
    expect(associations).toHaveLength(1);
    const pools = ofType('AWS::Cognito::UserPool');
    expect(pools).toHaveLength(1);
    expect(render(associations[0]![1].Properties?.ResourceArn)).toBe(`<${pools[0]![0]}.Arn>`);
    expect(render(associations[0]![1].Properties?.WebACLArn)).toBe(`<${aclId}.Arn>`);
  });

  it('lets DynamoDB remove expired rate-limit counters from the entries table by their TTL attribute', () => {
    const table = resource(logicalIdOf(TABLES.entries.logicalName));
    expect(table.Properties?.TimeToLiveSpecification).toEqual({ AttributeName: TABLES.entries.timeToLiveAttribute, Enabled: true });
  });
});

describe('operations: alarms, retries with jitter, point-in-time recovery', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Json);
  const alarmsOf = (namespace: string, metricName: string) => alarms().filter((a) => a.Namespace === namespace && a.MetricName === metricName);
  const topicId = () => {
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    return topics[0]![0];
  };
  const dimension = (alarm: Json, name: string) => render(list<Json>(alarm.Dimensions).find((d) => d.Name === name)?.Value);

  /** Fires on the first occurrence in 5 minutes and notifies the one OperationsAlerts topic; no data is not a breach. */
  function expectAlerting(alarm: Json, statistic = 'Sum') {
    expect(alarm).toMatchObject({ Statistic: statistic, Period: 300, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    expect(list<Json>(alarm.AlarmActions).map(render)).toEqual([`<${topicId()}>`]);
  }

  it('has one OperationsAlerts topic, TLS only, and outputs its ARN', () => {
    expect(topicId()).toBe(logicalIdOf('OperationsAlerts'));
    expect(render(template.toJSON().Outputs.OperationsAlertsTopic.Value)).toBe(`<${topicId()}>`);
    const policies = ofType('AWS::SNS::TopicPolicy');
    expect(JSON.stringify(policies)).toContain('aws:SecureTransport');
  });

  it.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionThrottled'])('alarms on %s of every state machine', (metricName) => {
    const found = alarmsOf('AWS/States', metricName);
    const machines = Object.values(STATE_MACHINE_IDS).map((id) => `<${logicalIdOf(id)}>`).sort();
    expect(found.map((a) => dimension(a, 'StateMachineArn')).sort()).toEqual(machines);
    for (const a of found) expectAlerting(a);
  });

  it('alarms when the partner dead-letter queue holds a message', () => {
    const found = alarmsOf('AWS/SQS', 'ApproximateNumberOfMessagesVisible');
    expect(found.map((a) => dimension(a, 'QueueName'))).toEqual([`<${logicalIdOf('UndeliveredPartnerEvents')}.QueueName>`]);
    for (const a of found) expectAlerting(a, 'Maximum');
  });

  it('alarms on throttles of every Lambda function', () => {
    const found = alarmsOf('AWS/Lambda', 'Throttles');
    const functions = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties?.Handler === 'index.handler').map(([id]) => `<${id}>`).sort();
    expect(functions).toHaveLength(Object.keys(LAMBDA_ENTRIES).length);
    expect(found.map((a) => dimension(a, 'FunctionName')).sort()).toEqual(functions);
    for (const a of found) expectAlerting(a);
  });

  it.each(['ReadThrottleEvents', 'WriteThrottleEvents'])('alarms on %s of every table', (metricName) => {
    const found = alarmsOf('AWS/DynamoDB', metricName);
    const tables = tableDefs.map(([, def]) => `<${logicalIdOf(def.logicalName)}>`).sort();
    expect(found.map((a) => dimension(a, 'TableName')).sort()).toEqual(tables);
    for (const a of found) expectAlerting(a);
  });

  it('alarms on DueProcess/DeadlineBreaches, the metric the review timer emits, summed without dimensions', () => {
    const found = alarmsOf(DEADLINE_BREACHES.namespace, DEADLINE_BREACHES.name);
    expect(found).toHaveLength(1);
    expect(found[0].Dimensions).toBeUndefined();
    expectAlerting(found[0]);
  });

  it('has no alarm beyond those checked above, and every alarm notifies the topic', () => {
    const machines = Object.keys(STATE_MACHINE_IDS).length;
    const expected = 4 * machines + 1 + Object.keys(LAMBDA_ENTRIES).length + 2 * tableDefs.length + 1;
    expect(alarms()).toHaveLength(expected);
    for (const a of alarms()) expect(list<Json>(a.AlarmActions).map(render)).toEqual([`<${topicId()}>`]);
  });

  it('retries every Retry of every synthesized definition with full jitter', () => {
    const definitions = synthesizeDefinitions();
    let retriers = 0;
    for (const [machine, definition] of Object.entries(definitions)) {
      for (const [name, state] of Object.entries(definition.States)) {
        for (const r of state.Retry ?? []) {
          retriers++;
          expect(r.JitterStrategy, `${machine}/${name}`).toBe('FULL');
        }
      }
    }
    expect(retriers).toBeGreaterThan(0);
  });

  it('keeps every table recoverable to a point in time, on every replica', () => {
    const tables = ofType('AWS::DynamoDB::GlobalTable').concat(ofType('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(tableDefs.length);
    for (const [id, table] of tables) {
      const replicas = list<Json>(table.Properties?.Replicas);
      expect(replicas.length, id).toBeGreaterThan(0);
      for (const replica of replicas) expect(replica.PointInTimeRecoverySpecification, id).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });
});
