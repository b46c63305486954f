import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chainEvents, GENESIS_HASH, type Actor, type AuditEvent, type PendingEvent } from '../audit/hash-chain.js';
import { evolve, type EntryState } from '../domain/entry.js';
import { ConcurrentUpdateError } from '../platform/errors.js';
import type { TableNames } from './tables.js';

/** An entry as loaded for a command: its state and where its chain ends. */
export interface LoadedEntry {
  state: EntryState;
  version: number;
  head: { seq: number; hash: string };
}

interface CommitItem {
  entryId: string;
  version: number;
  events: AuditEvent[];
}

interface ProjectionItem {
  pk: string;
  sk: string;
  version: number;
  headSeq: number;
  headHash: string;
  state: EntryState;
  subjectKey: string;
  subjectSort: string;
  publicKey?: string;
  publicSort?: string;
}

const entryKey = (entryId: string) => ({ pk: `ENTRY#${entryId}`, sk: 'ENTRY' });

/**
 * Entries as an append-only event stream. A commit is one conditional put of
 * one audit item (version n+1 must not exist), so two commands racing on an
 * entry cannot both win, and no state exists without its events. The
 * projection is written after the commit and is rebuilt from the stream when
 * it lags behind (a crash between the two writes).
 */
export class EntryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Pick<TableNames, 'entries' | 'audit'>,
  ) {}

  async load(entryId: string): Promise<LoadedEntry | undefined> {
    const projection = (await this.db.send(new GetCommand({ TableName: this.tables.entries, Key: entryKey(entryId), ConsistentRead: true }))).Item as ProjectionItem | undefined;
    const after = projection?.version ?? 0;
    const commits = await this.commitsAfter(entryId, after);
    if (!projection && commits.length === 0) return undefined;
    let loaded: LoadedEntry | undefined = projection && { state: projection.state, version: projection.version, head: { seq: projection.headSeq, hash: projection.headHash } };
    for (const commit of commits) loaded = applyCommit(loaded, commit);
    if (loaded && commits.length > 0) await this.project(loaded);
    return loaded;
  }

  /**
   * Appends the events decided for an entry at the version it was loaded at.
   * @throws ConcurrentUpdateError when another command committed first.
   */
  async commit(entryId: string, loaded: LoadedEntry | undefined, pending: PendingEvent[], actor: Actor, at: Date): Promise<{ entry: LoadedEntry; events: AuditEvent[] }> {
    const version = (loaded?.version ?? 0) + 1;
    const events = chainEvents(entryId, loaded?.head ?? { seq: 0, hash: GENESIS_HASH }, pending, actor, at.toISOString());
    const item: CommitItem = { entryId, version, events };
    try {
      await this.db.send(new PutCommand({
        TableName: this.tables.audit,
        Item: item,
        // Nothing may overwrite a commit: the version is claimed once.
        ConditionExpression: 'attribute_not_exists(entryId)',
      }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`Entry ${entryId} changed while this command ran`, { cause: error });
      throw error;
    }
    const entry = applyCommit(loaded, item);
    await this.project(entry);
    return { entry, events };
  }

  /** Every event of an entry's trail, oldest first. */
  async auditTrail(entryId: string): Promise<AuditEvent[]> {
    return (await this.commitsAfter(entryId, 0)).flatMap((c) => c.events);
  }

  /** Every entry id that has a trail, for verifying them all; a scan is acceptable for this offline check. */
  async *allEntryIds(): AsyncGenerator<string> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new ScanCommand({
        TableName: this.tables.audit,
        ProjectionExpression: 'entryId',
        FilterExpression: 'version = :first',
        ExpressionAttributeValues: { ':first': 1 },
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) yield item.entryId as string;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async listBySubject(subjectId: string, limit: number, cursor?: string): Promise<{ entries: EntryState[]; nextCursor?: string }> {
    return this.page('bySubject', 'subjectKey', `SUBJECT#${subjectId}`, limit, cursor);
  }

  async listPublic(limit: number, cursor?: string): Promise<{ entries: EntryState[]; nextCursor?: string }> {
    return this.page('publicListed', 'publicKey', 'LISTED', limit, cursor);
  }

  private async page(indexName: string, keyName: string, keyValue: string, limit: number, cursor?: string) {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tables.entries,
      IndexName: indexName,
      KeyConditionExpression: `${keyName} = :k`,
      ExpressionAttributeValues: { ':k': keyValue },
      Limit: limit,
      ScanIndexForward: false,
      ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined,
    }));
    return {
      entries: (out.Items ?? []).map((i) => (i as ProjectionItem).state),
      nextCursor: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined,
    };
  }

  private async commitsAfter(entryId: string, version: number): Promise<CommitItem[]> {
    const commits: CommitItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.tables.audit,
        KeyConditionExpression: 'entryId = :e AND version > :v',
        ExpressionAttributeValues: { ':e': entryId, ':v': version },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }));
      commits.push(...((page.Items ?? []) as CommitItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return commits;
  }

  /** Writes the projection unless a newer one is already there. */
  private async project(entry: LoadedEntry): Promise<void> {
    const { state } = entry;
    const item: ProjectionItem = {
      ...entryKey(state.entryId),
      version: entry.version,
      headSeq: entry.head.seq,
      headHash: entry.head.hash,
      state,
      subjectKey: `SUBJECT#${state.subject.id}`,
      subjectSort: `${state.proposedAt}#${state.entryId}`,
      ...(state.status === 'listed' ? { publicKey: 'LISTED', publicSort: `${state.listedAt ?? ''}#${state.entryId}` } : {}),
    };
    try {
      await this.db.send(new PutCommand({
        TableName: this.tables.entries,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR version < :v',
        ExpressionAttributeValues: { ':v': entry.version },
      }));
    } catch (error) {
      // A newer projection is already in place: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function applyCommit(loaded: LoadedEntry | undefined, commit: CommitItem): LoadedEntry {
  let state = loaded?.state;
  for (const event of commit.events) state = evolve(state, event);
  const last = commit.events[commit.events.length - 1];
  if (!state || !last) throw new Error(`Commit ${commit.version} of ${commit.entryId} has no events`);
  return { state, version: commit.version, head: { seq: last.seq, hash: last.hash } };
}
