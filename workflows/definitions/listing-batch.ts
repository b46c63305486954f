import type { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BATCH_CHUNK_CONCURRENCY, BATCH_LINES_PER_CHUNK, BATCH_MAX_LINES } from '../../shared/domain/listing-batch.js';
import { invokeTask } from './task-invoke.js';

/**
 * A listing batch: the API put its lines in the bucket as JSON Lines
 * (`{ line, text }`), one per proposal. A Distributed Map reads them, hands
 * chunks of 100 to the task that proposes each line (every line its own
 * entry, workflow and notice, as `POST /v1/listings`), eight chunks at once,
 * then marks the batch completed. Input: { batchId, objectKey }.
 *
 * A chunk whose task still fails after its retries fails the map: the batch
 * is marked failed with the error, and the execution fails, raising the
 * alarm. Started again with the same input (README, Operations), it skips the
 * chunks already done and proposes no line twice.
 */
export function listingBatch(scope: Construct, tasksFn: IFunction, bucket: IBucket): sfn.IChainable {
  const lines = new sfn.DistributedMap(scope, 'ProposeLines', {
    itemReader: new sfn.S3JsonLItemReader({ bucket, key: sfn.JsonPath.stringAt('$.objectKey'), maxItems: BATCH_MAX_LINES }),
    itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: BATCH_LINES_PER_CHUNK, batchInput: { 'batchId.$': '$.batchId' } }),
    maxConcurrency: BATCH_CHUNK_CONCURRENCY,
    toleratedFailurePercentage: 0,
    // Each chunk is one task call of seconds: express child executions, billed by duration rather than per transition.
    mapExecutionType: sfn.StateMachineType.EXPRESS,
    resultPath: sfn.JsonPath.DISCARD,
    label: 'ProposeLines',
  });
  lines.itemProcessor(invokeTask(scope, 'ProposeChunk', tasksFn, 'proposeBatchLines', { 'batchId.$': '$.BatchInput.batchId', 'items.$': '$.Items' }, null));
  const failed = invokeTask(scope, 'RecordBatchFailed', tasksFn, 'finishBatch', { 'batchId.$': '$.batchId', 'failure.$': '$.failure' }, null).next(
    new sfn.Fail(scope, 'BatchFailed', { error: 'BatchFailed', cause: 'A chunk of the batch failed after its retries; start the execution again with the same input' }),
  );
  lines.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
  return lines.next(invokeTask(scope, 'FinishBatch', tasksFn, 'finishBatch', { 'batchId.$': '$.batchId' }, null)).next(new sfn.Succeed(scope, 'BatchCompleted'));
}
