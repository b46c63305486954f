import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: string;
  event: { eventId: string; type: string; entryId: string; subjectId: string; listType: string; at: string };
  signature: string | undefined;
  answered: number;
  receivedAtMs: number;
}

/** A partner's endpoint: answers 503 while `failures` lasts, then 200, and keeps everything it was sent. */
export class PartnerEndpoint {
  readonly received: Received[] = [];
  failures = 0;
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const body = await read(req);
      const answered = this.failures > 0 ? 503 : 200;
      if (this.failures > 0) this.failures--;
      this.received.push({ body, event: JSON.parse(body), signature: req.headers['x-signature'] as string | undefined, answered, receivedAtMs: Date.now() });
      res.writeHead(answered).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/credit-events`;
  }

  /** The events acknowledged, in the order they were acknowledged. */
  acknowledged() {
    return this.received.filter((r) => r.answered === 200).map((r) => `${r.event.type}:${r.event.entryId}`);
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const read = (req: IncomingMessage) => new Promise<string>((resolve) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
});
