import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where a batch's lines are for its workflow to read: an S3 object on AWS, a file under DATA_DIR locally. */
export interface BatchObject {
  bucket: string;
  key: string;
}

/** The objects listing batches are read from by their workflow (the Distributed Map's ItemReader). */
export interface BatchFiles {
  /** Stores the object under its key (see batchObjectKey); the same key always holds the same bytes. */
  put(key: string, body: string): Promise<BatchObject>;
}

/** Batches live beside the evidence under their own prefix; the API may write only there, the batch workflow only read there. */
export const BATCH_PREFIX = 'batches/';
/** How long a batch's object is kept on AWS: long enough to restart a failed batch. */
export const BATCH_OBJECT_DAYS = 30;
/** Named by the batch and the upload's digest: a different upload under the same batch id can never replace the lines a workflow reads. */
export const batchObjectKey = (batchId: string, requestHash: string) => `${BATCH_PREFIX}${batchId}/${requestHash}.jsonl`;

export class S3BatchFiles implements BatchFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<BatchObject> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
    return { bucket: this.bucket, key };
  }
}

/** The local stand-in for the bucket: one folder, objects as files named by their keys. */
export class LocalBatchFiles implements BatchFiles {
  static readonly BUCKET = 'local-objects';

  constructor(private readonly dir: string) {}

  async put(key: string, body: string): Promise<BatchObject> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    // Written whole or not at all: a crash leaves no half object for a resumed workflow to read.
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, file);
    return { bucket: LocalBatchFiles.BUCKET, key };
  }

  /** What the local runner's item reader reads. */
  async read(key: string): Promise<string> {
    return readFile(this.path(key), 'utf8');
  }

  private path(key: string): string {
    if (!key.startsWith(BATCH_PREFIX) || !/^[\w/.-]+$/.test(key) || key.includes('..')) throw new Error(`Not a batch object key: ${key}`);
    return join(this.dir, key);
  }
}
