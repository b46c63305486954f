import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a waiting state stands, so it resumes with the same deadline and token after a restart. */
export interface Parked {
  stateName: string;
  kind: 'wait' | 'callback' | 'retry';
  dueAt?: string;
  token?: string;
  /** The callback's registration task ran (the token reached the handler). */
  registered?: boolean;
  /** Attempts used per retrier of the state. */
  attempts?: number[];
}

export interface ExecutionRecord {
  executionArn: string;
  machine: string;
  name: string;
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  stoppedAt?: string;
  output?: unknown;
  error?: { error: string; cause: string };
  /** The last state entered and its raw input: where a restart resumes. */
  checkpoint?: { stateName: string; rawInput: unknown };
  parked?: Parked;
  /** States entered so far, as Step Functions bills them (the runner's own checkpoint states excluded). */
  transitions?: number;
}

/** One JSON file per execution under DATA_DIR, replaced atomically on each change. */
export class ExecutionStore {
  /**
   * The records on disk, listed once at init and kept with every save, so
   * asking for one that does not exist (every new execution) opens no file.
   * The directory belongs to one running system, as the tables beside it do.
   */
  private present?: Set<string>;

  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.present = new Set((await readdir(this.dir)).filter((n) => n.endsWith('.json')));
  }

  async save(record: ExecutionRecord): Promise<void> {
    const file = join(this.dir, fileName(record.executionArn));
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify(record));
    await rename(tmp, file);
    this.present?.add(fileName(record.executionArn));
  }

  async get(executionArn: string): Promise<ExecutionRecord | undefined> {
    if (this.present && !this.present.has(fileName(executionArn))) return undefined;
    try {
      return JSON.parse(await readFile(join(this.dir, fileName(executionArn)), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async all(): Promise<ExecutionRecord[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(this.dir, n), 'utf8')) as ExecutionRecord));
  }
}

function fileName(executionArn: string): string {
  return `${Buffer.from(executionArn).toString('base64url')}.json`;
}
