import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { log } from '../platform/log.js';
import { TaskDoesNotExist, type WorkflowEngine } from './engine.js';

const WAKE_ATTEMPTS = 3;

/** What a parked workflow waits for: a case decision, or the end of a representation before listing. */
export type WakeKey = `review:${string}` | `listing:${string}`;

/**
 * Task tokens of workflows parked on a callback, by what they wait for. The
 * API wakes them after committing the change they wait for; a workflow that
 * already moved on (timed out, or woken before) is not an error. A wake lost
 * to a crash is caught by the callback's own timeout, which rechecks the state.
 */
export class WakeTokens {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly workflows: WorkflowEngine,
  ) {}

  async park(key: WakeKey, token: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `WAKE#${key}`, sk: 'TOKEN', token } }));
  }

  /** Resumes the workflow parked on `key`, if any. */
  async wake(key: WakeKey, output: Record<string, unknown> = {}): Promise<boolean> {
    const item = (await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `WAKE#${key}`, sk: 'TOKEN' }, ConsistentRead: true }))).Item;
    if (!item) return false;
    try {
      await this.workflows.sendTaskSuccess(item.token as string, output);
      return true;
    } catch (error) {
      if (error instanceof TaskDoesNotExist) return false;
      throw error;
    }
  }

  /**
   * Wakes a workflow after a change was committed. The change stands whatever
   * happens here: a wake that fails is tried again a little, then left to the
   * workflow's own timer, and never turns a committed change into an error.
   */
  async wakeAfterCommit(key: WakeKey): Promise<void> {
    for (let attempt = 1; attempt <= WAKE_ATTEMPTS; attempt++) {
      try {
        await this.wake(key);
        return;
      } catch (error) {
        if (attempt === WAKE_ATTEMPTS) log.warn('wake-up failed; the workflow looks again on its own timer', { key, error });
        else await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}
