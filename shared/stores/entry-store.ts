import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chainEvents, GENESIS_HASH, type Actor, type AuditEvent, type PendingEvent } from '../audit/hash-chain.js';
import { evolve, isOpenCase, type CaseKind, type CaseState, type EntryState } from '../domain/entry.js';
import { partnerEventsOf, type PartnerEvent } from '../domain/partner-events.js';
import { finishedAt } from '../domain/review-stats.js';
import { ConcurrentUpdateError, invalid, notFound } from '../platform/errors.js';
import { log } from '../platform/log.js';
import type { TableNames } from './tables.js';

/** An entry as loaded for a command: its state and where its chain ends. */
export interface LoadedEntry {
  state: EntryState;
  version: number;
  head: { seq: number; hash: string };
  /** The last version whose partner events were handed off to the relay. */
  handedOff?: number;
}

interface CommitItem {
  entryId: string;
  version: number;
  events: AuditEvent[];
  /** Events for joint-enforcement partners, written with the change (an outbox). */
  partnerEvents?: PartnerEvent[];
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
  /** The subject's name in upper case, for the public search. */
  searchName: string;
  /** The last version whose partner events were handed off; while behind `version`, the item is in the HANDOFF queue. */
  handedOff?: number;
  queueKey?: string;
  queueSort?: string;
}

/** A case as its queue shows it: the case, and enough of its entry to triage without opening it. */
export interface CaseProjection {
  pk: string;
  sk: string;
  version: number;
  case: CaseState;
  entry: { entryId: string; status: EntryState['status']; listType: string; subjectName: string; subjectId: string };
  queueKey?: string;
  queueSort?: string;
}

/** Narrows a queue to one kind of case and one list type; either may be left open. */
export interface QueueFilter {
  kind?: CaseKind;
  listType?: string;
}

/** The queue filter as a FilterExpression on the case projection (`case.kind`, `entry.listType`), or none. */
function queueFilterExpression(filter: QueueFilter): { expression: string; names: Record<string, string>; values: Record<string, unknown> } | undefined {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.kind) {
    // `case` is a reserved word; every name goes through a placeholder.
    Object.assign(names, { '#case': 'case', '#kind': 'kind' });
    values[':kind'] = filter.kind;
    parts.push('#case.#kind = :kind');
  }
  if (filter.listType) {
    Object.assign(names, { '#entry': 'entry', '#listType': 'listType' });
    values[':listType'] = filter.listType;
    parts.push('#entry.#listType = :listType');
  }
  return parts.length > 0 ? { expression: parts.join(' AND '), names, values } : undefined;
}

/** A whole resident identity number or unified social credit code, upper case. */
const FULL_IDENTIFIER = /^[0-9A-Z]{15}$|^[0-9A-Z]{18}$/;
/** Reads a filtered search may make for one page before handing back a cursor. */
const MAX_FILTERED_READS = 20;

const entryKey = (entryId: string) => ({ pk: `ENTRY#${entryId}`, sk: 'ENTRY' });
const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });

/** The queue an open case sits in: its agency's until escalated, then its province's. */
export const agencyQueue = (agencyId: string) => `AGENCY#${agencyId}`;
export const provincialQueue = (provinceCode: string) => `PROVINCE#${provinceCode}`;
/** Where a case goes once decided, withdrawn or closed: its agency's finished cases, by when they finished, for the statistics. */
export const finishedQueue = (agencyId: string) => `DONE#${agencyId}`;
/** Entries whose partner events still wait to be handed off to the relay. */
const HANDOFF_QUEUE = 'HANDOFF';
/** Entries a process keeps as it last loaded or committed them, the least lately used going first. */
const RECENT_ENTRIES = 1_000;

/**
 * Entries as an append-only event stream. A commit is one conditional put of
 * one audit item (version n+1 must not exist), so two commands racing on an
 * entry cannot both win, and no state exists without its events. The
 * projection is written after the commit and is rebuilt from the stream when
 * it lags behind (a crash between the two writes).
 */
