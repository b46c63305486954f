import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { log } from '../platform/log.js';

export type Channel = 'email' | 'sms';

export interface OutgoingMessage {
  channel: Channel;
  to: string;
  subject?: string;
  text: string;
  entryId?: string;
  caseId?: string;
  /**
   * Names this one message (e.g. entry, notice and channel): sent again under
   * the same key, it is not sent twice but answered with the first sending.
   */
  key?: string;
}

export interface SentMessage extends OutgoingMessage {
  messageId: string;
  sentAt: string;
  /**
   * Sent again because an earlier sending under the same key was interrupted
   * between handing it to the provider and recording the answer: the subject
   * may have received it twice. Neither SES nor SMS takes an idempotency key.
   */
  resentAfterInterruption?: true;
}

/** How an SMS leaves the system: SNS on AWS, a file outbox locally. */
export interface SmsSender {
  send(to: string, text: string): Promise<string>;
}

export class SnsSmsSender implements SmsSender {
  constructor(private readonly sns: SNSClient) {}
  async send(to: string, text: string) {
    const out = await this.sns.send(new PublishCommand({
      PhoneNumber: to.startsWith('+') ? to : `+86${to}`,
      Message: text,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    }));
    return out.MessageId!;
  }
}

/** The local SMS gateway: one JSON line per message under DATA_DIR. */
export class FileSmsOutbox implements SmsSender {
  constructor(private readonly file: string, private readonly clock: Clock) {}
  async send(to: string, text: string) {
    const messageId = newId('sms', this.clock.now());
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify({ messageId, to, text, at: this.clock.now().toISOString() })}\n`);
    return messageId;
  }
}

/**
 * Sends notices by email (SES) and SMS, and records every message sent with
 * its provider message id, so what a subject was told can always be shown.
 */
export class Notifier {
  constructor(
    private readonly deps: { ses: SESv2Client; sms: SmsSender; db: DynamoDBDocumentClient; table: string; from: string; clock: Clock },
  ) {}

  /**
   * Sends a message and records it. A keyed message is claimed before it is
   * handed to the provider and marked sent with the provider's id right after:
   * sent again (a retried step, or one resumed after the process was killed),
   * it is answered from that record and not sent twice. Only a stop inside
   * the provider call itself, or between its answer and the mark, leaves it
   * unknown whether the subject got it; it is then sent again, not lost, and
   * the record says so.
   */
  async send(message: OutgoingMessage): Promise<SentMessage> {
    const claim = message.key ? { pk: `NOTICE#${message.key}`, sk: 'SENDING' } : undefined;
    let interrupted = false;
    if (claim) {
      const prior = (await this.deps.db.send(new GetCommand({ TableName: this.deps.table, Key: claim, ConsistentRead: true }))).Item as { sent?: SentMessage } | undefined;
      if (prior?.sent) {
        // The record of it may not have been written before the stop.
        await this.record(prior.sent);
        return prior.sent;
      }
      interrupted = !!prior;
      if (interrupted) log.warn('notice sent again after an interrupted sending; the subject may receive it twice', { key: message.key, channel: message.channel });
      else await this.deps.db.send(new PutCommand({ TableName: this.deps.table, Item: { ...claim, claimedAt: this.deps.clock.now().toISOString() } }));
    }
    const messageId = message.channel === 'email' ? await this.sendEmail(message) : await this.deps.sms.send(message.to, message.text);
    const sent: SentMessage = { ...message, messageId, sentAt: this.deps.clock.now().toISOString(), ...(interrupted ? { resentAfterInterruption: true as const } : {}) };
    if (claim) await this.deps.db.send(new PutCommand({ TableName: this.deps.table, Item: { ...claim, sent } }));
    await this.record(sent);
    return sent;
  }

  /** The recipient's record of one message; the same message recorded again replaces itself. */
  private async record(sent: SentMessage): Promise<void> {
    await this.deps.db.send(new PutCommand({ TableName: this.deps.table, Item: { pk: `OUTBOX#${sent.to}`, sk: `${sent.sentAt}#${sent.messageId}`, message: sent } }));
  }

  /** Every message recorded for one recipient, oldest first. */
  async sentTo(to: string): Promise<SentMessage[]> {
    const out: SentMessage[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.db.send(new QueryCommand({ TableName: this.deps.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `OUTBOX#${to}` }, ExclusiveStartKey: startKey }));
      out.push(...(page.Items ?? []).map((i) => i.message as SentMessage));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }

  private async sendEmail(message: OutgoingMessage): Promise<string> {
    const out = await this.deps.ses.send(new SendEmailCommand({
      FromEmailAddress: this.deps.from,
      Destination: { ToAddresses: [message.to] },
      Content: { Simple: { Subject: { Data: message.subject ?? '', Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } } },
      EmailTags: [
        ...(message.entryId ? [{ Name: 'entryId', Value: message.entryId }] : []),
        ...(message.caseId ? [{ Name: 'caseId', Value: message.caseId }] : []),
      ],
    }));
    return out.MessageId!;
  }
}
