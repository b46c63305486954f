import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { roles } from '../shared/auth/principal.js';
import { DEADLINE_BREACHES } from '../shared/platform/metrics.js';
import { API_STAGE_THROTTLE, SIGN_IN_SERVICE_LIMIT } from '../shared/platform/rate-limits.js';
import { BATCH_OBJECT_DAYS, BATCH_PREFIX } from '../shared/stores/batch-files.js';
import { TABLES, type TableDefinition, type TableKey } from '../shared/stores/tables.js';
import { signInUrls } from '../functions/web/sign-in.js';
import type { MachineKey } from '../shared/workflows/engine.js';
import { caseReview } from '../workflows/definitions/case-review.js';
import { listingBatch } from '../workflows/definitions/listing-batch.js';
import { listingLifecycle } from '../workflows/definitions/listing-lifecycle.js';
import { partnerDelivery } from '../workflows/definitions/partner-delivery.js';
import { LAMBDA_BUNDLING, LAMBDA_ENTRIES, type LambdaName } from './bundling.js';

/** The construct ids of the state machines; the local runner finds the synthesized definitions by them. */
/** API routes anyone may GET without a token; everything else under /v1 needs one. */
export const PUBLIC_GET_ROUTES = ['/v1/agencies', '/v1/list-types', '/v1/public/{proxy+}', '/v1/certificates/{code}'];

const FORM_METHODS = [apigw.HttpMethod.GET, apigw.HttpMethod.POST];
/**
 * The browser interface (PAGE_PATHS of functions/web, `/*` as `{proxy+}`), its assets and the
 * certificate page. No JWT authorizer: pages sign in by a session cookie that the app verifies.
 */
export const PAGE_ROUTES: ReadonlyArray<{ path: string; methods: apigw.HttpMethod[] }> = [
  ...['/', '/login', '/logout', '/me', '/entries/{proxy+}', '/cases/{proxy+}', '/queue', '/dashboard', '/evidence/{proxy+}', '/web/{proxy+}', '/auth/{proxy+}'].map((path) => ({ path, methods: FORM_METHODS })),
  { path: '/assets/{proxy+}', methods: [apigw.HttpMethod.GET] },
  { path: '/verify/{code}', methods: [apigw.HttpMethod.GET] },
];

export const STATE_MACHINE_IDS: Record<MachineKey, string> = { listingLifecycle: 'ListingLifecycle', caseReview: 'CaseReview', partnerDelivery: 'PartnerDelivery', listingBatch: 'ListingBatch' };

/** The functions the state machines call; the API only starts and wakes them. */
type WorkflowFunction = Exclude<LambdaName, 'api'>;

/**
 * Which function runs each machine's tasks: a listing batch's in a function of
 * its own, which loads the API's request schemas to check each line; every
 * other machine's in the tasks function (functions/tasks/workflow-tasks.ts).
 */
export const MACHINE_FUNCTIONS: Record<MachineKey, WorkflowFunction> = { listingLifecycle: 'tasks', caseReview: 'tasks', partnerDelivery: 'tasks', listingBatch: 'batch' };

/**
 * Writes that would change or remove an audit record: denied to every principal.
 * A PutItem onto an existing key cannot be told apart by IAM; the store always
 * writes with attribute_not_exists, and the hash chain exposes any overwrite.
 */
export const AUDIT_MUTATIONS = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete', 'dynamodb:DeleteTable'];

export interface DueProcessStackProps extends StackProps {
  /** The address SES sends notices from (a verified identity). */
  senderEmail: string;
  /** Where the web interface is reached (the custom domain in front of the HTTP API); notices link to it. */
  siteUrl: string;
  /**
   * The hosted UI's domain prefix (<prefix>.auth.<region>.amazoncognito.com): unique in the region, lowercase
   * letters, digits and hyphens, without "aws", "amazon" or "cognito". By default the stack name and account.
   */
  signInDomainPrefix?: string;
}

