import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// bcrypt at Apache's and Python's costs (10 to 12) takes 70 to 500 ms of CPU in JavaScript: done on the
// event loop it would stall every request and periodic task meanwhile, so it runs on a worker thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch {}
  parentPort.postMessage({ id, ok });
});
`;

/** How many verified credentials are remembered, so a client's next requests cost no bcrypt. */
const CACHE_SIZE = 1024;

/**
 * Checks passwords against bcrypt hashes on one worker thread, and remembers the credentials that
 * matched (as an HMAC under a key of this process, never the password) for as long as the hash is the same.
 */
export class BcryptVerifier {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (ok: boolean) => void>();
  private readonly verified = new Map<string, string>();
  private readonly key = randomBytes(32);

  /** Whether `password` matches `hash`. A password that is not valid UTF-8 matches nothing. */
  async verify(username: string, password: Buffer, hash: string): Promise<boolean> {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(password);
    } catch {
      return false;
    }
    const id = createHmac('sha256', this.key).update(username).update('\0').update(password).digest('hex');
    if (this.verified.get(id) === hash) return true;
    const ok = await this.compare(text, hash);
    if (ok) {
      this.verified.delete(id);
      this.verified.set(id, hash);
      if (this.verified.size > CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    }
    return ok;
  }

  /** Stops the worker thread (a later `verify` starts another). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const resolve of this.pending.values()) resolve(false);
    this.pending.clear();
    await worker?.terminate();
  }

  private compare(password: string, hash: string): Promise<boolean> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, password, hash });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const bcryptjs = createRequire(import.meta.url).resolve('bcryptjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptjs } });
    worker.unref();
    worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      this.pending.get(id)?.(ok);
      this.pending.delete(id);
    });
    worker.on('error', () => this.failAll());
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll();
    });
    this.worker = worker;
    return worker;
  }

  /** A worker that died answers nobody: what it had is refused, and the next check starts another. */
  private failAll(): void {
    for (const resolve of this.pending.values()) resolve(false);
    this.pending.clear();
  }
}
