/**
 * Identifiers of blacklisted subjects and of the agencies that list them.
 *
 * Every check here is pure: no clock, no I/O. A listing that names the wrong person
 * or company is itself a due-process failure, so ids are checked structurally and by
 * their check character before any entry can refer to them, and each refusal says
 * exactly what is wrong so a clerk or the subject can correct it.
 */

/**
 * The 34 province-level divisions of GB/T 2260, by their 2-digit code.
 * Taiwan (71), Hong Kong (81) and Macao (82) are included because GB/T 2260 lists them.
 */
export const PROVINCE_CODES = Object.freeze({
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
} as const);

/** A 2-digit GB/T 2260 province-level code, e.g. '31'. */
export type ProvinceCode2 = keyof typeof PROVINCE_CODES;

/** True when `s` is one of the 34 2-digit province-level codes. */
export function isProvinceCode2(s: string): s is ProvinceCode2 {
  // hasOwn, not `in`: '__proto__' and friends must not count as provinces.
  return Object.hasOwn(PROVINCE_CODES, s);
}

/**
 * True when `s` is the 6-digit division code of a province-level division, 'NN0000',
 * the form the system stores as `provinceCode` (e.g. '310000' Shanghai, '330000' Zhejiang).
 * Prefecture or county codes such as '310100' are refused: they are not provinces.
 */
export function isProvinceCode(s: string): boolean {
  return /^\d{2}0000$/.test(s) && isProvinceCode2(s.slice(0, 2));
}

/** The 6-digit form of a 2-digit province code: '31' → '310000'. */
export function toProvinceCode6(code2: ProvinceCode2): string {
  return `${code2}0000`;
}

/** The Chinese name of a 6-digit province code, or undefined when it is not one. */
export function provinceName(provinceCode: string): string | undefined {
  if (!isProvinceCode(provinceCode)) return undefined;
  return PROVINCE_CODES[provinceCode.slice(0, 2) as ProvinceCode2];
}

/**
 * Agency ids: `<provinceCode6>-<slug>`, e.g. '310000-scjgj'. The province prefix ties
 * every agency to the jurisdiction whose escalation and appeal rules apply to it.
 */
export const agencyIdPattern = /^(\d{6})-([a-z0-9-]{2,40})$/;

/** True when `s` is an agency id with a real province prefix and a lowercase slug. */
export function isAgencyId(s: string): boolean {
  const m = agencyIdPattern.exec(s);
  return m !== null && isProvinceCode(m[1]!);
}

/** Why an identifier was refused; `reason` is the sentence shown to people. */
export type IdentifierProblem =
  | 'WRONG_LENGTH'
  | 'BAD_CHARACTER'
  | 'WRONG_CHECK_CHARACTER'
  | 'INVALID_REGION'
  | 'INVALID_BIRTH_DATE';

export type IdentifierCheck =
  | { ok: true; canonical: string }
  | { ok: false; code: IdentifierProblem; reason: string };

const ID_LENGTH = 18;

// GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_CHECK_CHARS = '10X98765432';

/*
 * Resident permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证, State Council
 * 2018) carry citizen-format numbers with region 810000, 820000 and 830000. 83 is not a
 * GB/T 2260 province, but refusing these holders' numbers would shut them out of the process.
 */
const RESIDENT_PERMIT_REGIONS: ReadonlySet<string> = new Set(['81', '82', '83']);

// GB 32100-2015 alphabet: the 31 characters left after dropping I, O, Z, S and V.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// Weight of position i is 3^(i-1) mod 31.
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

function refuse(code: IdentifierProblem, reason: string): IdentifierCheck {
  return { ok: false, code, reason };
}

function lengthProblem(chars: readonly string[]): IdentifierCheck | undefined {
  if (chars.length === ID_LENGTH) return undefined;
  return refuse('WRONG_LENGTH', `wrong length: expected ${ID_LENGTH} characters, got ${chars.length}`);
}

