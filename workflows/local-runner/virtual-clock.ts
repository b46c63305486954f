import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../shared/platform/clock.js';

/**
 * Local time: wall-clock time plus an offset that only moves forward. The
 * offset is kept in DATA_DIR, so a restart does not travel back in time.
 */
export class VirtualClock implements Clock {
  private constructor(
    private readonly file: string,
    private offsetMs: number,
  ) {}

  /**
   * Opens the clock kept in `file`. `startAt` sets where a new clock starts
   * (a fresh DATA_DIR, e.g. to rehearse a holiday week); a kept clock ignores it.
   */
  static async open(file: string, startAt?: Date): Promise<VirtualClock> {
    try {
      return new VirtualClock(file, Number(JSON.parse(await readFile(file, 'utf8')).offsetMs) || 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const clock = new VirtualClock(file, startAt ? startAt.getTime() - Date.now() : 0);
    if (startAt) await clock.persist();
    return clock;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock forward to an instant; an instant in the past leaves it where it is. */
  async moveTo(instant: Date): Promise<void> {
    const wanted = instant.getTime() - Date.now();
    if (wanted <= this.offsetMs) return;
    this.offsetMs = wanted;
    await this.persist();
  }

  private async persist() {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify({ offsetMs: this.offsetMs }));
    await rename(tmp, this.file);
  }
}