/** The whole system on AWS: API, tasks, state machines, tables, identity, notices. */
export class DueProcessStack extends Stack {
  constructor(scope: Construct, id: string, props: DueProcessStackProps) {
    super(scope, id, props);
    const key = new kms.Key(this, 'DataKey', { enableKeyRotation: true, description: 'Entries, cases and the audit trail', removalPolicy: RemovalPolicy.RETAIN });
    const tables = Object.fromEntries(Object.entries(TABLES).map(([k, def]) => [k, this.table(def, key)])) as Record<TableKey, dynamodb.TableV2>;
    const evidence = this.evidenceBucket(key, props.siteUrl);

    const users = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true, phone: true },
      customAttributes: {
        subjectId: new cognito.StringAttribute({ mutable: false, maxLen: 18 }),
        agencyId: new cognito.StringAttribute({ mutable: true, maxLen: 64 }),
        provinceCode: new cognito.StringAttribute({ mutable: true, maxLen: 6 }),
      },
      passwordPolicy: { minLength: 12 },
      mfa: cognito.Mfa.OPTIONAL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of roles) new cognito.CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: users.userPoolId, groupName: role });
    const signInDomain = users.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `${this.stackName.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${this.account}` },
    });
    // A public client (no secret): the pages sign in through the hosted UI with the authorization code and PKCE, never the implicit flow.
    const client = users.addClient('WebClient', {
      authFlows: { userSrp: true },
      // People may change their name and contact details, never their scope: subject, agency and province are set by administrators.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true, email: true, phoneNumber: true }),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [signInUrls(props.siteUrl).callback],
        logoutUrls: [signInUrls(props.siteUrl).signedOut],
      },
    });
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${users.userPoolId}`;

    // Named, so their ARNs can be written without a reference: the tasks function starts and wakes
    // executions of the machines that invoke it, and a reference would make a dependency cycle.
    const machineArns = Object.fromEntries((Object.keys(STATE_MACHINE_IDS) as MachineKey[]).map((m) => [m, this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: this.machineName(m), arnFormat: ArnFormat.COLON_RESOURCE_NAME })])) as Record<MachineKey, string>;
    const environment = {
      STATE_MACHINE_ARNS: JSON.stringify(machineArns),
      TABLE_ENTRIES: tables.entries.tableName,
      TABLE_AUDIT: tables.audit.tableName,
      TABLE_REFERENCE: tables.reference.tableName,
      // One environment for every function; the API alone reads the bucket and sign-in settings, and is granted the bucket.
      EVIDENCE_BUCKET: evidence.bucketName,
      SENDER_EMAIL: props.senderEmail,
      SITE_URL: props.siteUrl,
      TOKEN_ISSUER: issuer,
      TOKEN_AUDIENCE: client.userPoolClientId,
      COGNITO_DOMAIN_URL: signInDomain.baseUrl(),
      NODE_OPTIONS: '--enable-source-maps',
    };
    const tasksFn = this.fn('tasks', environment);
    const batchFn = this.fn('batch', environment);
    const workflowFunctions: Record<WorkflowFunction, lambda.IFunction> = { tasks: tasksFn, batch: batchFn };
    const definitions: Record<MachineKey, (scope: Construct, fn: lambda.IFunction) => sfn.IChainable> = { listingLifecycle, caseReview, partnerDelivery, listingBatch: (scope, fn) => listingBatch(scope, fn, evidence) };
    const machines = Object.fromEntries(
      (Object.keys(STATE_MACHINE_IDS) as MachineKey[]).map((m) => [m, this.stateMachine(m, definitions[m](this, workflowFunctions[MACHINE_FUNCTIONS[m]]))]),
    ) as Record<MachineKey, sfn.StateMachine>;
    const apiFn = this.fn('api', environment);

    // Least privilege: projections are read and written; the audit trail is only appended to and read.
    for (const fn of [apiFn, tasksFn, batchFn]) {
      tables.entries.grantReadWriteData(fn);
      tables.reference.grantReadData(fn);
      tables.audit.grant(fn, 'dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query');
      key.grantEncryptDecrypt(fn);
    }
    tables.reference.grant(apiFn, 'dynamodb:PutItem', 'dynamodb:BatchWriteItem');
    // The API presigns uploads (a presigned URL carries its signer's rights: PutObject) and inspects them (GetObject, HeadObject).
    apiFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [evidence.arnForObjects('evidence/*')] }));
    // A listing batch's lines are put under batches/ for its workflow; the Distributed Map reads them from there only.
    apiFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [evidence.arnForObjects(`${BATCH_PREFIX}*`)] }));
    key.grantDecrypt(machines.listingBatch);
    // The item reader's own grant covers the whole bucket (its key is read from the input): evidence stays out of its reach.
    machines.listingBatch.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:GetObject'], notResources: [evidence.arnForObjects(`${BATCH_PREFIX}*`)] }));
    // Without ListBucket, S3 answers a missing object with 403 rather than 404, and "not uploaded" could not be told from "denied".
    apiFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [evidence.bucketArn] }));
    for (const m of Object.values(machines)) {
      m.grantStartExecution(apiFn);
      m.grantTaskResponse(apiFn);
    }
    // A closed review lets the listing it held go on. A policy of its own: on the function's default
    // policy it would make the function depend on the machines that invoke it, a cycle.
    new iam.Policy(this, 'TasksWakeWorkflows', {
      roles: [tasksFn.role!],
      statements: [
        new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: Object.values(machines).map((m) => m.stateMachineArn) }),
        // A listing that outlives an execution's one-year limit continues as a new execution; the partner
        // events a task commits (listed, delisted at expiry) each start their deliveries.
        new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machines.listingLifecycle.stateMachineArn, machines.partnerDelivery.stateMachineArn] }),
      ],
    });
    // Each line of a batch starts its entry's listing (a proposal carries no partner event). No cycle: the batch
    // function is invoked by the ListingBatch machine only.
    machines.listingLifecycle.grantStartExecution(batchFn);
    const sendEmail = new iam.PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [`arn:${this.partition}:ses:${this.region}:${this.account}:identity/*`],
      conditions: { StringEquals: { 'ses:FromAddress': props.senderEmail } },
    });
    // SMS to a phone number has no resource ARN; Publish is limited to direct SMS by denying topic targets.
    const sendSms = new iam.PolicyStatement({ actions: ['sns:Publish'], notResources: [`arn:${this.partition}:sns:*:*:*`] });
    for (const fn of [apiFn, tasksFn]) {
      fn.addToRolePolicy(sendEmail);
      fn.addToRolePolicy(sendSms);
    }

    // One invoke permission for the API rather than one per route: there are many page routes, and a
    // function's resource policy is limited in size.
    const pages = new HttpLambdaIntegration('Pages', apiFn, { scopePermissionToRoute: false });
    const api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Due process for blacklist entries',
      defaultIntegration: pages,
    });
    const authorizer = new HttpJwtAuthorizer('CognitoJwt', issuer, { jwtAudience: [client.userPoolClientId] });
    const integration = new HttpLambdaIntegration('Api', apiFn);
    api.addRoutes({ path: '/v1/{proxy+}', methods: [apigw.HttpMethod.ANY], integration, authorizer });
    // Public reads need no token: reference data, the masked public search, and checking a repair certificate.
    for (const path of PUBLIC_GET_ROUTES) api.addRoutes({ path, methods: [apigw.HttpMethod.GET], integration });
    for (const { path, methods } of PAGE_ROUTES) api.addRoutes({ path, methods, integration: pages });
    // An HTTP API cannot be put behind AWS WAF: requests to it are limited by this stage throttling (the whole API)
    // and by the app's own counters per subject and per address (functions/api/rate-limit.ts).
    const stage = api.defaultStage!.node.defaultChild as apigw.CfnStage;
    stage.defaultRouteSettings = { throttlingBurstLimit: API_STAGE_THROTTLE.burst, throttlingRateLimit: API_STAGE_THROTTLE.ratePerSecond };
    this.signInFirewall(users);

    // A delivery that ends in failure (a task error retries could not cure) is parked here with its
    // execution, to be redriven; a partner's own refusals never end a delivery, they are retried.
    const undelivered = new sqs.Queue(this, 'UndeliveredPartnerEvents', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, retentionPeriod: Duration.days(14), enforceSSL: true });
    new events.Rule(this, 'PartnerDeliveryFailed', {
      description: 'Partner deliveries that failed, timed out or were stopped go to the dead-letter queue',
      eventPattern: { source: ['aws.states'], detailType: ['Step Functions Execution Status Change'], detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [machines.partnerDelivery.stateMachineArn] } },
      targets: [new targets.SqsQueue(undelivered)],
    });
    new CfnOutput(this, 'UndeliveredPartnerEventsQueue', { value: undelivered.queueUrl });
    // The outbox sweep: partner events whose hand-off failed or was interrupted are handed off again.
    new events.Rule(this, 'OutboxSweep', {
      description: 'Hands off partner events whose hand-off failed or was interrupted',
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [new targets.LambdaFunction(tasksFn, { event: events.RuleTargetInput.fromObject({ task: 'handOffPending' }) })],
    });

    const alerts = this.alarms({ machines, functions: { api: apiFn, ...workflowFunctions }, tables, undelivered });
    new CfnOutput(this, 'OperationsAlertsTopic', { value: alerts.topicArn });

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: users.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'SignInUrl', { value: signInDomain.baseUrl() });
  }

  /**
   * Alarms, each notifying the OperationsAlerts topic (subscribe the operators to it): executions that
   * failed, timed out, were stopped or throttled; a partner delivery parked in the dead-letter queue;
   * throttled Lambdas and tables; a review deadline that passed undecided. Every one fires on the first
   * occurrence in 5 minutes, and a period with no data is not a breach (these metrics are only
   * published when something happens). The topic is not KMS-encrypted: CloudWatch must be able to
   * publish to it, and an alarm carries no personal data.
   */
  private alarms(on: { machines: Record<MachineKey, sfn.StateMachine>; functions: Record<LambdaName, lambda.IFunction>; tables: Record<TableKey, dynamodb.TableV2>; undelivered: sqs.IQueue }): sns.Topic {
    const topic = new sns.Topic(this, 'OperationsAlerts', { displayName: 'Due process operations alerts', enforceSSL: true });
    const action = new cwActions.SnsAction(topic);
    const period = Duration.minutes(5);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
    };
    for (const [key, machine] of Object.entries(on.machines) as Array<[MachineKey, sfn.StateMachine]>) {
      const id = STATE_MACHINE_IDS[key];
      alarm(`${id}ExecutionsFailedAlarm`, machine.metricFailed({ period, statistic: 'Sum' }), `${id} executions failed: redrive them (README, Operations)`);
      alarm(`${id}ExecutionsTimedOutAlarm`, machine.metricTimedOut({ period, statistic: 'Sum' }), `${id} executions timed out`);
      alarm(`${id}ExecutionsAbortedAlarm`, machine.metricAborted({ period, statistic: 'Sum' }), `${id} executions were stopped`);
      alarm(`${id}ExecutionThrottledAlarm`, machine.metricThrottled({ period, statistic: 'Sum' }), `${id} state transitions were throttled`);
    }
    alarm('UndeliveredPartnerEventsAlarm', on.undelivered.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }), 'A partner delivery failed and waits in the dead-letter queue: redrive it (README, Operations)');
    for (const [name, fn] of Object.entries(on.functions) as Array<[LambdaName, lambda.IFunction]>) {
      alarm(`${name[0]!.toUpperCase()}${name.slice(1)}FunctionThrottlesAlarm`, fn.metricThrottles({ period, statistic: 'Sum' }), `The ${name} function was throttled`);
    }
    // Read and write throttle events cover every operation on the table; ThrottledRequests is split by operation.
    for (const [key, table] of Object.entries(on.tables) as Array<[TableKey, dynamodb.TableV2]>) {
      const { logicalName } = TABLES[key];
      for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        alarm(`${logicalName}${metricName}Alarm`, table.metric(metricName, { period, statistic: 'Sum' }), `The ${key} table throttled requests (${metricName})`);
      }
    }
    const breaches = new cloudwatch.Metric({ namespace: DEADLINE_BREACHES.namespace, metricName: DEADLINE_BREACHES.name, period, statistic: 'Sum' });
    alarm('DeadlineBreachesAlarm', breaches, 'A review deadline passed undecided: the case was escalated to the province or is overdue there');
    return topic;
  }

  /**
   * Evidence files, uploaded by browsers through presigned PUTs from the site's
   * origin: private, encrypted with the data key, versioned and kept when the stack goes.
   */
  private evidenceBucket(key: kms.IKey, siteUrl: string): s3.Bucket {
    return new s3.Bucket(this, 'Evidence', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      // One data key per bucket rather than per object: fewer KMS calls for the same key.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      // A batch's lines (names, ids, contacts) are needed only while it is proposed; its entries keep what was proposed.
      lifecycleRules: [{ id: 'ExpireListingBatches', prefix: BATCH_PREFIX, expiration: Duration.days(BATCH_OBJECT_DAYS), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT],
          allowedOrigins: [new URL(siteUrl).origin],
          allowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
          maxAge: 3600,
        },
      ],
    });
  }

  /**
   * Token use at the sign-in service: AWS WAF in front of the user pool (hosted UI and its endpoints), a rate
   * rule per address. The token endpoint is left to Cognito's own quotas: the app redeems every browser's code
   * there from Lambda's few addresses, and its callback is limited per browser address by the app.
   */
  private signInFirewall(users: cognito.UserPool): wafv2.CfnWebACL {
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const acl = new wafv2.CfnWebACL(this, 'SignInFirewall', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('SignInFirewall'),
      rules: [
        {
          name: 'TokenUsePerAddress',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, responseHeaders: [{ name: 'Retry-After', value: String(SIGN_IN_SERVICE_LIMIT.windowSeconds) }] } } },
          statement: {
            rateBasedStatement: {
              limit: SIGN_IN_SERVICE_LIMIT.requests,
              evaluationWindowSec: SIGN_IN_SERVICE_LIMIT.windowSeconds,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                notStatement: {
                  statement: { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: '/oauth2/token', textTransformations: [{ priority: 0, type: 'NONE' }] } },
                },
              },
            },
          },
          visibilityConfig: visibility('SignInTokenUsePerAddress'),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'SignInFirewallAssociation', { resourceArn: users.userPoolArn, webAclArn: acl.attrArn });
    return acl;
  }

  private table(def: TableDefinition, key: kms.IKey): dynamodb.TableV2 {
    const attr = (k: { name: string; type: 'S' | 'N' }) => ({ name: k.name, type: k.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER });
    const table = new dynamodb.TableV2(this, def.logicalName, {
      partitionKey: attr(def.partitionKey),
      sortKey: attr(def.sortKey),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: def.immutable,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: def.indexes.map((ix) => ({ indexName: ix.indexName, partitionKey: attr(ix.partitionKey), sortKey: attr(ix.sortKey) })),
      timeToLiveAttribute: def.timeToLiveAttribute,
      // An explicit deny binds every principal, administrators included: audit records are never changed or removed.
      resourcePolicy: def.immutable
        ? new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: AUDIT_MUTATIONS, resources: ['*'] })] })
        : undefined,
    });
    return table;
  }

  private fn(name: LambdaName, environment: Record<string, string>): NodejsFunction {
    return new NodejsFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
      entry: LAMBDA_ENTRIES[name],
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(name === 'api' ? 29 : 60),
      environment,
      logGroup: new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: LAMBDA_BUNDLING,
    });
  }

  private machineName(key: MachineKey): string {
    return `${this.stackName}-${STATE_MACHINE_IDS[key]}`;
  }

  private stateMachine(key: MachineKey, definition: sfn.IChainable): sfn.StateMachine {
    const id = STATE_MACHINE_IDS[key];
    return new sfn.StateMachine(this, id, {
      stateMachineName: this.machineName(key),
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }), level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
  }
}
