import type { Period } from '../policy/schema.js';

/**
 * The words the system speaks to people, in both languages, in one place:
 * notices (email and SMS) and the web pages use the same texts, so a case
 * kind or an outcome is never named one way by mail and another on screen.
 * Chinese is the language of record and comes first.
 */
export interface Text {
  zh: string;
  en: string;
}

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The name a table gives a key, or the key itself where the table has none (a value from newer data). */
export const named = (table: Record<string, Text>, key: string | undefined): Text => (key && table[key]) || { zh: key ?? '', en: key ?? '' };

/** The text in one language. */
export const say = (text: Text, lang: Lang) => (lang === 'en' ? text.en : text.zh);

export const zhDate = (d: string) => {
  const [y, m, day] = d.split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
};
/** Built once: toLocaleDateString builds a formatter on every call, a large part of writing a notice. */
const EN_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
export const enDate = (d: string) => EN_DATE.format(new Date(`${d}T00:00:00Z`));
/** A calendar date (YYYY-MM-DD) in both languages. */
export const dateText = (d: string): Text => ({ zh: zhDate(d), en: enDate(d) });

const ZH_UNITS: Record<Period['unit'], string> = { calendarDays: '日', workingDays: '个工作日', months: '个月', years: '年' };
const EN_UNITS: Record<Period['unit'], string> = { calendarDays: 'calendar days', workingDays: 'working days', months: 'months', years: 'years' };
export const zhPeriod = (p: Period) => `${p.value}${ZH_UNITS[p.unit]}`;
export const enPeriod = (p: Period) => `${p.value} ${p.value === 1 ? EN_UNITS[p.unit].replace(/s$/, '') : EN_UNITS[p.unit]}`;

export const OUTCOME: Record<string, Text> = {
  upheld: { zh: '成立', en: 'upheld' },
  rejected: { zh: '不成立', en: 'rejected' },
  'partially-upheld': { zh: '部分成立', en: 'partially upheld' },
};

export const KIND: Record<string, Text> = {
  representation: { zh: '陈述申辩', en: 'representation' },
  objection: { zh: '异议', en: 'objection' },
  correction: { zh: '更正申请', en: 'correction request' },
  repair: { zh: '信用修复申请', en: 'credit repair application' },
  appeal: { zh: '复核申请', en: 'appeal' },
};

export const CASE_STATUS: Record<string, Text> = {
  open: { zh: '待审查', en: 'open' },
  'in-review': { zh: '审查中', en: 'in review' },
  'awaiting-info': { zh: '待补正材料', en: 'awaiting information' },
  escalated: { zh: '已提交省级复核', en: 'escalated to the province' },
  decided: { zh: '已决定', en: 'decided' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  closed: { zh: '已终结', en: 'closed' },
};

export const ENTRY_STATUS: Record<string, Text> = {
  proposed: { zh: '拟列入（告知期）', en: 'proposed (notice period)' },
  listed: { zh: '已列入', en: 'listed' },
  withdrawn: { zh: '已撤回列入', en: 'proposal withdrawn' },
  delisted: { zh: '已移出', en: 'delisted' },
};

export const DELIST_REASON: Record<string, Text> = {
  expired: { zh: '公示期届满', en: 'the publication period ended' },
  repaired: { zh: '信用修复', en: 'credit repaired' },
  'objection-upheld': { zh: '异议成立', en: 'objection upheld' },
  'corrected-out': { zh: '更正后移出', en: 'removed on correction' },
  revoked: { zh: '认定机关撤销', en: 'revoked by the agency' },
};

/** The parts of an entry, as every page and notice labels them. */
export const ENTRY_FIELD = {
  subject: { zh: '主体', en: 'Subject' },
  list: { zh: '名单', en: 'List' },
  agency: { zh: '认定机关', en: 'Agency' },
  decisionRef: { zh: '决定文书号', en: 'Decision reference' },
  decisionDate: { zh: '决定日期', en: 'Decision date' },
  facts: { zh: '失信事实', en: 'Facts' },
  legalBasis: { zh: '法律依据', en: 'Legal basis' },
  measures: { zh: '惩戒措施', en: 'Measures' },
} satisfies Record<string, Text>;

export const CORRECTABLE_FIELD: Record<string, Text> = {
  'subject.name': { zh: '主体名称', en: 'subject name' },
  'subject.id': { zh: '证件号码 / 统一社会信用代码', en: 'identity number / credit code' },
  facts: { zh: '失信事实', en: 'facts' },
  legalBasis: { zh: '法律依据', en: 'legal basis' },
  decisionRef: { zh: '决定文书号', en: 'decision reference' },
  decisionDate: { zh: '决定日期', en: 'decision date' },
};

/** Audit event types as the timeline shows them. */
export const EVENT: Record<string, Text> = {
  ListingProposed: { zh: '拟列入并告知', en: 'listing proposed' },
  NoticeSent: { zh: '已送达通知', en: 'notice served' },
  EntryListed: { zh: '列入名单', en: 'listed' },
  ListingWithdrawn: { zh: '撤回拟列入', en: 'proposal withdrawn' },
  ListingExtended: { zh: '延长公示期', en: 'listing period extended' },
  EntryDelisted: { zh: '移出名单', en: 'delisted' },
  EntryCorrected: { zh: '信息已更正', en: 'entry corrected' },
  CaseFiled: { zh: '提交申请', en: 'case filed' },
  CaseClaimed: { zh: '审查人员认领', en: 'claimed by a reviewer' },
  CaseReleased: { zh: '退回待认领', en: 'released' },
  CaseInfoRequested: { zh: '要求补正材料', en: 'information requested' },
  CaseSupplemented: { zh: '补充材料', en: 'material supplied' },
  CaseResumed: { zh: '恢复审查计时', en: 'review clock resumed' },
  CaseExtended: { zh: '延长审查期限', en: 'review extended' },
  CaseReminded: { zh: '发送审查提醒', en: 'reviewer reminded' },
  CaseEscalated: { zh: '提交省级复核', en: 'escalated to the province' },
  CaseMarkedOverdue: { zh: '逾期提醒', en: 'overdue reminder' },
  CaseWithdrawn: { zh: '撤回申请', en: 'case withdrawn' },
  CaseClosed: { zh: '申请终结', en: 'case closed' },
  CaseDecided: { zh: '作出决定', en: 'decided' },
  RecordViewed: { zh: '查阅记录', en: 'record viewed' },
};

/** Steps of a case as its timeline shows them: in the words of the audit events they come from. */
export const CASE_STEP: Record<string, Text> = {
  filed: EVENT.CaseFiled!,
  claimed: EVENT.CaseClaimed!,
  released: EVENT.CaseReleased!,
  'info-requested': EVENT.CaseInfoRequested!,
  supplemented: EVENT.CaseSupplemented!,
  resumed: EVENT.CaseResumed!,
  extended: EVENT.CaseExtended!,
  reminded: EVENT.CaseReminded!,
  escalated: EVENT.CaseEscalated!,
  overdue: EVENT.CaseMarkedOverdue!,
  decided: EVENT.CaseDecided!,
  withdrawn: EVENT.CaseWithdrawn!,
  closed: EVENT.CaseClosed!,
};
