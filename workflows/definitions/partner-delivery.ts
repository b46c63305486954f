import type { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { invokeTask, RETRY_JITTER } from './task-invoke.js';

/** A partner that did not acknowledge (or an earlier event of the entry still pending): tried again with back-off. */
export const DELIVERY_ERRORS = ['DeliveryFailed', 'WaitingForEarlier'];

/**
 * The delivery of one partner event to one subscription, at least once and in
 * order per entry. Input: { subscriptionId, entryId, eventId }.
 *
 * Deliver POSTs the signed event and records the attempt. A partner that does
 * not answer 2xx, or an earlier event of the same entry not yet acknowledged,
 * is tried again within 1, 2, 4, … 128 minutes (full jitter), then every 6 hours (Redeliver)
 * until it is acknowledged. Near a Standard execution's one-year limit the
 * task hands the delivery to a new execution. Nothing is dropped.
 */
export function partnerDelivery(scope: Construct, tasksFn: IFunction): sfn.IChainable {
  const payload = { 'subscriptionId.$': '$.subscriptionId', 'entryId.$': '$.entryId', 'eventId.$': '$.eventId', 'executionName.$': '$$.Execution.Name', 'executionStartedAt.$': '$$.Execution.StartTime' };
  const deliver = invokeTask(scope, 'Deliver', tasksFn, 'deliverPartnerEvent', payload, '$.delivery');
  deliver.addRetry({ errors: DELIVERY_ERRORS, interval: Duration.minutes(1), backoffRate: 2, maxAttempts: 8, jitterStrategy: RETRY_JITTER });
  const redeliver = invokeTask(scope, 'Redeliver', tasksFn, 'deliverPartnerEvent', payload, '$.delivery');
  const later = new sfn.Wait(scope, 'RetryLater', { time: sfn.WaitTime.duration(Duration.hours(6)) });
  for (const step of [deliver, redeliver]) step.addCatch(later, { errors: DELIVERY_ERRORS, resultPath: sfn.JsonPath.DISCARD });
  later.next(redeliver);
  const outcome = new sfn.Choice(scope, 'Delivered?')
    .when(sfn.Condition.isPresent('$.delivery.continuedAs'), new sfn.Succeed(scope, 'DeliveryContinuedAsNew'))
    .otherwise(new sfn.Succeed(scope, 'Delivered'));
  redeliver.next(outcome);
  return deliver.next(outcome);
}