function badCharacter(ch: string, position: number, expected: string): IdentifierCheck {
  return refuse('BAD_CHARACTER', `bad character '${ch}' at position ${position}: expected ${expected}`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * True when `yyyymmdd` is a real calendar date from 1900-01-01 to 2099-12-31.
 * "Not after today" needs a clock, so callers that care compare against their own `now`.
 */
function isBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= daysInMonth[month - 1]!;
}

function checkResidentId(id: string): IdentifierCheck {
  const original = Array.from(id);
  const wrongLength = lengthProblem(original);
  if (wrongLength) return wrongLength;
  // Uppercase per character: a lowercase 'x' check character is a common way of writing 'X'.
  const chars = original.map((ch) => ch.toUpperCase());
  for (let i = 0; i < 17; i++) {
    if (!/^[0-9]$/.test(chars[i]!)) return badCharacter(original[i]!, i + 1, 'a digit');
  }
  if (!/^[0-9X]$/.test(chars[17]!)) return badCharacter(original[17]!, 18, "a digit or 'X'");

  const canonical = chars.join('');
  const province = canonical.slice(0, 2);
  if (!isProvinceCode2(province) && !RESIDENT_PERMIT_REGIONS.has(province)) {
    return refuse('INVALID_REGION', `invalid region: '${province}' (in '${canonical.slice(0, 6)}') is not a province-level code`);
  }
  const birth = canonical.slice(6, 14);
  if (!isBirthDate(birth)) {
    return refuse('INVALID_BIRTH_DATE', `invalid birth date: '${birth}' is not a calendar date between 19000101 and 20991231`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(chars[i]) * RESIDENT_WEIGHTS[i]!;
  const expected = RESIDENT_CHECK_CHARS[sum % 11]!;
  if (chars[17] !== expected) {
    return refuse('WRONG_CHECK_CHARACTER', `wrong check character: expected '${expected}' got '${original[17]}'`);
  }
  return { ok: true, canonical };
}

function checkCreditCode(id: string): IdentifierCheck {
  const original = Array.from(id);
  const wrongLength = lengthProblem(original);
  if (wrongLength) return wrongLength;
  const chars = original.map((ch) => ch.toUpperCase());
  for (let i = 0; i < ID_LENGTH; i++) {
    const ch = chars[i]!;
    if (!USCC_ALPHABET.includes(ch)) {
      return badCharacter(original[i]!, i + 1, 'a digit or an uppercase letter other than I, O, Z, S, V');
    }
    // Positions 3-8 are the GB/T 2260 region of registration, always digits.
    if (i >= 2 && i <= 7 && !/^[0-9]$/.test(ch)) return badCharacter(original[i]!, i + 1, 'a digit (region code)');
  }
  /*
   * Positions 1-2 (registering authority and category) and the GB 11714 check inside
   * 9-17 are not checked: authorities keep adding codes (A, N) and some older
   * organisation codes predate their check digit, and a false refusal would deny
   * a real organisation its objection.
   */
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(chars[i]!) * USCC_WEIGHTS[i]!;
  const expected = USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
  if (chars[17] !== expected) {
    return refuse('WRONG_CHECK_CHARACTER', `wrong check character: expected '${expected}' got '${original[17]}'`);
  }
  return { ok: true, canonical: chars.join('') };
}

/**
 * Checks a subject id: a GB 11643-1999 citizen identity number for a person, a
 * GB 32100-2015 unified social credit code for an organisation. The id is taken as
 * given (no trimming); lowercase letters are accepted and `canonical` is uppercase.
 * The first problem found is reported, in the order length, characters, region,
 * birth date, check character.
 */
export function checkIdentifier(kind: 'person' | 'organization', id: string): IdentifierCheck {
  switch (kind) {
    case 'person':
      return checkResidentId(id);
    case 'organization':
      return checkCreditCode(id);
    default: {
      const _exhaustive: never = kind;
      throw new Error(`unknown subject kind: ${String(_exhaustive)}`);
    }
  }
}

/** True when `s` is a valid 18-character citizen identity number (GB 11643-1999). */
export function isResidentIdNumber(s: string): boolean {
  return checkResidentId(s).ok;
}

/** True when `s` is a valid 18-character unified social credit code (GB 32100-2015). */
export function isUnifiedSocialCreditCode(s: string): boolean {
  return checkCreditCode(s).ok;
}

function maskKeeping(chars: readonly string[], head: number, tail: number): string {
  return chars.map((ch, i) => (i < head || i >= chars.length - tail ? ch : '*')).join('');
}

/**
 * The subject id as shown in public views: first 4 and last 4 characters kept, the rest
 * '*', same length. Ids of 8 or fewer characters keep only the first and last, and ids
 * of 1 or 2 characters are masked entirely, since keeping both ends would show them whole.
 */
export function maskSubjectId(id: string): string {
  const chars = Array.from(id);
  if (chars.length <= 2) return '*'.repeat(chars.length);
  if (chars.length <= 8) return maskKeeping(chars, 1, 1);
  return maskKeeping(chars, 4, 4);
}

/**
 * A mobile number for display: first 3 and last 4 kept, '138****5678'. Numbers too short
 * to keep 7 characters and still hide some fall back to the subject-id rule.
 */
export function maskPhone(mobile: string): string {
  const chars = Array.from(mobile);
  if (chars.length < 8) return maskSubjectId(mobile);
  return maskKeeping(chars, 3, 4);
}

/**
 * An email address for display: the first character of the local part and the whole
 * domain, 'z***@example.com'. The mask is a fixed '***' so the local part's length is
 * not shown; a one-character local part is masked entirely.
 */
export function maskEmail(email: string): string {
  // lastIndexOf: a quoted local part may itself contain '@'; the domain cannot.
  const at = email.lastIndexOf('@');
  if (at < 0) return maskSubjectId(email);
  const local = Array.from(email.slice(0, at));
  const keep = local.length >= 2 ? local[0]! : '';
  return `${keep}***${email.slice(at)}`;
}

/** Crockford's base32: no letters read as digits; repair certificate codes are read aloud and typed in. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CERTIFICATE_CODE = /^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** A repair certificate code from 12 random bytes, 5 bits each (60 bits), e.g. RC-7K3M-Q9TX-2HWD. */
export function certificateCodeFrom(random: Uint8Array): string {
  if (random.length < 12) throw new RangeError('a certificate code takes 12 random bytes');
  const chars = [...random.slice(0, 12)].map((b) => CODE_ALPHABET[b % 32]).join('');
  return `RC-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}
