import type { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';

/** Transient failures of the task Lambda and its stores; domain refusals are not retried. */
export const TRANSIENT_ERRORS = ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException', 'TransientFailure'];
/**
 * Full jitter: each wait is drawn between zero and the back-off, so executions throttled together
 * (a burst of deadlines falling due at 24:00) do not all retry in the same second.
 */
export const RETRY_JITTER = sfn.JitterType.FULL;
const TRANSIENT_RETRY: sfn.RetryProps = { errors: TRANSIENT_ERRORS, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, jitterStrategy: RETRY_JITTER };

/**
 * A synchronous call of one named task handler of the tasks Lambda. The
 * payload names the task, so the same dispatcher runs on AWS and in the
 * local runner.
 */
export function invokeTask(scope: Construct, id: string, fn: IFunction, task: string, payload: Record<string, unknown>, resultPath: string | null) {
  const step = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject({ task, ...payload }),
    payloadResponseOnly: true,
    resultPath: resultPath === null ? sfn.JsonPath.DISCARD : resultPath,
    retryOnServiceExceptions: false,
  });
  step.addRetry(TRANSIENT_RETRY);
  return step;
}

/**
 * A callback task: the handler stores the token with the case, and the
 * execution waits until the API completes it or the deadline passes.
 */
export function awaitCallback(scope: Construct, id: string, fn: IFunction, task: string, payload: Record<string, unknown>, timeoutSecondsPath: string, resultPath: string) {
  const step = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ task, taskToken: sfn.JsonPath.taskToken, ...payload }),
    taskTimeout: sfn.Timeout.at(timeoutSecondsPath),
    resultPath,
    retryOnServiceExceptions: false,
  });
  // Storing the token can fail like any task; the deadline itself is never retried.
  step.addRetry(TRANSIENT_RETRY);
  return step;
}

/** How long a step whose quick retries ran out waits before it tries again. */
export const RETRY_LATER = Duration.minutes(5);

/**
 * A step that must happen, however long a provider is down (a notice the
 * subject is owed, a listing or delisting due by law): when its quick retries
 * run out it waits a few minutes and runs again, never failing the execution.
 * The step is idempotent, so a rerun finishes what the last run began.
 */
export function untilDone(scope: Construct, step: tasks.LambdaInvoke): tasks.LambdaInvoke {
  const later = new sfn.Wait(scope, `${step.id}Later`, { time: sfn.WaitTime.duration(RETRY_LATER) });
  step.addCatch(later, { errors: ['TransientFailure'], resultPath: sfn.JsonPath.DISCARD });
  later.next(step);
  return step;
}

