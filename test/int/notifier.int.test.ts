import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sesLocalModule from 'aws-ses-v2-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { FileSmsOutbox, Notifier, NoticeBeingSent, SEND_LEASE_MS } from '../../shared/notices/notifier.js';
import { LOCAL_CREDENTIALS, LOCAL_TABLES, startLocalStores, type LocalStores } from '../../infra/local/stores.js';
import { tempDataDir } from '../support/temp-dir.js';

const sesLocal = ((sesLocalModule as unknown as { default?: unknown }).default ?? sesLocalModule) as (c: { host: string; port: number }) => Promise<Server>;
const clock = { now: () => new Date('2026-11-20T02:00:00Z') };

describe('notices through SES local and the SMS outbox', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let stores: LocalStores;
  let ses: Server;
  let sesUrl: string;
  let notifier: Notifier;

  beforeAll(async () => {
    data = await tempDataDir();
    stores = await startLocalStores(data.dir);
    ses = await sesLocal({ host: '127.0.0.1', port: 0 });
    sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
    notifier = new Notifier({
      ses: new SESv2Client({ endpoint: sesUrl, region: 'local', credentials: LOCAL_CREDENTIALS }),
      sms: new FileSmsOutbox(join(data.dir, 'sms.jsonl'), clock),
      db: stores.db,
      table: LOCAL_TABLES.entries,
      from: 'notices@due-process.local',
      clock,
    });
  });
  afterAll(async () => {
    await new Promise((r) => ses.close(r));
    await stores.close();
    await data.remove();
  });

  it('sends a bilingual email through SES and records it with its SES message id and entry', async () => {
    const sent = await notifier.send({ channel: 'email', to: 'zhang@example.cn', subject: '列入名单前告知 / Notice before listing', text: '您好\n\nDear subject', entryId: 'ent_1' });
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: Array<{ messageId: string; subject: string; destination: { to: string[] }; body: { text: string } }> };
    const mail = store.emails.find((m) => m.messageId === sent.messageId);
    expect(mail).toBeDefined();
    expect(mail!.destination.to).toEqual(['zhang@example.cn']);
    expect(mail!.subject).toBe('列入名单前告知 / Notice before listing');
    expect(mail!.body.text).toContain('您好');
    expect(await notifier.sentTo('zhang@example.cn')).toEqual([expect.objectContaining({ channel: 'email', messageId: sent.messageId, entryId: 'ent_1', sentAt: '2026-11-20T02:00:00.000Z' })]);
  });

  it('writes an SMS to the local outbox and records it', async () => {
    const sent = await notifier.send({ channel: 'sms', to: '13812345678', text: '【信用】请于2026-12-04前陈述申辩', entryId: 'ent_1' });
    const lines = (await readFile(join(data.dir, 'sms.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ messageId: sent.messageId, to: '13812345678', text: '【信用】请于2026-12-04前陈述申辩' })]);
    expect((await notifier.sentTo('13812345678')).map((m) => m.messageId)).toEqual([sent.messageId]);
  });

  it('sends a keyed message once: sent again under its key, it is answered from the first sending', async () => {
    const message = { channel: 'email' as const, to: 'li@example.cn', subject: '告知', text: '您好', entryId: 'ent_2', key: 'ent_2:pre-listing:email' };
    const first = await notifier.send(message);
    const again = await notifier.send(message);
    expect(again).toEqual(first);
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: Array<{ destination: { to: string[] } }> };
    expect(store.emails.filter((m) => m.destination.to.includes('li@example.cn'))).toHaveLength(1);
    expect(await notifier.sentTo('li@example.cn')).toHaveLength(1);
  });

  it('sends again, and says so, when a claim\'s lease ran out without its outcome recorded (stopped inside the provider call)', async () => {
    const message = { channel: 'sms' as const, to: '13900000002', text: '【信用】告知', entryId: 'ent_4', key: 'ent_4:pre-listing:sms' };
    const claimedAt = new Date(clock.now().getTime() - SEND_LEASE_MS - 1000).toISOString();
    await stores.db.send(new PutCommand({ TableName: LOCAL_TABLES.entries, Item: { pk: 'OUTBOX#13900000002', sk: `KEY#${message.key}`, claimedAt, claimToken: 'stopped' } }));
    // Claimed, never marked sent: not a message sent.
    expect(await notifier.sentTo('13900000002')).toEqual([]);
    const sent = await notifier.send(message);
    expect(sent.resentAfterInterruption).toBe(true);
    expect(await notifier.send(message)).toEqual(sent);
    expect(await notifier.sentTo('13900000002')).toHaveLength(1);
  });

  it('refuses for now a message whose claim another sending holds, and lets one of two sendings at once send it', async () => {
    const held = { channel: 'sms' as const, to: '13900000003', text: '【信用】告知', entryId: 'ent_5', key: 'ent_5:pre-listing:sms' };
    await stores.db.send(new PutCommand({ TableName: LOCAL_TABLES.entries, Item: { pk: 'OUTBOX#13900000003', sk: `KEY#${held.key}`, claimedAt: clock.now().toISOString(), claimToken: 'another' } }));
    await expect(notifier.send(held)).rejects.toBeInstanceOf(NoticeBeingSent);

    const message = { channel: 'email' as const, to: 'wang@example.cn', subject: '告知', text: '您好', entryId: 'ent_6', key: 'ent_6:pre-listing:email' };
    const outcomes = await Promise.allSettled([notifier.send(message), notifier.send(message), notifier.send(message)]);
    // Each either sent it, found it sent (the same message), or was refused while the first held the claim.
    const sent = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.messageId] : []));
    expect(new Set(sent).size).toBe(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(NoticeBeingSent);
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: Array<{ destination: { to: string[] } }> };
    expect(store.emails.filter((m) => m.destination.to.includes('wang@example.cn'))).toHaveLength(1);
  });

  it('gives its claim up when the provider refuses, so the next attempt is a plain first sending', async () => {
    const failing = new Notifier({ ses: new SESv2Client({ endpoint: 'http://127.0.0.1:9', region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }), sms: new FileSmsOutbox(join(data.dir, 'sms.jsonl'), clock), db: stores.db, table: LOCAL_TABLES.entries, from: 'notices@due-process.local', clock });
    const message = { channel: 'email' as const, to: 'zhao@example.cn', subject: '告知', text: '您好', entryId: 'ent_7', key: 'ent_7:pre-listing:email' };
    await expect(failing.send(message)).rejects.toThrow();
    const sent = await notifier.send(message);
    expect(sent.resentAfterInterruption).toBeUndefined();
  });
});
