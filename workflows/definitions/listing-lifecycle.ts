import type { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { awaitCallback, invokeTask, untilDone } from './task-invoke.js';

/**
 * The life of an entry from proposal to removal. Input: { entryId, listingDueAt },
 * or { entryId, phase: 'listed' } for a continuation.
 *
 * SendPreListingNotice → AwaitListingDate (the representation window, or a
 * longer grace period) → ListEntry. A representation still open holds the
 * listing in AwaitRepresentationOutcome until it is decided (woken by the
 * review) or a day passes (it looks again). Once listed, AwaitExpiry waits
 * (woken early when a decision takes the entry off the list or moves its
 * expiry earlier) and DelistAtExpiry delists at the end of the period, or answers when to
 * look again (an extended period), or ends when the entry already left the
 * list. A Standard execution lives at most a year and listings last up to
 * several, so an execution near that limit continues as a new one
 * (ContinueAsNew) that picks up at DelistAtExpiry.
 * Every task is idempotent: run twice, it changes nothing more.
 */
export function listingLifecycle(scope: Construct, tasksFn: IFunction): sfn.IChainable {
  const entry = { 'entryId.$': '$.entryId' };
  const withAge = { ...entry, 'executionStartedAt.$': '$$.Execution.StartTime' };
  // The notices, the listing and the delisting wait out an outage of the mail service or the store rather than fail.
  const notify = untilDone(scope, invokeTask(scope, 'SendPreListingNotice', tasksFn, 'sendPreListingNotice', entry, sfn.JsonPath.DISCARD));
  // The window ends at 24:00 Asia/Shanghai on its last working day (POLICY.md, counting a period).
  const awaitListingDate = new sfn.Wait(scope, 'AwaitListingDate', { time: sfn.WaitTime.timestampPath('$.listingDueAt') });
  const list = untilDone(scope, invokeTask(scope, 'ListEntry', tasksFn, 'listEntry', withAge, '$.listing'));
  const awaitRepresentation = awaitCallback(scope, 'AwaitRepresentationOutcome', tasksFn, 'awaitRepresentation', entry, '$.listing.recheckSeconds', sfn.JsonPath.DISCARD);
  awaitRepresentation.addCatch(list, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  awaitRepresentation.next(list);

  const awaitExpiry = awaitCallback(scope, 'AwaitExpiry', tasksFn, 'awaitExpiry', { ...entry, 'waitUntil.$': '$.listing.waitUntil' }, '$.listing.secondsLeft', sfn.JsonPath.DISCARD);
  const delist = untilDone(scope, invokeTask(scope, 'DelistAtExpiry', tasksFn, 'delistAtExpiry', withAge, '$.listing'));
  awaitExpiry.addCatch(delist, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  const continueAsNew = invokeTask(scope, 'ContinueAsNew', tasksFn, 'continueListing', { ...entry, 'executionName.$': '$$.Execution.Name' }, sfn.JsonPath.DISCARD);
  const afterExpiry = new sfn.Choice(scope, 'Expired?')
    .when(sfn.Condition.stringEquals('$.listing.outcome', 'waiting'), awaitExpiry)
    .when(sfn.Condition.stringEquals('$.listing.outcome', 'continue'), continueAsNew.next(new sfn.Succeed(scope, 'ContinuedAsNew')))
    .otherwise(new sfn.Succeed(scope, 'Removed'));
  awaitExpiry.next(delist);
  delist.next(afterExpiry);

  const outcome = new sfn.Choice(scope, 'Listing outcome?')
    .when(sfn.Condition.stringEquals('$.listing.outcome', 'listed'), awaitExpiry)
    .when(sfn.Condition.stringEquals('$.listing.outcome', 'awaiting-representation'), awaitRepresentation)
    .otherwise(new sfn.Succeed(scope, 'NotListed'));
  list.next(outcome);
  return new sfn.Choice(scope, 'Phase?')
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.phase'), sfn.Condition.stringEquals('$.phase', 'listed')), delist)
    .otherwise(notify.next(awaitListingDate).next(list));
}
