import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret kept under `<DATA_DIR>/keys` (folder 0700, file 0600, never
 * committed), made by `create` on first start. Two processes starting at once
 * both read the one file the first of them wrote.
 */
export async function loadOrCreateSecret(dataDir: string, name: string, create: () => Promise<string> | string): Promise<{ file: string; content: string }> {
  const dir = join(dataDir, 'keys');
  const file = join(dir, name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    try {
      await writeFile(file, await create(), { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
  }
  await chmod(file, 0o600);
  return { file, content: await readFile(file, 'utf8') };
}
