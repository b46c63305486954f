import { verifyChain } from '../../shared/audit/hash-chain.js';
import { redact } from '../../shared/platform/log.js';
import { startLocalStores } from './stores.js';

/**
 * `npm run audit:verify [entryId]`: recomputes the hash chain of one entry or
 * of every entry in DATA_DIR, names the first bad event, exits 1 on any break.
 */
const dataDir = process.env.DATA_DIR ?? './.data';
/** Lines for a person reading the terminal, not logs; whatever id was typed in, none is echoed whole. */
const say = (line: string) => console.log(redact(line));
const only = process.argv[2];
const stores = await startLocalStores(dataDir);
let bad = 0;
let checked = 0;
try {
  const ids = only ? [only] : stores.entries.allEntryIds();
  for await (const entryId of ids) {
    const verdict = verifyChain(await stores.entries.auditTrail(entryId));
    checked++;
    if (verdict.length === 0) {
      bad++;
      say(`✘ ${entryId}: no audit trail`);
    } else if (!verdict.ok) {
      bad++;
      say(`✘ ${entryId}: event seq ${verdict.firstBadSeq} is altered (${verdict.reason})`);
    } else {
      say(`✔ ${entryId}: ${verdict.length} events, head ${verdict.headHash.slice(0, 16)}…`);
    }
  }
  say(`${checked} entr${checked === 1 ? 'y' : 'ies'} checked, ${bad} with a broken chain`);
} finally {
  await stores.close();
}
process.exit(bad ? 1 : 0);
