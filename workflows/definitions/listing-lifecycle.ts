import type { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { invokeTask } from './task-invoke.js';

/**
 * The life of an entry from proposal to removal: the pre-listing notice, the
 * representation window, publication and automatic delisting at the end of
 * the period. Input: { entryId, representationDeadlineAt }.
 */
export function listingLifecycle(scope: Construct, tasksFn: IFunction): sfn.IChainable {
  const notify = invokeTask(scope, 'SendPreListingNotice', tasksFn, 'sendPreListingNotice', { 'entryId.$': '$.entryId' }, '$.notice');
  // The window ends at 24:00 Asia/Shanghai on its last working day (POLICY.md, counting a period).
  const awaitWindow = new sfn.Wait(scope, 'AwaitRepresentationWindow', { time: sfn.WaitTime.timestampPath('$.representationDeadlineAt') });
  const list = invokeTask(scope, 'ListEntry', tasksFn, 'listEntry', { 'entryId.$': '$.entryId' }, '$.listing');
  const withdrawn = new sfn.Succeed(scope, 'NotListed');
  const awaitExpiry = new sfn.Wait(scope, 'AwaitExpiry', { time: sfn.WaitTime.timestampPath('$.listing.expiresAt') });
  const delist = invokeTask(scope, 'DelistAtExpiry', tasksFn, 'delistAtExpiry', { 'entryId.$': '$.entryId' }, '$.delisting');
  const listedOrNot = new sfn.Choice(scope, 'Listed?')
    .when(sfn.Condition.booleanEquals('$.listing.listed', true), awaitExpiry.next(delist))
    .otherwise(withdrawn);
  return notify.next(awaitWindow).next(list).next(listedOrNot);
}
