import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDefinition } from '../../shared/stores/tables.js';

/** Creates any missing table from the same definitions the CDK stack deploys. */
export async function ensureTables(dynamo: DynamoDBClient, names: Record<keyof typeof TABLES, string>): Promise<void> {
  for (const [key, def] of Object.entries(TABLES) as Array<[keyof typeof TABLES, TableDefinition]>) {
    const TableName = names[key];
    try {
      await dynamo.send(new DescribeTableCommand({ TableName }));
      continue;
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
}
