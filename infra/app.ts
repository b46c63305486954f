import { App } from 'aws-cdk-lib';
import { DueProcessStack } from './stack.js';

/** `npm run synth` / `cdk deploy`: the whole system in one stack. */
export function buildApp(app = new App()): { app: App; stack: DueProcessStack } {
  const senderEmail = app.node.tryGetContext('senderEmail') ?? process.env.SENDER_EMAIL ?? 'notices@example.cn';
  const siteUrl = app.node.tryGetContext('siteUrl') ?? process.env.SITE_URL ?? 'https://credit-dispute.example.cn';
  const stack = new DueProcessStack(app, 'BlacklistDueProcess', {
    senderEmail,
    siteUrl,
    signInDomainPrefix: app.node.tryGetContext('signInDomainPrefix') ?? process.env.SIGN_IN_DOMAIN_PREFIX,
    // Customer-managed table keys need a concrete region; set CDK_DEFAULT_REGION or -c region=… to deploy elsewhere.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: app.node.tryGetContext('region') ?? process.env.CDK_DEFAULT_REGION ?? 'ap-east-1' },
  });
  return { app, stack };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  buildApp().app.synth();
}
