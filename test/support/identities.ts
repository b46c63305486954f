const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A resident identity number (GB 11643) with a correct check character: Beijing Xicheng, born 1990-01-01, sequence `seq`. */
export function personId(seq: number): string {
  const body = `11010219900101${String(seq).padStart(3, '0')}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i]!, 0);
  return body + CHECK[sum % 11];
}
