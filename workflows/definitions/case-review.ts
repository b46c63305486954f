import type { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { awaitCallback, invokeTask } from './task-invoke.js';

/**
 * The review of one case against its deadline: the agency decides within the
 * policy's working days or the case escalates to the province, which has its
 * own deadline and is reminded while overdue. Input: { caseId, entryId }.
 */
export function caseReview(scope: Construct, tasksFn: IFunction): sfn.IChainable {
  const open = invokeTask(scope, 'OpenReview', tasksFn, 'openReview', { 'caseId.$': '$.caseId', 'entryId.$': '$.entryId' }, '$.review');
  const agencyDecision = awaitCallback(scope, 'AwaitAgencyDecision', tasksFn, 'awaitDecision', { 'caseId.$': '$.caseId', level: 'agency' }, '$.review.secondsLeft', '$.decision');
  const escalate = invokeTask(scope, 'EscalateToProvince', tasksFn, 'escalateCase', { 'caseId.$': '$.caseId' }, '$.review');
  const provincialDecision = awaitCallback(scope, 'AwaitProvincialDecision', tasksFn, 'awaitDecision', { 'caseId.$': '$.caseId', level: 'province' }, '$.review.secondsLeft', '$.decision');
  // A provincial breach does not end the case: it is marked overdue and reminded every working day until decided.
  const overdue = invokeTask(scope, 'MarkProvincialOverdue', tasksFn, 'markOverdue', { 'caseId.$': '$.caseId' }, '$.review');
  const decided = new sfn.Succeed(scope, 'Decided');

  agencyDecision.addCatch(escalate, { errors: ['States.Timeout'], resultPath: '$.breach' });
  provincialDecision.addCatch(overdue, { errors: ['States.Timeout'], resultPath: '$.breach' });
  overdue.next(provincialDecision);
  escalate.next(provincialDecision);
  provincialDecision.next(decided);
  return open.next(agencyDecision).next(decided);
}