export class EntryStore {
  private handOff?: (events: PartnerEvent[]) => Promise<void>;
  /**
   * Entries as this process last loaded or committed them. Commits never
   * change and versions are claimed one after another, so an entry kept at
   * version n is the entry for as long as the trail has no version n + 1,
   * which one item read tells. Only entries with nothing waiting for the
   * relay are kept: their hand-off mark cannot move before the next commit.
   */
  private readonly recent = new Map<string, LoadedEntry>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Pick<TableNames, 'entries' | 'audit'>,
  ) {}

  /**
   * Where the partner events of each commit go once it is written and
   * projected (the outbox relay). A hand-off that fails never fails the
   * command or a read: the entry stays in the HANDOFF queue of the index, and
   * `handOffPending` hands it off again. The hand-off must be idempotent.
   */
  onPartnerEvents(handOff: (events: PartnerEvent[]) => Promise<void>): void {
    this.handOff = handOff;
  }

  async load(entryId: string): Promise<LoadedEntry | undefined> {
    const kept = this.recent.get(entryId);
    if (kept && !(await this.hasCommit(entryId, kept.version + 1))) return this.recall(entryId, kept);
    // Not kept, or committed elsewhere since: the projection, caught up (and repaired, should it lag).
    const projection = (await this.db.send(new GetCommand({ TableName: this.tables.entries, Key: entryKey(entryId), ConsistentRead: true }))).Item as ProjectionItem | undefined;
    return this.catchUp(entryId, projection);
  }

  /**
   * An entry, and the entry a case id already belongs to, in one read: a
   * filing must know both before it decides (a retried filing names its own
   * case; a key used before on another entry is refused).
   */
  async loadWithCase(entryId: string, caseId: string): Promise<{ loaded?: LoadedEntry; caseEntryId?: string }> {
    const [projection, pointer] = await this.getItems([entryKey(entryId), caseKey(caseId)]);
    return { loaded: await this.catchUp(entryId, projection as ProjectionItem | undefined), caseEntryId: pointer?.entryId as string | undefined };
  }

  /** Items of the entries table, in the order of their keys, by one consistent BatchGetItem; a key DynamoDB leaves unprocessed is read on its own. */
  private async getItems(keys: Array<{ pk: string; sk: string }>): Promise<Array<Record<string, unknown> | undefined>> {
    const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tables.entries]: { Keys: keys, ConsistentRead: true } } }));
    const found = out.Responses?.[this.tables.entries] ?? [];
    const unprocessed = new Set((out.UnprocessedKeys?.[this.tables.entries]?.Keys ?? []).map((k) => k.pk as string));
    return Promise.all(keys.map(async (key) => {
      if (!unprocessed.has(key.pk)) return found.find((item) => item.pk === key.pk && item.sk === key.sk);
      return (await this.db.send(new GetCommand({ TableName: this.tables.entries, Key: key, ConsistentRead: true }))).Item;
    }));
  }

  /**
   * The projection brought up to the head of the stream: commits written
   * after it (a crash between the two writes) are applied and projected.
   */
  private async catchUp(entryId: string, projection: ProjectionItem | undefined): Promise<LoadedEntry | undefined> {
    const after = projection?.version ?? 0;
    const commits = await this.commitsAfter(entryId, after, { probeNext: true });
    if (!projection && commits.length === 0) return undefined;
    const handedOff = projection ? (projection.handedOff ?? projection.version) : 0;
    let loaded: LoadedEntry | undefined = projection && { state: projection.state, version: projection.version, head: { seq: projection.headSeq, hash: projection.headHash }, handedOff };
    for (const commit of commits) loaded = { ...applyCommit(loaded, commit), handedOff };
    // Commits written but not projected (a crash in between) are handed off by the sweep, not by a read.
    if (loaded && commits.length > 0) await this.project(loaded);
    return loaded && this.remember(entryId, loaded);
  }

  /**
   * Keeps an entry as it now stands, unless a later version is kept already
   * (commands of this process run side by side). The one kept is a copy, so
   * no caller can change it.
   */
  private remember(entryId: string, entry: LoadedEntry): LoadedEntry {
    const kept = this.recent.get(entryId);
    if (kept && kept.version > entry.version) return entry;
    this.recent.delete(entryId);
    if (entry.handedOff !== entry.version) return entry;
    this.recent.set(entryId, structuredClone(entry));
    if (this.recent.size > RECENT_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
    return entry;
  }

  /** A kept entry found current: last to go now, and answered as a copy. */
  private recall(entryId: string, kept: LoadedEntry): LoadedEntry {
    if (this.recent.get(entryId) === kept) {
      this.recent.delete(entryId);
      this.recent.set(entryId, kept);
    }
    return structuredClone(kept);
  }

  /** Whether the trail holds this version of the entry. */
  private async hasCommit(entryId: string, version: number): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.tables.audit, Key: { entryId, version }, ProjectionExpression: 'version', ConsistentRead: true }));
    return out.Item !== undefined;
  }

  /**
   * Appends the events decided for an entry at the version it was loaded at.
   * @throws ConcurrentUpdateError when another command committed first.
   */
  async commit(entryId: string, loaded: LoadedEntry | undefined, pending: PendingEvent[], actor: Actor, at: Date): Promise<{ entry: LoadedEntry; events: AuditEvent[] }> {
    const version = (loaded?.version ?? 0) + 1;
    const events = chainEvents(entryId, loaded?.head ?? { seq: 0, hash: GENESIS_HASH }, pending, actor, at.toISOString());
    const applied = applyCommit(loaded, { entryId, version, events });
    const partnerEvents = partnerEventsOf(applied.state, events);
    const item: CommitItem = { entryId, version, events, ...(partnerEvents.length > 0 ? { partnerEvents } : {}) };
    try {
      await this.db.send(new PutCommand({
        TableName: this.tables.audit,
        Item: item,
        // Nothing may overwrite a commit: the version is claimed once.
        ConditionExpression: 'attribute_not_exists(entryId)',
      }));
    } catch (error) {
      this.recent.delete(entryId);
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`Entry ${entryId} changed while this command ran`, { cause: error });
      throw error;
    }
    const before = loaded?.handedOff ?? 0;
    const upToDate = before === (loaded?.version ?? 0);
    // Nothing for partners, and nothing older waiting: handed off as it is written.
    const entry = { ...applied, handedOff: upToDate && partnerEvents.length === 0 ? version : before };
    await this.project(entry, loaded?.state);
    const handedOff = upToDate && partnerEvents.length > 0 && (await this.tryHandOff(entryId, version, partnerEvents));
    // What the caller commits on next must show the hand-off, or its commit would write the old mark back and queue the entry for the sweep.
    const committed = handedOff ? { ...entry, handedOff: version } : entry;
    this.remember(entryId, committed);
    return { entry: committed, events };
  }

  /**
   * Loads an entry, decides on its current state and commits the result.
   * When another command commits first, it decides again on the new state
   * (a decision that no longer holds then fails as it should), a bounded number of times.
   */
  async apply<R>(entryId: string, decide: (loaded: LoadedEntry) => { events: PendingEvent[]; result: R }, actor: Actor, at: Date, options: { attempts?: number; loaded?: LoadedEntry } = {}): Promise<{ entry: LoadedEntry; events: AuditEvent[]; result: R }> {
    const attempts = options.attempts ?? 4;
    // A caller that already loaded the entry (to check scope before other work) saves the first read.
    let preloaded = options.loaded;
    for (let attempt = 1; ; attempt++) {
      const loaded = preloaded ?? (await this.load(entryId));
      preloaded = undefined;
      if (!loaded) throw notFound(`Entry ${entryId}`);
      const { events: pending, result } = decide(loaded);
      if (pending.length === 0) return { entry: loaded, events: [], result };
      try {
        return { ...(await this.commit(entryId, loaded, pending, actor, at)), result };
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= attempts) throw error;
      }
    }
  }


  /** Hands off partner events up to `version` and records it; a failure is logged and left to the sweep. */
  private async tryHandOff(entryId: string, version: number, events: PartnerEvent[]): Promise<boolean> {
    try {
      if (this.handOff && events.length > 0) await this.handOff(events);
      await this.markHandedOff(entryId, version);
      return true;
    } catch (error) {
      log.warn('partner events not handed off yet; the sweep tries again', { entryId, version, error });
      return false;
    }
  }

  private async markHandedOff(entryId: string, version: number) {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tables.entries,
        Key: entryKey(entryId),
        // Out of the HANDOFF queue only when no later commit is waiting.
        UpdateExpression: 'SET handedOff = :v REMOVE queueKey, queueSort',
        ConditionExpression: 'version = :v AND (attribute_not_exists(handedOff) OR handedOff < :v)',
        ExpressionAttributeValues: { ':v': version },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.db.send(new UpdateCommand({
        TableName: this.tables.entries,
        Key: entryKey(entryId),
        UpdateExpression: 'SET handedOff = :v',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(handedOff) OR handedOff < :v)',
        ExpressionAttributeValues: { ':v': version },
      })).catch((e: unknown) => {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      });
    }
  }

  /**
   * The outbox sweep: hands off the partner events of every entry whose
   * hand-off failed or was interrupted, from the HANDOFF queue of the index.
   * Answers how many entries it handed off.
   */
  async handOffPending(limit = 100): Promise<number> {
    const out = await this.db.send(new QueryCommand({ TableName: this.tables.entries, IndexName: 'byQueue', KeyConditionExpression: 'queueKey = :k', ExpressionAttributeValues: { ':k': HANDOFF_QUEUE }, Limit: limit }));
    let done = 0;
    for (const item of (out.Items ?? []) as ProjectionItem[]) {
      const commits = (await this.commitsAfter(item.state.entryId, item.handedOff ?? 0)).filter((c) => c.version <= item.version);
      if (await this.tryHandOff(item.state.entryId, item.version, commits.flatMap((c) => c.partnerEvents ?? []))) done++;
    }
    return done;
  }

  /** The entry and case a repair certificate was issued on. */
  async certificate(code: string): Promise<{ entryId: string; caseId: string } | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.tables.entries, Key: { pk: `CERT#${code}`, sk: 'CERT' } }))).Item;
    return item ? { entryId: item.entryId as string, caseId: item.caseId as string } : undefined;
  }

  /** The entry a case belongs to, from the case's projection. */
  async entryIdOfCase(caseId: string): Promise<string | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.tables.entries, Key: caseKey(caseId), ProjectionExpression: 'entryId' }))).Item;
    return item?.entryId as string | undefined;
  }

  /**
   * Open cases of one queue, soonest deadline first, from the queue index.
   * Reads one item past the page, so a cursor is handed back only while more remain.
   * A filter (case kind, list type) stays on the index query: it reads on
   * until the page is full or the queue ends, a bounded number of reads, and
   * the cursor then resumes where the reading stopped.
   */
  async queue(queueKey: string, limit: number, cursor?: string, filter: QueueFilter = {}): Promise<{ items: CaseProjection[]; nextCursor?: string }> {
    let start = decodeCursor(cursor);
    // Only a cursor of this very queue: another queue's would read outside it, and a made-up one is not a key.
    if (start && (start.queueKey !== queueKey || ['pk', 'sk', 'queueSort'].some((k) => typeof start![k] !== 'string') || Object.keys(start).length !== 4)) {
      throw invalid([{ path: 'cursor', message: 'not a cursor of this queue' }]);
    }
    const condition = queueFilterExpression(filter);
    const items: CaseProjection[] = [];
    for (let reads = 0; reads < (condition ? MAX_FILTERED_READS : 1); reads++) {
      const out = await this.db.send(new QueryCommand({
        TableName: this.tables.entries,
        IndexName: 'byQueue',
        KeyConditionExpression: 'queueKey = :k',
        ...(condition ? { FilterExpression: condition.expression, ExpressionAttributeNames: condition.names } : {}),
        ExpressionAttributeValues: { ':k': queueKey, ...condition?.values },
        Limit: limit + 1 - items.length,
        ScanIndexForward: true,
        ExclusiveStartKey: start,
      }));
      items.push(...((out.Items ?? []) as CaseProjection[]));
      start = out.LastEvaluatedKey;
      if (!start || items.length > limit) break;
    }
    // Fewer than asked for with a key left: DynamoDB stopped at its 1 MB page or the filter's read bound, and more remain.
    if (items.length <= limit) return { items, nextCursor: encodeCursor(start) };
    const last = items[limit - 1]!;
    return { items: items.slice(0, limit), nextCursor: encodeCursor({ pk: last.pk, sk: last.sk, queueKey: last.queueKey, queueSort: last.queueSort }) };
  }

  /** The partner events of an entry, in order. */
  async partnerEvents(entryId: string): Promise<PartnerEvent[]> {
    return (await this.commitsAfter(entryId, 0)).flatMap((c) => c.partnerEvents ?? []);
  }

  /** Every event of an entry's trail, oldest first. */
  async auditTrail(entryId: string): Promise<AuditEvent[]> {
    return (await this.commitsAfter(entryId, 0)).flatMap((c) => c.events);
  }

  /** Every open case of one queue, all pages of it, for the statistics (the reviewers' queue reads one page at a time). */
  async openCases(queueKey: string): Promise<CaseState[]> {
    return this.casesOf(queueKey);
  }

  /** The cases of an agency that finished (decided, withdrawn, closed) at or after an instant, from the finished index. */
  async finishedCases(agencyId: string, sinceIso: string): Promise<CaseState[]> {
    return this.casesOf(finishedQueue(agencyId), new Date(sinceIso).toISOString());
  }

  private async casesOf(queueKey: string, sortFrom?: string): Promise<CaseState[]> {
    const cases: CaseState[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.tables.entries,
        IndexName: 'byQueue',
        KeyConditionExpression: sortFrom ? 'queueKey = :k AND queueSort >= :from' : 'queueKey = :k',
        ExpressionAttributeValues: { ':k': queueKey, ...(sortFrom ? { ':from': sortFrom } : {}) },
        // `case` is a reserved word.
        ProjectionExpression: '#case',
        ExpressionAttributeNames: { '#case': 'case' },
        ExclusiveStartKey: startKey,
      }));
      cases.push(...(page.Items ?? []).map((i) => (i as Pick<CaseProjection, 'case'>).case));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return cases;
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

  /**
   * The public search: published entries while listed, newest first. A full
   * identifier is looked up by subject; other text matches within the name.
   * Never a fragment of an identifier, which would unmask it.
   */
  async searchPublic(q: string | undefined, limit: number, cursor?: string): Promise<{ entries: EntryState[]; nextCursor?: string }> {
    const text = q?.trim().toUpperCase();
    if (!text) return this.page('publicListed', 'publicKey', 'LISTED', limit, cursor);
    if (FULL_IDENTIFIER.test(text)) return this.page('bySubject', 'subjectKey', `SUBJECT#${text}`, limit, cursor, { expression: 'attribute_exists(publicKey)', values: {} });
    return this.page('publicListed', 'publicKey', 'LISTED', limit, cursor, { expression: 'contains(searchName, :q)', values: { ':q': text } });
  }

  /**
   * One page of an index, newest first. With a filter, reads on until the
   * page is full or the index ends, a bounded number of reads; the cursor
   * then resumes where the reading stopped.
   */
  private async page(indexName: string, keyName: string, keyValue: string, limit: number, cursor?: string, filter?: { expression: string; values: Record<string, unknown> }) {
    const entries: EntryState[] = [];
    let startKey = decodeCursor(cursor);
    if (startKey && !(keyName in startKey)) throw invalid([{ path: 'cursor', message: 'not a cursor of this search' }]);
    for (let reads = 0; reads < (filter ? MAX_FILTERED_READS : 1); reads++) {
      const out = await this.db.send(new QueryCommand({
        TableName: this.tables.entries,
        IndexName: indexName,
        KeyConditionExpression: `${keyName} = :k`,
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeValues: { ':k': keyValue, ...filter?.values },
        Limit: limit - entries.length,
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
      }));
      entries.push(...(out.Items ?? []).map((i) => (i as ProjectionItem).state));
      startKey = out.LastEvaluatedKey;
      if (!startKey || entries.length >= limit) break;
    }
    return { entries, nextCursor: encodeCursor(startKey) };
  }

  /**
   * The commits after `version`, oldest first. Versions are claimed one after
   * another, so with `probeNext` one item read of the next version answers the
   * usual case, that there is none, for less than a query costs.
   */
  private async commitsAfter(entryId: string, version: number, options: { probeNext?: boolean } = {}): Promise<CommitItem[]> {
    if (options.probeNext) {
      const next = (await this.db.send(new GetCommand({ TableName: this.tables.audit, Key: { entryId, version: version + 1 }, ConsistentRead: true }))).Item as CommitItem | undefined;
      return next ? [next, ...(await this.commitsAfter(entryId, version + 1))] : [];
    }
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

  /**
   * Writes the projections unless newer ones are already there: the changed
   * cases first, then the entry, whose version marks the whole commit as projected.
   */
  private async project(entry: LoadedEntry, previous?: EntryState): Promise<void> {
    const { state } = entry;
    const before = new Map((previous?.cases ?? []).map((c) => [c.caseId, JSON.stringify(c)]));
    for (const c of state.cases) {
      if (before.get(c.caseId) === JSON.stringify(c)) continue;
      const queueKey = isOpenCase(c) ? (c.level === 'agency' ? agencyQueue(c.agencyId) : provincialQueue(c.provinceCode)) : undefined;
      const finished = finishedAt(c);
      await this.putIfNewer({
        ...caseKey(c.caseId),
        version: entry.version,
        entryId: state.entryId,
        case: c,
        entry: { entryId: state.entryId, status: state.status, listType: state.listType, subjectName: state.subject.name, subjectId: state.subject.id },
        ...(queueKey ? { queueKey, queueSort: `${c.deadlineAt}#${c.caseId}` } : {}),
        // One time format, so the finished index sorts and is read by range in time order.
        ...(!queueKey && finished ? { queueKey: finishedQueue(c.agencyId), queueSort: `${new Date(finished).toISOString()}#${c.caseId}` } : {}),
      });
      // An approved repair's certificate is looked up by its code alone.
      if (c.decision?.certificate) {
        await this.db.send(new PutCommand({ TableName: this.tables.entries, Item: { pk: `CERT#${c.decision.certificate}`, sk: 'CERT', entryId: state.entryId, caseId: c.caseId } }));
      }
    }
    const item: ProjectionItem = {
      ...entryKey(state.entryId),
      version: entry.version,
      headSeq: entry.head.seq,
      headHash: entry.head.hash,
      state,
      subjectKey: `SUBJECT#${state.subject.id}`,
      subjectSort: `${state.proposedAt}#${state.entryId}`,
      searchName: state.subject.name.toUpperCase(),
      // Only published list types appear in the public search, and only while listed.
      ...(state.status === 'listed' && state.published ? { publicKey: 'LISTED', publicSort: `${state.listedAt ?? ''}#${state.entryId}` } : {}),
      handedOff: entry.handedOff ?? entry.version,
      ...((entry.handedOff ?? entry.version) < entry.version ? { queueKey: HANDOFF_QUEUE, queueSort: `${entry.version}#${state.entryId}` } : {}),
    };
    await this.putIfNewer(item);
  }

  private async putIfNewer(item: ProjectionItem | (CaseProjection & { entryId: string })) {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tables.entries,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR version < :v',
        ExpressionAttributeValues: { ':v': item.version },
      }));
    } catch (error) {
      // A newer projection is already in place: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function decodeCursor(cursor?: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below: a cursor this API did not issue.
  }
  throw invalid([{ path: 'cursor', message: 'not a cursor this API issued' }]);
}
const encodeCursor = (key?: Record<string, unknown>) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);

function applyCommit(loaded: LoadedEntry | undefined, commit: CommitItem): LoadedEntry {
  let state = loaded?.state;
  for (const event of commit.events) state = evolve(state, event);
  const last = commit.events[commit.events.length - 1];
  if (!state || !last) throw new Error(`Commit ${commit.version} of ${commit.entryId} has no events`);
  return { state, version: commit.version, head: { seq: last.seq, hash: last.hash } };
}
