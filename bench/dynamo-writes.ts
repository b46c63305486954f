import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB writes counted on a client: requests, items written, bytes, and write request units as on-demand bills them. */
export interface WriteTally {
  /** PutItem, UpdateItem, DeleteItem and BatchWriteItem calls that succeeded. */
  requests: number;
  /** Items written (a BatchWriteItem counts each of its items). */
  items: number;
  /** Item sizes summed, as DynamoDB sizes them (attribute names and values). */
  bytes: number;
  /** ceil(item size / 1 KB) per item written. */
  writeUnits: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** The size DynamoDB gives an attribute value (developer guide, "Item sizes and formats"), numbers approximated by their digits. */
function valueBytes(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, s) => n + utf8(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueBytes(x), 0);
  if (v.M) return 3 + itemBytes(v.M);
  return 0;
}

export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((n, [name, value]) => n + utf8(name) + valueBytes(value), 0);
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const empty = (): WriteTally => ({ requests: 0, items: 0, bytes: 0, writeUnits: 0 });

/**
 * Counts what a client writes, through a middleware after the document
 * client's marshalling, so every store's writes pass through it. A PutItem
 * is sized by its item. An UpdateItem is sized by the item after it, read
 * back with a second client when `sizeUpdates` is set (for cost figures,
 * not for timings), else counted as one unit; a DeleteItem as one unit.
 */
export function countWrites(client: DynamoDBClient, options: { sizeUpdates?: DynamoDBClient } = {}): { take(): WriteTally; peek(): WriteTally } {
  let tally = empty();
  const add = (bytes: number) => {
    tally.items++;
    tally.bytes += bytes;
    tally.writeUnits += units(bytes);
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (!WRITES.has(context.commandName ?? '')) return result;
      const input = args.input as { TableName?: string; Item?: Record<string, AttributeValue>; Key?: Record<string, AttributeValue>; RequestItems?: Record<string, Array<{ PutRequest?: { Item: Record<string, AttributeValue> } }>> };
      tally.requests++;
      if (input.Item) add(itemBytes(input.Item));
      else if (input.RequestItems) for (const requests of Object.values(input.RequestItems)) for (const r of requests) add(r.PutRequest ? itemBytes(r.PutRequest.Item) : 0);
      else if (context.commandName === 'UpdateItemCommand' && options.sizeUpdates && input.Key) {
        const after = await options.sizeUpdates.send(new GetItemCommand({ TableName: input.TableName, Key: input.Key, ConsistentRead: true }));
        add(after.Item ? itemBytes(after.Item) : 0);
      } else add(0);
      return result;
    },
    { step: 'build', name: 'benchWriteTally' },
  );
  return {
    peek: () => ({ ...tally }),
    take() {
      const taken = tally;
      tally = empty();
      return taken;
    },
  };
}
