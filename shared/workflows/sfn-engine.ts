import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, ExecutionAlreadyExists, TaskDoesNotExist as SfnTaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { TaskDoesNotExist, type MachineKey, type WorkflowEngine } from './engine.js';

/** Step Functions on AWS, with the state machine ARNs from the composition root. */
export class SfnWorkflowEngine implements WorkflowEngine {
  constructor(
    private readonly sfn: SFNClient,
    private readonly machineArns: Record<MachineKey, string>,
  ) {}

  async startExecution(machine: MachineKey, name: string, input: unknown) {
    const stateMachineArn = this.machineArns[machine];
    try {
      const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return { executionArn: out.executionArn! };
    } catch (error) {
      // Standard workflows are idempotent by name for the same input: the earlier start stands.
      if (error instanceof ExecutionAlreadyExists) {
        return { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}` };
      }
      throw error;
    }
  }

  async sendTaskSuccess(taskToken: string, output: unknown) {
    await this.translate(() => this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) })));
  }

  async sendTaskFailure(taskToken: string, error: string, cause?: string) {
    await this.translate(() => this.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })));
  }

  private async translate(call: () => Promise<unknown>) {
    try {
      await call();
    } catch (error) {
      if (error instanceof SfnTaskDoesNotExist || error instanceof TaskTimedOut) throw new TaskDoesNotExist(error.message, { cause: error });
      throw error;
    }
  }
}
