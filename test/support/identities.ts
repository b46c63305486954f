const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A resident identity number (GB 11643) with a correct check character: Beijing Xicheng, born 1990-01-01, sequence `seq`. */
export function personId(seq: number): string {
  return withCheck(`11010219900101${String(seq).padStart(3, '0')}`);
}

const DAY_MS = 86_400_000;

/** A resident identity number unique for each n, for many thousands of people: Beijing Xicheng, 999 people per birthday from 1980-01-01. */
export function residentId(n: number): string {
  const birth = new Date(Date.UTC(1980, 0, 1) + Math.floor(n / 999) * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
  return withCheck(`110102${birth}${String((n % 999) + 1).padStart(3, '0')}`);
}

/** The 17 digits with their GB 11643 check character. */
function withCheck(body: string): string {
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i]!, 0);
  return body + CHECK[sum % 11];
}
