import { lastDayOf, shanghaiDateOf } from '../calendar/index.js';
import type { CaseState, EntryState } from '../domain/entry-state.js';
import type { DecisionRemedies } from '../domain/decision.js';
import type { Agency, ListType, Period, PolicyProfile } from '../policy/schema.js';
import { CORRECTABLE_FIELD, enDate, enPeriod, KIND, OUTCOME, zhDate, zhPeriod } from '../i18n/texts.js';

/** One notice, ready for both channels: a full bilingual email and a short SMS. Chinese first, English second. */
export interface Notice {
  /** Names the notice in the trail, so a retried step never serves it twice. */
  key: string;
  subject: string;
  email: string;
  sms: string;
  caseId?: string;
}

export interface NoticeContext {
  entry: EntryState;
  listType: ListType;
  agency: Agency;
  profile: PolicyProfile;
  /** The entry's page in the web interface. */
  entryUrl: string;
  /** The public page a repair certificate is checked on. */
  certificateUrl: (code: string) => string;
}

const dayOf = (at: string) => shanghaiDateOf(at);

function body(zh: string[], en: string[]): string {
  return [...zh, '', '——', '', ...en].join('\n');
}

function removalConditions(ctx: NoticeContext): { zh: string; en: string } {
  const { listType } = ctx;
  const period = { zh: `公示期最长${zhPeriod(listType.maxPublication)}，自决定之日起算，期满自动移出`, en: `the publication period is at most ${enPeriod(listType.maxPublication)} from the decision date, and the entry is removed automatically when it ends` };
  switch (listType.repair) {
    case 'on-performance':
      return { zh: `${period.zh}；履行义务后可随时申请信用修复，经核实后移出。`, en: `${period.en}; once the obligation is performed you may apply for credit repair at any time, and the entry is removed when it is confirmed.` };
    case 'after-minimum':
      return { zh: `${period.zh}；最短公示期${zhPeriod(listType.minPublication!)}届满后可申请信用修复。`, en: `${period.en}; credit repair may be applied for after the minimum period of ${enPeriod(listType.minPublication!)}.` };
    case 'none':
      return { zh: `${period.zh}。`, en: `${period.en}.` };
    default: {
      const _exhaustive: never = listType.repair;
      return _exhaustive;
    }
  }
}

/** The notice before listing (Guobanfa [2020] No. 49): facts, reasons, basis, measures, removal, remedies, the deadline. */
export function preListingNotice(ctx: NoticeContext): Notice {
  const { entry, listType, agency } = ctx;
  const removal = removalConditions(ctx);
  const deadline = entry.representationDeadline;
  return {
    key: 'pre-listing',
    subject: `【拟列入${listType.name.zh}告知书】Notice of proposed listing: ${listType.name.en}`,
    email: body(
      [
        `${entry.subject.name}：`,
        `${agency.name.zh}拟将您列入${listType.name.zh}。`,
        `决定文书：${entry.decisionRef}（${zhDate(entry.decisionDate)}）`,
        `事实与理由：${entry.facts}`,
        `法律依据：${entry.legalBasis}`,
        `惩戒措施：${entry.measures.join('；')}`,
        `移出条件：${removal.zh}`,
        `救济途径：您可在${zhDate(deadline)}24时前在线提出陈述申辩；列入后可提出异议；对决定可依法申请复核。`,
        `陈述申辩截止日期：${zhDate(deadline)}（${deadline}）${entry.deadlineProvisional ? '（按暂定节假日安排计算，官方安排公布后只会延长不会缩短）' : ''}`,
        ...(entry.gracePeriod ? [`宽限期：自本告知送达之日起${zhPeriod(entry.gracePeriod)}内暂不公布。`] : []),
        `在线查看与提交：${ctx.entryUrl}`,
      ],
      [
        `Dear ${entry.subject.name},`,
        `${agency.name.en} proposes to list you on the ${listType.name.en}.`,
        `Decision: ${entry.decisionRef} of ${enDate(entry.decisionDate)}`,
        `Facts and reasons: ${entry.facts}`,
        `Legal basis: ${entry.legalBasis}`,
        `Measures: ${entry.measures.join('; ')}`,
        `Removal: ${removal.en}`,
        `Remedies: you may make representations online until 24:00 on ${enDate(deadline)}; after listing you may object; you may seek review of the decision as the law provides.`,
        `Deadline for representations: ${enDate(deadline)} (${deadline})${entry.deadlineProvisional ? ' (computed on the provisional holiday calendar; the official calendar can only extend it)' : ''}`,
        ...(entry.gracePeriod ? [`Grace period: the entry is not published for ${enPeriod(entry.gracePeriod)} after this notice is served.`] : []),
        `View and respond online: ${ctx.entryUrl}`,
      ],
    ),
    sms: `【信用告知】${agency.name.zh}拟将您列入${listType.name.zh}，陈述申辩截止${deadline}。详见 ${ctx.entryUrl} / Proposed listing; representations until ${deadline}.`,
  };
}

