import type { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { awaitCallback, invokeTask } from './task-invoke.js';

/**
 * The review of one case against its deadline. Input: { caseId, entryId }.
 *
 * OpenReview acknowledges the case and answers the seconds to its deadline.
 * AwaitDecision parks until the API commits a decision (and wakes it) or the
 * timer falls due; ReviewTimer then escalates an agency breach to the
 * province, marks a provincial breach overdue and reminds every working day,
 * or reports a moved deadline, and the review waits again. CloseReview tells
 * the subject the decision and lets a held listing go on. All the rules live
 * in the domain; the machine only keeps time.
 */
export function caseReview(scope: Construct, tasksFn: IFunction): sfn.IChainable {
  const payload = { 'caseId.$': '$.caseId', 'entryId.$': '$.entryId' };
  const open = invokeTask(scope, 'OpenReview', tasksFn, 'openReview', payload, '$.review');
  const awaitDecision = awaitCallback(scope, 'AwaitDecision', tasksFn, 'awaitDecision', payload, '$.review.secondsLeft', sfn.JsonPath.DISCARD);
  const timer = invokeTask(scope, 'ReviewTimer', tasksFn, 'reviewTimer', payload, '$.review');
  const close = invokeTask(scope, 'CloseReview', tasksFn, 'closeReview', payload, '$.closed');
  const stillOpen = new sfn.Choice(scope, 'Still open?')
    .when(sfn.Condition.booleanEquals('$.review.open', true), awaitDecision)
    .otherwise(close);

  awaitDecision.addCatch(timer, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  timer.next(stillOpen);
  awaitDecision.next(close);
  close.next(new sfn.Succeed(scope, 'Closed'));
  return open.next(stillOpen);
}
