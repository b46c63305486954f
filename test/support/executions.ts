import type { LocalWorkflowRunner } from '../../workflows/local-runner/runner.js';
import type { ExecutionRecord } from '../../workflows/local-runner/execution-store.js';

export const executionArn = (machine: string, name: string) => `arn:aws:states:local:000000000000:execution:${machine}:${name}`;

/** A listing's executions: the first, then each continuation past the one-year limit of an execution, in order. */
export async function listingChain(runner: LocalWorkflowRunner, entryId: string): Promise<ExecutionRecord[]> {
  const chain: ExecutionRecord[] = [];
  for (let g = 0; ; g++) {
    const record = await runner.describeExecution(executionArn('listingLifecycle', g === 0 ? entryId : `${entryId}-c${g}`));
    if (!record) return chain;
    chain.push(record);
  }
}