/** The entry is published: the period, and how to object or apply for repair, and from when. */
export function listedNotice(ctx: NoticeContext): Notice {
  const { entry, listType, agency } = ctx;
  const until = lastDayOf(entry.expiresAt!);
  const repairZh = entry.earliestRepairDate ? `自${zhDate(entry.earliestRepairDate)}起可申请信用修复。` : '本类信息不适用信用修复。';
  const repairEn = entry.earliestRepairDate ? `You may apply for credit repair from ${enDate(entry.earliestRepairDate)}.` : 'Credit repair does not apply to this list.';
  return {
    key: 'listed',
    subject: `【列入${listType.name.zh}通知】You have been listed: ${listType.name.en}`,
    email: body(
      [
        `${entry.subject.name}：`,
        `${agency.name.zh}已于${zhDate(dayOf(entry.listedAt!))}将您列入${listType.name.zh}（${entry.decisionRef}）。`,
        `公示期至${zhDate(until)}24时止，期满自动移出。`,
        `如认为信息有误或不应列入，可随时在线提出异议或更正申请，异议期间标注“异议中”。`,
        repairZh,
        `在线查看：${ctx.entryUrl}`,
      ],
      [
        `Dear ${entry.subject.name},`,
        `${agency.name.en} listed you on the ${listType.name.en} on ${enDate(dayOf(entry.listedAt!))} (${entry.decisionRef}).`,
        `The listing runs until 24:00 on ${enDate(until)} and is removed automatically then.`,
        'If the entry is wrong or should not concern you, you may object or request a correction online at any time; the entry is marked "under objection" meanwhile.',
        repairEn,
        `View online: ${ctx.entryUrl}`,
      ],
    ),
    sms: `【信用告知】您已被列入${listType.name.zh}，至${until}。可在线异议${entry.earliestRepairDate ? `，${entry.earliestRepairDate}起可申请修复` : ''}：${ctx.entryUrl} / Listed until ${until}.`,
  };
}

export function delistedNotice(ctx: NoticeContext): Notice {
  const { entry, listType } = ctx;
  const on = dayOf(entry.delistedAt!);
  return {
    key: 'delisted',
    subject: `【移出${listType.name.zh}通知】Removed from the ${listType.name.en}`,
    email: body(
      [`${entry.subject.name}：`, `您的${listType.name.zh}信息（${entry.decisionRef}）已于${zhDate(on)}移出，不再公示，各联合惩戒单位同步解除相关措施。`, `在线查看：${ctx.entryUrl}`],
      [`Dear ${entry.subject.name},`, `Your entry on the ${listType.name.en} (${entry.decisionRef}) was removed on ${enDate(on)}. It is no longer published, and the joint-enforcement agencies are told to lift their measures.`, `View online: ${ctx.entryUrl}`],
    ),
    sms: `【信用告知】您的${listType.name.zh}信息已于${on}移出。/ Your entry was removed on ${on}.`,
  };
}

