import type { Agency, AgencyLevel, Catalogue, ListType, PolicyProfile, Province } from './schema.js';
import { agencyLevels } from './schema.js';

/** Read access to the versioned policy data, resolved by date. */
export class PolicyBook {
  private readonly listTypes: Map<string, ListType>;
  private readonly agencies: Map<string, Agency>;

  constructor(readonly catalogue: Catalogue) {
    this.listTypes = new Map(catalogue.listTypes.map((t) => [t.listType, t]));
    this.agencies = new Map(catalogue.agencies.map((a) => [a.agencyId, a]));
  }

  listType(id: string): ListType | undefined {
    return this.listTypes.get(id);
  }

  agency(id: string): Agency | undefined {
    return this.agencies.get(id);
  }

  province(provinceCode: string): Province | undefined {
    return this.catalogue.provinces.find((p) => p.provinceCode === provinceCode);
  }

  /**
   * The version of a profile in force on a date: the newest version whose
   * effectiveFrom is on or before it. A case is judged by this version to the end.
   */
  profileInForce(profileId: string, onDate: string): PolicyProfile {
    const candidates = this.catalogue.profiles
      .filter((p) => p.profileId === profileId && p.effectiveFrom <= onDate)
      .sort((a, b) => b.version - a.version);
    const found = candidates[0] ?? this.catalogue.profiles.filter((p) => p.profileId === profileId).sort((a, b) => a.version - b.version)[0];
    if (!found) throw new Error(`Policy profile ${profileId} is not in the catalogue`);
    return found;
  }

  /** The exact version a case or entry recorded. */
  profileVersion(profileId: string, version: number): PolicyProfile {
    const found = this.catalogue.profiles.find((p) => p.profileId === profileId && p.version === version);
    if (!found) throw new Error(`Policy profile ${profileId} v${version} is not in the catalogue`);
    return found;
  }
}

export function levelAtLeast(level: AgencyLevel, min: AgencyLevel): boolean {
  return agencyLevels.indexOf(level) >= agencyLevels.indexOf(min);
}

/** A list type's name in both languages, or its id where the catalogue no longer has it. */
export const listTypeName = (book: PolicyBook, id: string): { zh: string; en: string } => book.listType(id)?.name ?? { zh: id, en: id };
/** An agency's name in both languages, or its id where the catalogue no longer has it. */
export const agencyName = (book: PolicyBook, id: string): { zh: string; en: string } => book.agency(id)?.name ?? { zh: id, en: id };
