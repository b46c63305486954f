import { describe, it, expect } from 'vitest';
import {
  PROVINCE_CODES,
  agencyIdPattern,
  checkIdentifier,
  isAgencyId,
  isProvinceCode,
  isResidentIdNumber,
  isUnifiedSocialCreditCode,
  maskEmail,
  maskPhone,
  maskSubjectId,
  provinceName,
  toProvinceCode6,
} from '../../shared/domain/identifiers.js';
import { agencyIdSchema, provinceCodeSchema, residentIdNumberSchema, unifiedSocialCreditCodeSchema } from '../../shared/schemas/identifiers.js';

/*
 * Independent reference implementations, written from the standards' formulas rather than
 * the module's tables: GB 11643 weights are 2^(17-i) mod 11 and the check value is
 * (12 - sum mod 11) mod 11 with 10 written 'X'; GB 32100 weights are 3^(i-1) mod 31.
 */
function residentCheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (2 ** (17 - i) % 11);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function creditCheckChar(body17: string): string {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < 17; i++) {
    sum += USCC_CHARS.indexOf(body17[i]!) * weight;
    weight = (weight * 3) % 31;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/** A small seeded generator so the generated cases are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Replaces the last character with another check character that is wrong. */
function withWrongCheck(id: string, alphabet: string): { id: string; expected: string; got: string } {
  const expected = id[17]!;
  const got = alphabet[(alphabet.indexOf(expected) + 1) % alphabet.length]!;
  return { id: id.slice(0, 17) + got, expected, got };
}

describe('reference implementations agree with published examples', () => {
  it('computes the published check characters', () => {
    expect(residentCheckChar('11010519491231002')).toBe('X');
    expect(creditCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCheckChar('91110000802100433')).toBe('B');
  });
});

describe('isResidentIdNumber / checkIdentifier person', () => {
  it('accepts the published example 11010519491231002X', () => {
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
    expect(checkIdentifier('person', '11010519491231002X')).toEqual({ ok: true, canonical: '11010519491231002X' });
  });

  it('accepts a lowercase x check character and canonicalises it to X', () => {
    expect(isResidentIdNumber('11010519491231002x')).toBe(true);
    expect(checkIdentifier('person', '11010519491231002x')).toEqual({ ok: true, canonical: '11010519491231002X' });
  });

  it('refuses the same number with check digit 1, naming the expected X', () => {
    expect(isResidentIdNumber('110105194912310021')).toBe(false);
    expect(checkIdentifier('person', '110105194912310021')).toEqual({
      ok: false,
      code: 'WRONG_CHECK_CHARACTER',
      reason: "wrong check character: expected 'X' got '1'",
    });
  });

  it('accepts generated numbers across every province and refuses each with one wrong check character', () => {
    const random = seeded(11643);
    const provinces = [...Object.keys(PROVINCE_CODES), '83'];
    let checked = 0;
    for (const province of provinces) {
      for (let n = 0; n < 20; n++) {
        const rest = String(Math.floor(random() * 1e4)).padStart(4, '0');
        const year = 1900 + Math.floor(random() * 200);
        const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
        const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
        const seq = String(Math.floor(random() * 1e3)).padStart(3, '0');
        const body = `${province}${rest}${year}${month}${day}${seq}`;
        const id = body + residentCheckChar(body);
        expect(checkIdentifier('person', id)).toEqual({ ok: true, canonical: id });
        const wrong = withWrongCheck(id, '0123456789X');
        expect(checkIdentifier('person', wrong.id)).toEqual({
          ok: false,
          code: 'WRONG_CHECK_CHARACTER',
          reason: `wrong check character: expected '${wrong.expected}' got '${wrong.got}'`,
        });
        checked++;
      }
    }
    expect(checked).toBe(35 * 20);
  });

  it('refuses wrong lengths, saying how many characters there were', () => {
    expect(checkIdentifier('person', '11010519491231002')).toEqual({
      ok: false,
      code: 'WRONG_LENGTH',
      reason: 'wrong length: expected 18 characters, got 17',
    });
    expect(checkIdentifier('person', '11010519491231002X0')).toMatchObject({ ok: false, code: 'WRONG_LENGTH' });
    expect(checkIdentifier('person', '')).toMatchObject({ ok: false, reason: 'wrong length: expected 18 characters, got 0' });
    // The 15-digit first-generation numbers are not GB 11643-1999 numbers.
    expect(isResidentIdNumber('110105491231002')).toBe(false);
  });

  it('names the position of a bad character', () => {
    expect(checkIdentifier('person', '1101A519491231002X')).toEqual({
      ok: false,
      code: 'BAD_CHARACTER',
      reason: "bad character 'A' at position 5: expected a digit",
    });
    // X is only allowed as the check character.
    expect(checkIdentifier('person', 'X1010519491231002X')).toMatchObject({
      reason: "bad character 'X' at position 1: expected a digit",
    });
    expect(checkIdentifier('person', '11010519491231002Y')).toMatchObject({
      reason: "bad character 'Y' at position 18: expected a digit or 'X'",
    });
    expect(checkIdentifier('person', ' 1010519491231002X')).toMatchObject({
      reason: "bad character ' ' at position 1: expected a digit",
    });
  });

  it('refuses a region that is not a province-level code, even with a correct check character', () => {
    for (const province of ['00', '10', '16', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '84', '90', '99']) {
      const body = `${province}010519491231002`;
      const id = body + residentCheckChar(body);
      expect(checkIdentifier('person', id)).toEqual({
        ok: false,
        code: 'INVALID_REGION',
        reason: `invalid region: '${province}' (in '${province}0105') is not a province-level code`,
      });
    }
  });

  it('refuses birth dates that are not calendar dates between 1900 and 2099, even with a correct check character', () => {
    for (const birth of ['19490230', '19000229', '20230229', '19491301', '19490001', '19490100', '19490431', '18991231', '21000101']) {
      const body = `110105${birth}002`;
      const id = body + residentCheckChar(body);
      expect(checkIdentifier('person', id)).toEqual({
        ok: false,
        code: 'INVALID_BIRTH_DATE',
        reason: `invalid birth date: '${birth}' is not a calendar date between 19000101 and 20991231`,
      });
    }
  });

  it('accepts leap days and the ends of the allowed range', () => {
    for (const birth of ['20000229', '19960229', '19000101', '20991231']) {
      const body = `310104${birth}123`;
      expect(isResidentIdNumber(body + residentCheckChar(body))).toBe(true);
    }
  });

  it('does not accept an organisation code as a resident id', () => {
    expect(isResidentIdNumber('91350100M000100Y43')).toBe(false);
  });
});

describe('isUnifiedSocialCreditCode / checkIdentifier organization', () => {
  const published = ['91350100M000100Y43', '91110000802100433B', '91330100716105852F', '91440300708461136T', '91110108551385082Q'];

  it('accepts published codes', () => {
    for (const code of published) {
      expect(isUnifiedSocialCreditCode(code)).toBe(true);
      expect(checkIdentifier('organization', code)).toEqual({ ok: true, canonical: code });
    }
  });

  it('accepts lowercase input and canonicalises it to uppercase', () => {
    expect(checkIdentifier('organization', '91350100m000100y43')).toEqual({ ok: true, canonical: '91350100M000100Y43' });
  });

  it('refuses a wrong check character, naming the expected one', () => {
    expect(checkIdentifier('organization', '91350100M000100Y44')).toEqual({
      ok: false,
      code: 'WRONG_CHECK_CHARACTER',
      reason: "wrong check character: expected '3' got '4'",
    });
    expect(isUnifiedSocialCreditCode('91350100M000100Y44')).toBe(false);
  });

  it('accepts generated codes and refuses each with one wrong check character', () => {
    const random = seeded(32100);
    const pick = (alphabet: string) => alphabet[Math.floor(random() * alphabet.length)]!;
    const expectedChecks = new Set<string>();
    for (let n = 0; n < 500; n++) {
      let body = pick('159ANY') + pick('123');
      for (let i = 0; i < 6; i++) body += pick('0123456789');
      for (let i = 0; i < 9; i++) body += pick(USCC_CHARS);
      const code = body + creditCheckChar(body);
      expectedChecks.add(code[17]!);
      expect(checkIdentifier('organization', code)).toEqual({ ok: true, canonical: code });
      const wrong = withWrongCheck(code, USCC_CHARS);
      expect(checkIdentifier('organization', wrong.id)).toEqual({
        ok: false,
        code: 'WRONG_CHECK_CHARACTER',
        reason: `wrong check character: expected '${wrong.expected}' got '${wrong.got}'`,
      });
    }
    // Every one of the 31 check characters came up, including 0 (the 31 → 0 case).
    expect(expectedChecks.size).toBe(31);
  });

  it('refuses I, O, Z, S and V anywhere, naming the position', () => {
    for (const letter of ['I', 'O', 'Z', 'S', 'V', 'i', 'o', 'z', 's', 'v']) {
      const code = `91350100M00${letter}100Y43`;
      expect(checkIdentifier('organization', code)).toEqual({
        ok: false,
        code: 'BAD_CHARACTER',
        reason: `bad character '${letter}' at position 12: expected a digit or an uppercase letter other than I, O, Z, S, V`,
      });
    }
    expect(checkIdentifier('organization', '91350100M000100YO3')).toMatchObject({ code: 'BAD_CHARACTER' });
    expect(checkIdentifier('organization', '91350100M000100Y4-')).toMatchObject({
      reason: "bad character '-' at position 18: expected a digit or an uppercase letter other than I, O, Z, S, V",
    });
  });

  it('refuses letters in the region code (positions 3-8), even with a correct check character', () => {
    const body = '913501A0M000100Y4';
    expect(checkIdentifier('organization', body + creditCheckChar(body))).toEqual({
      ok: false,
      code: 'BAD_CHARACTER',
      reason: "bad character 'A' at position 7: expected a digit (region code)",
    });
  });

  it('refuses wrong lengths', () => {
    expect(checkIdentifier('organization', '91350100M000100Y4')).toEqual({
      ok: false,
      code: 'WRONG_LENGTH',
      reason: 'wrong length: expected 18 characters, got 17',
    });
    // The 9-character organisation code alone is not a USCC.
    expect(isUnifiedSocialCreditCode('M000100Y4')).toBe(false);
  });

  it('does not accept a resident id as an organisation code', () => {
    expect(isUnifiedSocialCreditCode('11010519491231002X')).toBe(false);
  });
});

describe('province codes', () => {
  it('lists the 34 GB/T 2260 province-level divisions', () => {
    expect(Object.keys(PROVINCE_CODES)).toHaveLength(34);
    expect(PROVINCE_CODES['31']).toBe('上海市');
    expect(PROVINCE_CODES['33']).toBe('浙江省');
    expect(Object.isFrozen(PROVINCE_CODES)).toBe(true);
  });

  it('accepts exactly the 6-digit NN0000 form of a real province', () => {
    for (const code of Object.keys(PROVINCE_CODES)) expect(isProvinceCode(`${code}0000`)).toBe(true);
    for (const bad of ['31', '3100', '310100', '310000 ', '3100000', '830000', '100000', '990000', 'ab0000', '']) {
      expect(isProvinceCode(bad)).toBe(false);
    }
  });

  it('converts and names', () => {
    expect(toProvinceCode6('31')).toBe('310000');
    expect(provinceName('330000')).toBe('浙江省');
    expect(provinceName('330100')).toBeUndefined();
  });
});

describe('agency ids', () => {
  it('accepts a real province prefix and a lowercase slug', () => {
    expect(isAgencyId('310000-scjgj')).toBe(true);
    expect(isAgencyId('330000-sw-2')).toBe(true);
    expect(isAgencyId(`110000-${'a'.repeat(40)}`)).toBe(true);
    expect(agencyIdPattern.test('310000-scjgj')).toBe(true);
  });

  it('refuses unknown provinces, non-province divisions and bad slugs', () => {
    for (const bad of ['990000-scjgj', '310100-scjgj', '310000-SCJGJ', '310000-s', `310000-${'a'.repeat(41)}`, '310000_scjgj', '310000-市场', 'scjgj', '']) {
      expect(isAgencyId(bad)).toBe(false);
    }
  });
});

describe('masking', () => {
  it('keeps the first 4 and last 4 characters of an 18-character id', () => {
    expect(maskSubjectId('11010519491231002X')).toBe('1101**********002X');
    expect(maskSubjectId('91350100M000100Y43')).toBe('9135**********0Y43');
    expect(maskSubjectId('123456789')).toBe('1234*6789');
  });

  it('keeps only the first and last character of short ids', () => {
    expect(maskSubjectId('12345678')).toBe('1******8');
    expect(maskSubjectId('abc')).toBe('a*c');
    expect(maskSubjectId('ab')).toBe('**');
    expect(maskSubjectId('a')).toBe('*');
    expect(maskSubjectId('')).toBe('');
  });

  it('masks mobile numbers as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86*******5678');
    expect(maskPhone('1234567')).toBe('1*****7');
  });

  it('masks emails keeping the first character of the local part and the domain', () => {
    expect(maskEmail('zhangsan@example.com')).toBe('z***@example.com');
    expect(maskEmail('a@example.com')).toBe('***@example.com');
    expect(maskEmail('"x@y"@example.cn')).toBe('"***@example.cn');
    expect(maskEmail('not-an-email')).toBe('not-****mail');
  });
});

