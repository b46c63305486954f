import { asError } from '../../shared/platform/errors.js';
import { redact } from '../../shared/platform/log.js';
import { startLocalSystem } from './system.js';

/** `npm start`: the whole system on 127.0.0.1, state under DATA_DIR. Ctrl-C stops it cleanly. */
const dataDir = process.env.DATA_DIR ?? './.data';
const port = Number(process.env.PORT ?? 3000);
// CLOCK_START (ISO 8601) sets where the virtual clock of a fresh DATA_DIR starts.
const clockStart = process.env.CLOCK_START ? new Date(process.env.CLOCK_START) : undefined;
if (clockStart && Number.isNaN(clockStart.getTime())) {
  console.error(`CLOCK_START must be an ISO 8601 instant, got ${process.env.CLOCK_START}`);
  process.exit(2);
}

// PARTNER_WEBHOOKS_ALLOW_LOOPBACK: partners' endpoints on this machine (default true); false applies the deployed rule.
const allowLoopback = process.env.PARTNER_WEBHOOKS_ALLOW_LOOPBACK ?? 'true';
if (allowLoopback !== 'true' && allowLoopback !== 'false') {
  console.error(`PARTNER_WEBHOOKS_ALLOW_LOOPBACK must be true or false, got ${allowLoopback}`);
  process.exit(2);
}

const system = await startLocalSystem({ dataDir, port, clockStart, partnerWebhooks: { allowLoopback: allowLoopback === 'true' } });
const { services } = system;
console.log(
  [
    `Due-process system running (booted in ${system.bootMs} ms, ${system.resumedExecutions} workflow execution(s) resumed)`,
    `  API and pages   ${system.url}`,
    `  OpenAPI         ${system.url}/openapi.json`,
    `  services        ${system.url}/_local/services`,
    `  DynamoDB        ${services.dynamodb} (dynalite, on disk)`,
    `  SES             ${services.ses} (sent mail: ${services.sesStore})`,
    `  SMS outbox      ${services.smsOutbox}`,
    `  data            ${services.dataDir}`,
    'Press Ctrl-C to stop.',
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    system.close().then(
      () => {
        console.log('Stopped. Data kept in', services.dataDir);
        process.exit(0);
      },
      (error) => {
        // For a person, not a log line; still no identity number, mobile or email from the error.
        console.error('Stopped with an error:', redact(asError(error).stack ?? String(error)));
        process.exit(1);
      },
    );
  });
}