export function caseFiledNotice(ctx: NoticeContext, c: CaseState): Notice {
  const kind = KIND[c.kind]!;
  const who = c.level === 'province' ? { zh: '省级复核机构', en: 'The provincial reviewer' } : { zh: ctx.agency.name.zh, en: ctx.agency.name.en };
  const after = c.level === 'province'
    ? { zh: '复核期间原决定不停止执行。', en: 'The entry stays as it is while the appeal is reviewed.' }
    : { zh: '逾期将提交省级复核。', en: 'If it does not, the case goes to the provincial reviewer.' };
  return {
    key: `case-filed:${c.caseId}`,
    caseId: c.caseId,
    subject: `【${kind.zh}受理回执】Your ${kind.en} was received: ${c.caseId}`,
    email: body(
      [`${ctx.entry.subject.name}：`, `您的${kind.zh}已受理，案件编号 ${c.caseId}。`, `${who.zh}应于${zhDate(c.deadline)}24时前作出决定。${after.zh}`, `在线查看：${ctx.entryUrl}`],
      [`Dear ${ctx.entry.subject.name},`, `Your ${kind.en} was received as case ${c.caseId}.`, `${who.en} must decide it by 24:00 on ${enDate(c.deadline)}. ${after.en}`, `View online: ${ctx.entryUrl}`],
    ),
    sms: `【信用告知】${kind.zh}已受理，编号${c.caseId}，决定期限${c.deadline}。/ Case ${c.caseId} received; decision due ${c.deadline}.`,
  };
}

export function caseEscalatedNotice(ctx: NoticeContext, c: CaseState): Notice {
  const kind = KIND[c.kind]!;
  return {
    key: `case-escalated:${c.caseId}`,
    caseId: c.caseId,
    subject: `【${kind.zh}已提交省级复核】Your ${kind.en} went to the provincial reviewer: ${c.caseId}`,
    email: body(
      [`${ctx.entry.subject.name}：`, `${ctx.agency.name.zh}未在期限内对您的${kind.zh}（${c.caseId}）作出决定，案件已提交省级复核，复核期限至${zhDate(c.deadline)}24时。`, `在线查看：${ctx.entryUrl}`],
      [`Dear ${ctx.entry.subject.name},`, `${ctx.agency.name.en} did not decide your ${kind.en} (${c.caseId}) in time. The case went to the provincial reviewer, who must decide it by 24:00 on ${enDate(c.deadline)}.`, `View online: ${ctx.entryUrl}`],
    ),
    sms: `【信用告知】案件${c.caseId}已提交省级复核，期限${c.deadline}。/ Case ${c.caseId} escalated; due ${c.deadline}.`,
  };
}



/** A decision with its reasons, what it changed, and the right of appeal with its closing date. */
export function caseDecidedNotice(ctx: NoticeContext, c: CaseState, remedy: DecisionRemedies): Notice {
  const kind = KIND[c.kind]!;
  const d = c.decision!;
  const outcome = OUTCOME[d.outcome]!;
  const effect = decisionEffect(ctx, c);
  const next = remedy.appealClosesOn
    ? { zh: `如不服本决定，可于${zhDate(remedy.appealClosesOn)}24时前在线申请复核，由省级复核机构审查；复核期间原决定不停止执行。`, en: `If you disagree, you may appeal online until 24:00 on ${enDate(remedy.appealClosesOn)}; the provincial reviewer decides the appeal, and the entry stays as it is meanwhile.` }
    : { zh: `本决定为省级复核决定。如不服，可于${zhDate(remedy.reconsiderationClosesOn)}24时前依法申请行政复议，或于${zhDate(remedy.litigationClosesOn)}24时前依法提起行政诉讼。`, en: `This is the provincial reviewer's decision. If you disagree, you may apply for administrative reconsideration until 24:00 on ${enDate(remedy.reconsiderationClosesOn)}, or bring an administrative lawsuit until 24:00 on ${enDate(remedy.litigationClosesOn)}, as the law provides.` };
  const smsNext = remedy.appealClosesOn ? `可于${remedy.appealClosesOn}前申请复核` : `可于${remedy.reconsiderationClosesOn}前申请行政复议`;
  return {
    key: `case-decided:${c.caseId}`,
    caseId: c.caseId,
    subject: `【${kind.zh}决定】Decision on your ${kind.en}: ${outcome.en}`,
    email: body(
      [`${ctx.entry.subject.name}：`, `您的${kind.zh}（${c.caseId}）经审查，决定：${outcome.zh}。`, `理由：${d.reasons}`, effect.zh, next.zh, `在线查看：${ctx.entryUrl}`],
      [`Dear ${ctx.entry.subject.name},`, `Your ${kind.en} (${c.caseId}) was decided: ${outcome.en}.`, `Reasons: ${d.reasons}`, effect.en, next.en, `View online: ${ctx.entryUrl}`],
    ),
    sms: `【信用告知】案件${c.caseId}决定：${outcome.zh}，${smsNext}。详见 ${ctx.entryUrl} / Case ${c.caseId}: ${outcome.en}.`,
  };
}

