import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningSystem {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Ctrl-C: SIGINT to the whole process group, as a terminal sends it; resolves when every process has closed its output. */
  interrupt(): Promise<void>;
  kill(): void;
  /** kill -9 of the whole process group (no chance to clean up); resolves when no process of it is left, so its files are free. */
  killHard(): Promise<void>;
}

/**
 * Runs `npm start` exactly as the README says, on a given DATA_DIR and free
 * port (and any other variable the README names, e.g. CLOCK_START), and waits until /health answers.
 */
export async function npmStart(dataDir: string, timeoutMs = 60_000, env: Record<string, string> = {}): Promise<RunningSystem> {
  const port = await freePort();
  const child = spawn('npm', ['start'], { env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // The output pipes close only when npm, tsx and the node server have all exited.
  const closed = new Promise<void>((resolve) => child.stdout!.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`npm start did not answer within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    url,
    child,
    output: () => out,
    interrupt: async () => {
      process.kill(-child.pid!, 'SIGINT');
      return closed;
    },
    kill,
    killHard: async () => {
      kill();
      const deadline = Date.now() + 10_000;
      while (groupAlive()) {
        if (Date.now() > deadline) throw new Error('the killed process group is still alive after 10 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Sends a body over plain HTTP and returns the status, even when the server answers before reading it all. */
export function postRaw(url: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    req.end(body);
  });
}

/**
 * Sends a body with any method over plain HTTP and returns the status and the
 * response text, even when the server answers before reading the body.
 */
export function sendRaw(method: string, url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    // A connection of its own: the socket listener below belongs to this request alone.
    const req = request(url, { method, agent: false, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    // Once the server has answered without reading the whole body, the rest of the write fails (EPIPE) on the
    // socket, which the request has already let go of: expected then, and only an error before the answer.
    const failed = (error: Error) => (answered ? undefined : reject(error));
    req.on('error', failed);
    req.on('socket', (socket) => socket.on('error', failed));
    req.end(body);
  });
}