describe('zod schemas', () => {
  it('trims and uppercases a resident id', () => {
    expect(residentIdNumberSchema.parse(' 11010519491231002x ')).toBe('11010519491231002X');
  });

  it('refuses a resident id with the precise reason as the message', () => {
    const result = residentIdNumberSchema.safeParse('110105194912310021');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(["wrong check character: expected 'X' got '1'"]);
    const birth = residentIdNumberSchema.safeParse('110105194902300021');
    expect(birth.error?.issues[0]?.message).toMatch(/^invalid birth date: '19490230'/);
  });

  it('trims and uppercases a credit code, and refuses with the reason', () => {
    expect(unifiedSocialCreditCodeSchema.parse('\t91350100m000100y43\n')).toBe('91350100M000100Y43');
    const result = unifiedSocialCreditCodeSchema.safeParse('91350100M000100Y44');
    expect(result.error?.issues.map((i) => i.message)).toEqual(["wrong check character: expected '3' got '4'"]);
    const forbidden = unifiedSocialCreditCodeSchema.safeParse('91350100M00I100Y43');
    expect(forbidden.error?.issues[0]?.message).toMatch(/^bad character 'I' at position 12/);
  });

  it('refuses non-strings', () => {
    expect(residentIdNumberSchema.safeParse(11010519491231).success).toBe(false);
  });

  it('validates province codes and agency ids', () => {
    expect(provinceCodeSchema.parse(' 310000 ')).toBe('310000');
    expect(provinceCodeSchema.safeParse('310100').error?.issues[0]?.message).toBe(
      "invalid province code: '310100' is not the 6-digit 'NN0000' code of a province-level division",
    );
    expect(agencyIdSchema.parse('310000-scjgj')).toBe('310000-scjgj');
    expect(agencyIdSchema.safeParse('990000-scjgj').error?.issues[0]?.message).toMatch(/^invalid agency id: '990000-scjgj'/);
  });
});
