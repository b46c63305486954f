import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDefinition } from '../../shared/stores/tables.js';

/** How long a new table may take to become ACTIVE (dynalite creates it asynchronously, slower on a busy machine). */
const ACTIVE_WITHIN_MS = 30_000;

/** Creates any missing table from the same definitions the CDK stack deploys, and returns once every table is ACTIVE. */
export async function ensureTables(dynamo: DynamoDBClient, names: Record<keyof typeof TABLES, string>): Promise<void> {
  for (const [key, def] of Object.entries(TABLES) as Array<[keyof typeof TABLES, TableDefinition]>) {
    await createIfMissing(dynamo, names[key], def);
    await untilActive(dynamo, names[key]);
  }
}

async function untilActive(dynamo: DynamoDBClient, TableName: string) {
  const deadline = Date.now() + ACTIVE_WITHIN_MS;
  for (;;) {
    const status = (await dynamo.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`Table ${TableName} is still ${status} after ${ACTIVE_WITHIN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function createIfMissing(dynamo: DynamoDBClient, TableName: string, def: TableDefinition) {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const keys = [def.partitionKey, def.sortKey, ...def.indexes.flatMap((ix) => [ix.partitionKey, ix.sortKey])];
  const attributes = [...new Map(keys.map((k) => [k.name, k])).values()];
  await dynamo.send(new CreateTableCommand({
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: def.indexes.length
      ? def.indexes.map((ix) => ({
          IndexName: ix.indexName,
          KeySchema: [
            { AttributeName: ix.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: ix.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }))
      : undefined,
  }));
}
