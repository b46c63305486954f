import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../shared/policy/catalogue.js';
import { PolicyBook } from '../../shared/policy/policy-book.js';
import { catalogueSchema } from '../../shared/policy/schema.js';

describe('policy catalogue', () => {
  it('seeds the POLICY.md list types, each naming a profile that exists, with at least two agencies in each of two provinces', () => {
    const types = DEFAULT_CATALOGUE.listTypes.map((t) => t.listType);
    expect(types).toEqual(expect.arrayContaining(['judgment-defaulters', 'serious-dishonesty', 'penalty-general', 'penalty-serious', 'penalty-minor']));
    const perProvince = new Map<string, number>();
    for (const a of DEFAULT_CATALOGUE.agencies) perProvince.set(a.provinceCode, (perProvince.get(a.provinceCode) ?? 0) + 1);
    expect([...perProvince.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(2);
  });

  it('states every deadline with its unit (cn-2026: 10 working days to answer, 15 calendar days at the province)', () => {
    const p = new PolicyBook(DEFAULT_CATALOGUE).profileInForce('cn-2026', '2026-11-21');
    expect(p.deadlines.representationWindow).toEqual({ unit: 'workingDays', value: 10 });
    expect(p.deadlines.objectionReview).toEqual({ unit: 'workingDays', value: 5 });
    expect(p.deadlines.provincialReview).toEqual({ unit: 'calendarDays', value: 15 });
    expect(p.reminderAtFraction).toBe(0.8);
  });

  it('resolves the version in force on a date, so a new version does not change cases opened before it', () => {
    const v1 = DEFAULT_CATALOGUE.profiles.find((p) => p.profileId === 'cn-2026')!;
    const v2 = { ...v1, version: 2, effectiveFrom: '2027-01-01', deadlines: { ...v1.deadlines, objectionReview: { unit: 'workingDays' as const, value: 7 } } };
    const book = new PolicyBook(catalogueSchema.parse({ ...DEFAULT_CATALOGUE, profiles: [...DEFAULT_CATALOGUE.profiles, v2] }));
    expect(book.profileInForce('cn-2026', '2026-12-31').version).toBe(1);
    expect(book.profileInForce('cn-2026', '2027-01-01').version).toBe(2);
    expect(book.profileVersion('cn-2026', 1).deadlines.objectionReview.value).toBe(5);
  });

  it('rejects a catalogue whose list type names a missing profile or whose deadline has no unit', () => {
    const broken = { ...DEFAULT_CATALOGUE, listTypes: [{ ...DEFAULT_CATALOGUE.listTypes[0]!, policyProfile: 'nope' }] };
    expect(catalogueSchema.safeParse(broken).success).toBe(false);
    const noUnit = structuredClone(DEFAULT_CATALOGUE) as unknown as { profiles: Array<{ deadlines: Record<string, unknown> }> };
    noUnit.profiles[0]!.deadlines.objectionReview = { value: 5 };
    expect(catalogueSchema.safeParse(noUnit).success).toBe(false);
  });
});
