import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import dynalite from 'dynalite';
import { EntryStore } from '../../shared/stores/entry-store.js';
import type { TableNames } from '../../shared/stores/tables.js';
import { ensureTables } from './tables.js';

export const LOCAL_TABLES: TableNames = { entries: 'Entries', audit: 'AuditTrail', reference: 'Reference' };
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const HOST = '127.0.0.1';

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(port, HOST, () => res((server.address() as AddressInfo).port));
  });
}

export interface LocalStores {
  url: string;
  dynamo: DynamoDBClient;
  db: DynamoDBDocumentClient;
  entries: EntryStore;
  close(): Promise<void>;
}

/** dynalite on disk under dataDir, with the tables created from the shared definitions. */
export async function startLocalStores(dataDir: string, port = 0): Promise<LocalStores> {
  const server = dynalite({ path: join(resolve(dataDir), 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const url = `http://${HOST}:${await listen(server, port)}`;
  const dynamo = new DynamoDBClient({ endpoint: url, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 5 });
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  await ensureTables(dynamo, LOCAL_TABLES);
  return {
    url,
    dynamo,
    db,
    entries: new EntryStore(db, LOCAL_TABLES),
    async close() {
      dynamo.destroy();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
