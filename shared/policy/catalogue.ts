import { catalogueSchema, type Catalogue } from './schema.js';

const wd = (value: number) => ({ unit: 'workingDays' as const, value });
const cd = (value: number) => ({ unit: 'calendarDays' as const, value });
const months = (value: number) => ({ unit: 'months' as const, value });
const years = (value: number) => ({ unit: 'years' as const, value });

const COMMITMENT = {
  zh: '本人（本单位）承诺：所提交的信用修复材料真实、准确、完整；已纠正失信行为、履行相关义务；今后诚信守法，自愿接受社会监督；如有虚假，愿承担相应法律责任，修复决定可被撤销。',
  en: 'I (we) declare that the repair materials submitted are true, accurate and complete; that the untrustworthy conduct has been corrected and the obligations performed; that I (we) will abide by the law in good faith and accept public supervision; and that if anything is false I (we) bear the legal consequences and the repair may be revoked.',
};

/**
 * The default catalogue `npm start` seeds (POLICY.md). Data, not code: a new
 * profile version is a new entry here with its own effectiveFrom, and a case
 * keeps the profile version it was opened under.
 */
export const DEFAULT_CATALOGUE: Catalogue = catalogueSchema.parse({
  profiles: [
    {
      profileId: 'cn-2026',
      version: 1,
      effectiveFrom: '2026-04-01',
      title: 'Credit lists of administrative departments (2026 rules)',
      sources: [
        'Guobanfa [2020] No. 49',
        'Guobanfa [2025] No. 22',
        'NDRC Order No. 58 (2023)',
        'NDRC Credit Repair Measures (in force 2026-04-01)',
        'Zhejiang Social Credit Regulations 2017 Arts. 30-31',
      ],
      deadlines: {
        representationWindow: wd(10),
        representationReview: wd(5),
        objectionReview: wd(5),
        correctionReview: wd(5),
        reviewMaxWithExtension: wd(20),
        supplementAnswer: wd(10),
        repairReview: wd(10),
        provincialReview: cd(15),
        appealWindow: cd(10),
        delistingLimit: wd(3),
        reconsiderationWindow: cd(60),
        litigationWindow: months(6),
      },
      claimHold: wd(1),
      repairCommitment: COMMITMENT,
      reminderAtFraction: 0.8,
    },
    {
      profileId: 'spc-2017',
      version: 1,
      effectiveFrom: '2017-05-01',
      title: 'List of judgment defaulters (SPC provisions)',
      sources: ['Fa Shi [2017] No. 7, Arts. 2, 5, 9-12', 'Fa Fa [2019] No. 35'],
      deadlines: {
        representationWindow: wd(10),
        representationReview: wd(5),
        objectionReview: cd(15),
        // Art. 11: a correction application is reviewed within 15 days.
        correctionReview: cd(15),
        reviewMaxWithExtension: wd(20),
        supplementAnswer: wd(10),
        repairReview: wd(3),
        // Art. 12: reconsideration decided within 15 days.
        provincialReview: cd(15),
        appealWindow: cd(10),
        delistingLimit: wd(3),
        reconsiderationWindow: cd(60),
        litigationWindow: months(6),
      },
      claimHold: wd(1),
      repairCommitment: COMMITMENT,
      reminderAtFraction: 0.8,
    },
  ],
  listTypes: [
    {
      listType: 'judgment-defaulters',
      name: { zh: '失信被执行人名单', en: 'List of judgment defaulters' },
      policyProfile: 'spc-2017',
      proposers: { kinds: ['court'], minLevel: 'county' },
      maxPublication: years(2),
      repair: 'on-performance',
      extension: { min: years(1), max: years(3) },
      gracePeriod: { min: months(1), max: months(3) },
      published: true,
    },
    {
      listType: 'serious-dishonesty',
      name: { zh: '严重失信主体名单', en: 'Seriously untrustworthy subjects list' },
      policyProfile: 'cn-2026',
      proposers: { kinds: ['department'], minLevel: 'county' },
      maxPublication: years(3),
      minPublication: years(1),
      repair: 'after-minimum',
      published: true,
    },
    {
      listType: 'penalty-general',
      name: { zh: '行政处罚信息公示（一般）', en: 'Published administrative penalty (general)' },
      policyProfile: 'cn-2026',
      proposers: { kinds: ['department'], minLevel: 'county' },
      maxPublication: years(1),
      minPublication: months(3),
      repair: 'after-minimum',
      published: true,
    },
    {
      listType: 'penalty-serious',
      name: { zh: '行政处罚信息公示（严重）', en: 'Published administrative penalty (serious)' },
      policyProfile: 'cn-2026',
      proposers: { kinds: ['department'], minLevel: 'county' },
      maxPublication: years(3),
      minPublication: years(1),
      repair: 'after-minimum',
      published: true,
      notes: 'Special sectors (special equipment, workplace safety, fire, food and drugs) use the 1-year minimum.',
    },
    {
      listType: 'penalty-minor',
      name: { zh: '行政处罚信息（轻微）', en: 'Administrative penalty (minor)' },
      policyProfile: 'cn-2026',
      proposers: { kinds: ['department'], minLevel: 'county' },
      maxPublication: months(3),
      repair: 'none',
      published: false,
      notes: 'Usually not published; a warning-only penalty is never published.',
    },
  ],
  agencies: [
    { agencyId: '310000-court-1st-intermediate', name: { zh: '上海市第一中级人民法院', en: 'Shanghai No. 1 Intermediate People\'s Court' }, kind: 'court', level: 'prefecture', provinceCode: '310000', listTypes: ['judgment-defaulters'], reviewInbox: 'review@310000-court-1st-intermediate.gov.example.cn' },
    { agencyId: '310000-samr', name: { zh: '上海市市场监督管理局', en: 'Shanghai Administration for Market Regulation' }, kind: 'department', level: 'province', provinceCode: '310000', listTypes: ['serious-dishonesty', 'penalty-general', 'penalty-serious', 'penalty-minor'], reviewInbox: 'review@310000-samr.gov.example.cn' },
    { agencyId: '310000-pudong-samr', name: { zh: '上海市浦东新区市场监督管理局', en: 'Pudong New Area Administration for Market Regulation' }, kind: 'department', level: 'county', provinceCode: '310000', listTypes: ['penalty-general', 'penalty-serious', 'penalty-minor'], reviewInbox: 'review@310000-pudong-samr.gov.example.cn' },
    { agencyId: '330000-hangzhou-court', name: { zh: '杭州市中级人民法院', en: 'Hangzhou Intermediate People\'s Court' }, kind: 'court', level: 'prefecture', provinceCode: '330000', listTypes: ['judgment-defaulters'], reviewInbox: 'review@330000-hangzhou-court.gov.example.cn' },
    { agencyId: '330000-zjamr', name: { zh: '浙江省市场监督管理局', en: 'Zhejiang Administration for Market Regulation' }, kind: 'department', level: 'province', provinceCode: '330000', listTypes: ['serious-dishonesty', 'penalty-general', 'penalty-serious', 'penalty-minor'], reviewInbox: 'review@330000-zjamr.gov.example.cn' },
    { agencyId: '330000-xihu-emergency', name: { zh: '杭州市西湖区应急管理局', en: 'Xihu District Emergency Management Bureau' }, kind: 'department', level: 'county', provinceCode: '330000', listTypes: ['serious-dishonesty', 'penalty-general', 'penalty-serious'], reviewInbox: 'review@330000-xihu-emergency.gov.example.cn' },
  ],
  provinces: [
    { provinceCode: '310000', name: { zh: '上海市', en: 'Shanghai' }, reviewInbox: 'review@310000.credit.gov.example.cn' },
    { provinceCode: '330000', name: { zh: '浙江省', en: 'Zhejiang' }, reviewInbox: 'review@330000.credit.gov.example.cn' },
  ],
});