/** What the decision changed on the entry, as the entry now shows it. */
function decisionEffect(ctx: NoticeContext, c: CaseState): { zh: string; en: string } {
  const { entry } = ctx;
  const d = c.decision!;
  if (d.certificate) {
    const url = ctx.certificateUrl(d.certificate);
    return {
      zh: `信用修复申请已通过，该信息已移出名单并停止公示。信用修复证书编号：${d.certificate}，任何单位可在 ${url} 核验。`,
      en: `Your credit repair is approved: the entry was removed from the list and is no longer published. Repair certificate code: ${d.certificate}; anyone can check it at ${url}.`,
    };
  }
  if (d.missing?.length) {
    const list = d.missing.map((m, i) => `${i + 1}. ${m}`).join('\n');
    return { zh: `该信息维持不变。尚需补正：\n${list}\n补正后可重新申请信用修复。`, en: `The entry stays as it is. Still to put right:\n${list}\nOnce done, you may apply for repair again.` };
  }
  const tookOff = d.outcome === 'upheld' && c.kind !== 'correction' && (entry.status === 'withdrawn' || entry.status === 'delisted');
  if (tookOff && entry.status === 'withdrawn') return { zh: '拟列入决定已撤回，您不会被列入，也不会被公示。', en: 'The proposal is withdrawn: you will not be listed or published.' };
  if (tookOff || (d.correction?.field === 'subject.id' && entry.status === 'delisted')) return { zh: '该信息已移出名单并停止公示。', en: 'The entry was removed from the list and is no longer published.' };
  if (d.correction) {
    const field = CORRECTABLE_FIELD[d.correction.field]!;
    // A correction applies to an entry still on the list or proposed; one that left the list meanwhile keeps its record as it was.
    if (entry.status !== 'listed' && entry.status !== 'proposed') return { zh: `该信息已不在名单中，${field.zh}未再更正。`, en: `The entry is no longer on the list, so its ${field.en} was not changed.` };
    return { zh: `${field.zh}已更正为：${d.correction.value}。原记录保留在审计记录中。`, en: `The ${field.en} was corrected to: ${d.correction.value}. The previous version stays in the audit trail.` };
  }
  if (c.kind === 'representation' && entry.status === 'proposed') return { zh: '列入程序将继续；列入后您仍可提出异议。', en: 'The listing proceeds; once listed, you may still object.' };
  if (c.kind === 'appeal') return { zh: '原决定维持，该信息维持不变。', en: 'The decision under appeal stands, and the entry stays as it is.' };
  return { zh: '该信息维持不变，异议标注已取消。', en: 'The entry stays as it is, and the under-objection mark is removed.' };
}

/** The reviewer asks once for everything missing; the review clock waits for the answer. */
export function infoRequestedNotice(ctx: NoticeContext, c: CaseState): Notice {
  const kind = KIND[c.kind]!;
  const r = c.infoRequest!;
  const list = r.questions.map((q, i) => `${i + 1}. ${q}`);
  return {
    key: `info-requested:${c.caseId}`,
    caseId: c.caseId,
    subject: `【补充材料通知】Material needed for your ${kind.en}: ${c.caseId}`,
    email: body(
      [`${ctx.entry.subject.name}：`, `审查您的${kind.zh}（${c.caseId}）需要补充以下材料：`, ...list, `请于${zhDate(r.answerDue)}24时前在线提交。审查期限在您答复前中止，答复后继续计算；逾期未答复的，将依现有材料作出决定。`, `在线提交：${ctx.entryUrl}`],
      [`Dear ${ctx.entry.subject.name},`, `To review your ${kind.en} (${c.caseId}) we need:`, ...list, `Please answer online by 24:00 on ${enDate(r.answerDue)}. The review clock stands still until you answer and runs on afterwards; without an answer in time, the case is decided on the file as it stands.`, `Answer online: ${ctx.entryUrl}`],
    ),
    sms: `【信用告知】案件${c.caseId}需补充材料，请于${r.answerDue}前在线提交。/ Case ${c.caseId}: material needed by ${r.answerDue}.`,
  };
}

