import type { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { awaitCallback, invokeTask } from './task-invoke.js';

/**
 * The review of one case against its deadline. Input: { caseId, entryId }.
 *
 * OpenReview acknowledges the case and answers what to wait for and for how
 * long. AwaitDecision parks until the API changes the case (a decision,
 * withdrawal, extension or request for material) and wakes it, or the next
 * reminder or the deadline falls due. AwaitSupplement parks while the clock
 * stands still for the subject's answer, until it arrives or its time runs
 * out. Either way ReviewTimer then looks again: it reminds the reviewers,
 * escalates an agency breach to the province, marks a provincial breach
 * overdue, resumes a pause that ran out, and serves the subject's notices.
 * CloseReview tells the subject the decision and lets a held listing go on.
 * All the rules live in the domain; the machine only keeps time.
 */
export function caseReview(scope: Construct, tasksFn: IFunction): sfn.IChainable {
  const payload = { 'caseId.$': '$.caseId', 'entryId.$': '$.entryId' };
  const waiting = { ...payload, 'clockKey.$': '$.review.clockKey' };
  const open = invokeTask(scope, 'OpenReview', tasksFn, 'openReview', payload, '$.review');
  const awaitDecision = awaitCallback(scope, 'AwaitDecision', tasksFn, 'awaitDecision', waiting, '$.review.secondsLeft', sfn.JsonPath.DISCARD);
  const awaitSupplement = awaitCallback(scope, 'AwaitSupplement', tasksFn, 'awaitSupplement', waiting, '$.review.secondsLeft', sfn.JsonPath.DISCARD);
  const timer = invokeTask(scope, 'ReviewTimer', tasksFn, 'reviewTimer', payload, '$.review');
  const close = invokeTask(scope, 'CloseReview', tasksFn, 'closeReview', payload, '$.closed');
  const next = new sfn.Choice(scope, 'Next step?')
    .when(sfn.Condition.booleanEquals('$.review.open', false), close)
    .when(sfn.Condition.stringEquals('$.review.step', 'await-info'), awaitSupplement)
    .otherwise(awaitDecision);

  for (const wait of [awaitDecision, awaitSupplement]) {
    wait.addCatch(timer, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
    wait.next(timer);
  }
  timer.next(next);
  close.next(new sfn.Succeed(scope, 'Closed'));
  return open.next(next);
}
