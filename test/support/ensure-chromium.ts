import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium, which the browser tests drive through playwright-core (no downloaded browser builds). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Without a Chinese font, the pages' Chinese text renders as empty boxes in screenshots. */
const CHINESE_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

const INSTALL = ['apt-get update', 'apt-get install -y chromium fonts-wqy-microhei'];

/**
 * Global setup of the e2e project: makes sure Debian's Chromium is there, so
 * `npm test` alone works on a fresh machine. Installs it with apt-get (as root,
 * or through passwordless sudo) when it is missing, and fails with what to run
 * by hand when it cannot.
 */
export default function ensureChromium(): void {
  if (!existsSync(CHROMIUM_PATH) || !existsSync(CHINESE_FONT)) install();
  // A package that installed but cannot start (missing libraries) would fail every browser test one by one.
  const version = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    throw new Error(`${CHROMIUM_PATH} does not start (${version.error?.message ?? `exit ${version.status}`}):\n${version.stderr}`);
  }
}

function install(): void {
  const asRoot = process.getuid?.() === 0;
  // sudo -n: never wait for a password on a terminal the test runner owns.
  const prefix = asRoot ? [] : hasCommand('sudo') ? ['sudo', '-n'] : undefined;
  if (!hasCommand('apt-get') || prefix === undefined) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH} and cannot be installed here (${hasCommand('apt-get') ? 'not root and no sudo' : 'no apt-get'}). ` +
        `Install Debian's chromium as root: ${INSTALL.join(' && ')}`,
    );
  }
  process.stderr.write(`Chromium is missing at ${CHROMIUM_PATH}: installing Debian's chromium (${INSTALL.join(' && ')}) …\n`);
  for (const command of INSTALL) {
    const [cmd, ...args] = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', ...command.split(' ')];
    // apt's progress goes to stderr, away from the test reporter's output.
    const run = spawnSync(cmd!, args, { stdio: ['ignore', 2, 2] });
    if (run.status !== 0) {
      throw new Error(`Could not install Chromium: \`${[cmd, ...args].join(' ')}\` ${run.error ? `failed (${run.error.message})` : `exited with ${run.status}`}. Install it by hand as root: ${INSTALL.join(' && ')}`);
    }
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing`);
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
