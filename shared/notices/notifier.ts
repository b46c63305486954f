import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
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
 * How long a claimed sending may take before another may take it over: twice
 * the tasks function's timeout (60 s), which ends any provider call on AWS.
 */
export const SEND_LEASE_MS = 2 * 60_000;

/** Another sending of the same message holds its claim: try again later (a transient failure, retried by the step). */
export class NoticeBeingSent extends Error {
  override readonly name = 'NoticeBeingSent';
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
   * Sends a message and records it. A keyed message is claimed in the
   * recipient's record before it is handed to the provider, and the claim is
   * marked sent with the provider's id right after. Sent again under its key
   * (a retried step, one resumed after the process was killed, or a second
   * delivery of the same task running at once), it is answered from that
   * record, or refused for now while another sending holds the claim: never
   * sent twice by two senders. A provider's refusal gives the claim up. Only a
   * stop inside the provider call itself, or between its answer and the mark,
   * leaves it unknown whether the subject got it: once the claim's lease has
   * run out it is sent again, not lost, and the record says so.
   */
  async send(message: OutgoingMessage): Promise<SentMessage> {
    const pk = `OUTBOX#${message.to}`;
    const token = randomUUID();
    let interrupted = false;
    if (message.key) {
      const claim = await this.claim({ pk, sk: `KEY#${message.key}` }, token);
      if (claim.sent) return claim.sent;
      interrupted = claim.interrupted;
      if (interrupted) log.warn('notice sent again after an interrupted sending; the subject may receive it twice', { key: message.key, channel: message.channel });
    }
    let messageId: string;
    try {
      messageId = message.channel === 'email' ? await this.sendEmail(message) : await this.deps.sms.send(message.to, message.text);
    } catch (error) {
      if (message.key) await this.release({ pk, sk: `KEY#${message.key}` }, token);
      throw error;
    }
    const sent: SentMessage = { ...message, messageId, sentAt: this.deps.clock.now().toISOString(), ...(interrupted ? { resentAfterInterruption: true as const } : {}) };
    // A keyed message's record is its claim, now marked sent; others are recorded by time and provider id.
    await this.deps.db.send(new PutCommand({ TableName: this.deps.table, Item: { pk, sk: message.key ? `KEY#${message.key}` : `${sent.sentAt}#${messageId}`, message: sent } }));
    return sent;
  }

  /**
   * Claims a keyed message for this sending (`token`): a fresh claim, or one
   * whose lease ran out without a mark (that sending was interrupted), taken
   * over; or finds it sent. A claim another sending holds is refused for now.
   */
  private async claim(item: { pk: string; sk: string }, token: string): Promise<{ sent?: SentMessage; interrupted: boolean }> {
    const now = this.deps.clock.now();
    try {
      await this.deps.db.send(new PutCommand({ TableName: this.deps.table, Item: { ...item, claimedAt: now.toISOString(), claimToken: token }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return { interrupted: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const prior = (await this.deps.db.send(new GetCommand({ TableName: this.deps.table, Key: item, ConsistentRead: true }))).Item as { message?: SentMessage; claimedAt?: string; claimToken?: string } | undefined;
    if (prior?.message) return { sent: prior.message, interrupted: false };
    if (prior && now.getTime() - Date.parse(prior.claimedAt ?? '') < SEND_LEASE_MS) throw new NoticeBeingSent(`Another sending of ${item.sk.slice(4)} holds its claim until ${new Date(Date.parse(prior.claimedAt!) + SEND_LEASE_MS).toISOString()}`);
    try {
      // Taken over only as it was read: of two sendings finding it run out, one takes it.
      await this.deps.db.send(
        new UpdateCommand({
          TableName: this.deps.table,
          Key: item,
          UpdateExpression: 'SET claimedAt = :now, claimToken = :mine',
          ConditionExpression: 'attribute_not_exists(message) AND (claimToken = :seen OR (attribute_not_exists(claimToken) AND claimedAt = :seenAt))',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':mine': token, ':seen': prior?.claimToken ?? '', ':seenAt': prior?.claimedAt ?? '' },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NoticeBeingSent(`Another sending of ${item.sk.slice(4)} took its claim first`);
      throw error;
    }
    return { interrupted: true };
  }

  /** Gives up this sending's claim after the provider refused the message, so the next attempt is not taken for an interrupted one. */
  private async release(item: { pk: string; sk: string }, token: string): Promise<void> {
    try {
      await this.deps.db.send(new DeleteCommand({ TableName: this.deps.table, Key: item, ConditionExpression: 'claimToken = :mine AND attribute_not_exists(message)', ExpressionAttributeValues: { ':mine': token } }));
    } catch (error) {
      // Taken over meanwhile, or the store unreachable: the claim's lease runs out by itself.
      log.warn('notice claim not released', { key: item.sk.slice(4), error });
    }
  }

  /** Every message recorded for one recipient, oldest first. */
  async sentTo(to: string): Promise<SentMessage[]> {
    const out: SentMessage[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.db.send(new QueryCommand({ TableName: this.deps.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `OUTBOX#${to}` }, ExclusiveStartKey: startKey }));
      // A claim not marked sent (a sending under way, or interrupted) is not a message sent.
      out.push(...(page.Items ?? []).filter((i) => i.message).map((i) => i.message as SentMessage));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
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
