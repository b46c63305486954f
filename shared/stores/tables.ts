/**
 * The one source of truth for keys and indexes: the CDK stack and the local
 * start both build their tables from these definitions.
 */
export type KeyType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: KeyType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey: KeyDefinition;
}

export interface TableDefinition {
  /** Construct id in CDK and the table name locally. */
  logicalName: string;
  partitionKey: KeyDefinition;
  sortKey: KeyDefinition;
  indexes: IndexDefinition[];
  /** Audit data: deletion protection, and no role may update or delete its items. */
  immutable: boolean;
  /** The epoch-seconds attribute DynamoDB deletes expired items by (dynalite keeps them: nothing may rely on the deletion). */
  timeToLiveAttribute?: string;
}

const s = (name: string): KeyDefinition => ({ name, type: 'S' });

export const TABLES = {
  /** Projections of entries and cases, idempotency records, rate-limit counters and queue/search indexes. */
  entries: {
    logicalName: 'Entries',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [
      { indexName: 'bySubject', partitionKey: s('subjectKey'), sortKey: s('subjectSort') },
      { indexName: 'byQueue', partitionKey: s('queueKey'), sortKey: s('queueSort') },
      { indexName: 'publicListed', partitionKey: s('publicKey'), sortKey: s('publicSort') },
    ],
    immutable: false,
    // Rate-limit counters outlive their window by a little and are then removed.
    timeToLiveAttribute: 'ttlEpochSeconds',
  },
  /** The append-only, hash-chained trail: one item per commit on an entry. */
  audit: {
    logicalName: 'AuditTrail',
    partitionKey: s('entryId'),
    sortKey: { name: 'version', type: 'N' },
    indexes: [],
    immutable: true,
  },
  /** Policy profiles, list types and agencies. */
  reference: {
    logicalName: 'Reference',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [],
    immutable: false,
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLES;
export type TableNames = Record<TableKey, string>;