export function caseExtendedNotice(ctx: NoticeContext, c: CaseState): Notice {
  const kind = KIND[c.kind]!;
  const x = c.extension!;
  return {
    key: `case-extended:${c.caseId}`,
    caseId: c.caseId,
    subject: `【审查期限延长】The review of your ${kind.en} was extended: ${c.caseId}`,
    email: body(
      [`${ctx.entry.subject.name}：`, `${ctx.agency.name.zh}将您的${kind.zh}（${c.caseId}）的审查期限由${zhDate(x.previousDeadline)}延长至${zhDate(c.deadline)}24时。`, `理由：${x.reason}`, `在线查看：${ctx.entryUrl}`],
      [`Dear ${ctx.entry.subject.name},`, `${ctx.agency.name.en} extended the review of your ${kind.en} (${c.caseId}) from ${enDate(x.previousDeadline)} to 24:00 on ${enDate(c.deadline)}.`, `Reason: ${x.reason}`, `View online: ${ctx.entryUrl}`],
    ),
    sms: `【信用告知】案件${c.caseId}审查期限延长至${c.deadline}。/ Case ${c.caseId}: review extended to ${c.deadline}.`,
  };
}

export function caseWithdrawnNotice(ctx: NoticeContext, c: CaseState): Notice {
  const kind = KIND[c.kind]!;
  return {
    key: `case-withdrawn:${c.caseId}`,
    caseId: c.caseId,
    subject: `【撤回确认】Your ${kind.en} was withdrawn: ${c.caseId}`,
    email: body(
      [`${ctx.entry.subject.name}：`, `您已撤回${kind.zh}（${c.caseId}），审查终止。`, `在线查看：${ctx.entryUrl}`],
      [`Dear ${ctx.entry.subject.name},`, `You withdrew your ${kind.en} (${c.caseId}); its review has ended.`, `View online: ${ctx.entryUrl}`],
    ),
    sms: `【信用告知】案件${c.caseId}已撤回。/ Case ${c.caseId} withdrawn.`,
  };
}

const REMINDER: Record<string, { zh: string; en: string }> = {
  '80%': { zh: '审查时间已过80%', en: '80% of the review time has passed' },
  'last-day': { zh: '今天是审查期限的最后一个工作日', en: 'today is the last working day of the review' },
  overdue: { zh: '审查已逾期，请尽快作出决定', en: 'the review is overdue; decide it as soon as possible' },
};

/** A reminder to the reviewers' mailbox of the level that holds the case. */
export function reviewerReminderNotice(c: CaseState, reminder: string, caseUrl: string): Notice {
  const kind = KIND[c.kind]!;
  const what = REMINDER[reminder.split(/[:@#]/)[1]!]!;
  return {
    key: `reminder:${c.caseId}:${reminder}`,
    caseId: c.caseId,
    subject: `【审查提醒】Review reminder: ${kind.en} ${c.caseId} due ${c.deadline}`,
    email: body(
      [`${kind.zh}（${c.caseId}）：${what.zh}。决定期限：${zhDate(c.deadline)}24时。`, `办理：${caseUrl}`],
      [`${kind.en} ${c.caseId}: ${what.en}. Decision due by 24:00 on ${enDate(c.deadline)}.`, `Open the case: ${caseUrl}`],
    ),
    sms: `【审查提醒】${c.caseId} ${what.zh}，期限${c.deadline}。/ ${c.caseId}: ${what.en}.`,
  };
}
