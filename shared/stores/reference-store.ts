import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { catalogueSchema, type Catalogue } from '../policy/schema.js';

const KINDS = { profiles: 'PROFILE', listTypes: 'LIST_TYPE', agencies: 'AGENCY', provinces: 'PROVINCE' } as const;

/** Policy profiles, list types, agencies and provincial review offices, stored as validated data. */
export class ReferenceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Writes the catalogue; re-seeding the same data is harmless (same keys, same values). */
  async seed(catalogue: Catalogue): Promise<void> {
    const valid = catalogueSchema.parse(catalogue);
    const items = [
      ...valid.profiles.map((p) => ({ pk: KINDS.profiles, sk: `${p.profileId}#v${String(p.version).padStart(4, '0')}`, doc: p })),
      ...valid.listTypes.map((t) => ({ pk: KINDS.listTypes, sk: t.listType, doc: t })),
      ...valid.agencies.map((a) => ({ pk: KINDS.agencies, sk: a.agencyId, doc: a })),
      ...valid.provinces.map((p) => ({ pk: KINDS.provinces, sk: p.provinceCode, doc: p })),
    ];
    for (let i = 0; i < items.length; i += 25) {
      let requests: Record<string, unknown[]> = { [this.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      // Unprocessed items are retried a bounded number of times, then reported.
      for (let attempt = 0; attempt < 5 && Object.keys(requests).length > 0; attempt++) {
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: requests as never }));
        requests = (out.UnprocessedItems ?? {}) as Record<string, unknown[]>;
      }
      if (Object.keys(requests).length > 0) throw new Error('Seeding the reference data did not complete');
    }
  }

  async load(): Promise<Catalogue> {
    const [profiles, listTypes, agencies, provinces] = await Promise.all(Object.values(KINDS).map((pk) => this.all(pk)));
    return catalogueSchema.parse({ profiles, listTypes, agencies, provinces });
  }

  private async all(pk: string): Promise<unknown[]> {
    const docs: unknown[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: startKey }));
      docs.push(...(page.Items ?? []).map((i) => i.doc));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return docs;
  }
}
