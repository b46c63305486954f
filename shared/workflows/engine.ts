/**
 * The one port through which functions talk to the workflow engine: AWS Step
 * Functions when deployed, the local runner on one machine.
 */
export type MachineKey = 'listingLifecycle' | 'caseReview' | 'partnerDelivery' | 'listingBatch';

export interface WorkflowEngine {
  /** Starts an execution; the same name again returns the existing execution. */
  startExecution(machine: MachineKey, name: string, input: unknown): Promise<{ executionArn: string }>;
  /** Completes a callback task, as SendTaskSuccess. */
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  /** Fails a callback task, as SendTaskFailure. */
  sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void>;
}

/** A task token that names no waiting task (completed, timed out, or never issued). */
export class TaskDoesNotExist extends Error {
  override readonly name = 'TaskDoesNotExist';
}
