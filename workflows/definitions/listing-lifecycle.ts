import type { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { awaitCallback, invokeTask } from './task-invoke.js';

/**
 * The life of an entry from proposal to removal. Input: { entryId, listingDueAt }.
 *
 * SendPreListingNotice → AwaitListingDate (the representation window, or a
 * longer grace period) → ListEntry. A representation still open holds the
 * listing in AwaitRepresentationOutcome until it is decided (woken by the
 * review) or a day passes (it looks again). Once listed, AwaitExpiry waits
 * for the end of the period and DelistAtExpiry delists, or sends it back to
 * wait for an extended date, or ends when the entry already left the list.
 * Every task is idempotent: run twice, it changes nothing more.
 */
export function listingLifecycle(scope: Construct, tasksFn: IFunction): sfn.IChainable {
  const notify = invokeTask(scope, 'SendPreListingNotice', tasksFn, 'sendPreListingNotice', { 'entryId.$': '$.entryId' }, sfn.JsonPath.DISCARD);
  // The window ends at 24:00 Asia/Shanghai on its last working day (POLICY.md, counting a period).
  const awaitListingDate = new sfn.Wait(scope, 'AwaitListingDate', { time: sfn.WaitTime.timestampPath('$.listingDueAt') });
  const list = invokeTask(scope, 'ListEntry', tasksFn, 'listEntry', { 'entryId.$': '$.entryId' }, '$.listing');
  const awaitRepresentation = awaitCallback(scope, 'AwaitRepresentationOutcome', tasksFn, 'awaitRepresentation', { 'entryId.$': '$.entryId' }, '$.listing.recheckSeconds', sfn.JsonPath.DISCARD);
  awaitRepresentation.addCatch(list, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  awaitRepresentation.next(list);

  const awaitExpiry = new sfn.Wait(scope, 'AwaitExpiry', { time: sfn.WaitTime.timestampPath('$.listing.expiresAt') });
  const delist = invokeTask(scope, 'DelistAtExpiry', tasksFn, 'delistAtExpiry', { 'entryId.$': '$.entryId' }, '$.listing');
  const afterExpiry = new sfn.Choice(scope, 'Extended?')
    .when(sfn.Condition.stringEquals('$.listing.outcome', 'extended'), awaitExpiry)
    .otherwise(new sfn.Succeed(scope, 'Removed'));

  const outcome = new sfn.Choice(scope, 'Listing outcome?')
    .when(sfn.Condition.stringEquals('$.listing.outcome', 'listed'), awaitExpiry.next(delist).next(afterExpiry))
    .when(sfn.Condition.stringEquals('$.listing.outcome', 'awaiting-representation'), awaitRepresentation)
    .otherwise(new sfn.Succeed(scope, 'NotListed'));
  return notify.next(awaitListingDate).next(list).next(outcome);
}
