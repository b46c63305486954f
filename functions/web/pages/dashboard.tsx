import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { dateText, say, type Lang, type Text, ENTRY_FIELD } from '../../../shared/i18n/texts.js';
import type { PolicyBook } from '../../../shared/policy/policy-book.js';
import type { ReviewStatsBody } from '../../../shared/schemas/stats.js';
import type { AppEnv } from '../../api/context.js';
import { STATS_ROLES } from '../../api/routes/stats.js';
import type { Deps } from '../../deps.js';
import { readApi } from '../api-call.js';
import { BarChart, ChartTable, countTicks, type Bar } from '../charts.js';
import { render, tr } from '../layout.js';
import { UI } from '../ui-text.js';
import { pageGet } from './common.js';
import { agencyName } from '../../../shared/policy/policy-book.js';

const T = {
  scope: { zh: '统计范围', en: 'Scope' },
  allAgencies: { zh: '全部认定机关', en: 'All agencies' },
  asOf: { zh: '统计时点', en: 'As of' },
  window: { zh: '按期率、办理时长和提交省级复核的统计期间', en: 'Period of the on-time, time-to-decision and escalation figures' },
  backlogTitle: { zh: '待办案件（按办理期限所在周）', en: 'Open cases by deadline week' },
  backlogNote: { zh: '每周自星期一起算（北京时间），按案件当前适用的办理期限（机关或省级）归周；已逾期和计时暂停（等待当事人补正材料）的案件单列。', en: 'Weeks start on Monday (Beijing time), by the deadline each case is now counted against (the agency\'s or the province\'s); overdue cases and cases whose clock is stopped (waiting for the subject\'s material) have bars of their own.' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  paused: { zh: '计时暂停', en: 'Clock stopped' },
  deadlineWeek: { zh: '办理期限所在周', en: 'Deadline week' },
  cases: { zh: '案件数', en: 'Cases' },
  onTimeTitle: { zh: '按期办结率（按认定机关）', en: 'Decided on time, by agency' },
  onTimeNote: { zh: '统计期间内在机关阶段办结或被提交省级复核的案件：机关在办理期限内作出决定的为按期，期限届满被提交省级复核的为逾期。复核申请、撤回和终结的案件不计。', en: 'Cases whose agency stage ended in the period: decided by the agency within its deadline is on time; escalated to the province when the deadline passed is late. Appeals, withdrawn and closed cases are left out.' },
  onTimeAxis: { zh: '按期率', en: 'On time' },
  agency: ENTRY_FIELD.agency,
  onTime: { zh: '按期', en: 'On time' },
  late: { zh: '逾期', en: 'Late' },
  rate: { zh: '按期率', en: 'Rate' },
  noCases: { zh: '无', en: 'none' },
  medianTitle: { zh: '从受理到决定的工作日（中位数，按认定机关）', en: 'Working days from filing to decision (median, by agency)' },
  medianNote: { zh: '统计期间内作出决定的案件，含提交省级复核后由省级作出决定的；按法定工作日历（含调休上班日）计算，受理当日不计。复核申请不计。', en: 'Cases decided in the period, including those decided by the province after escalation; counted in working days of the official calendar (make-up working days included), the filing day not counted. Appeals are left out.' },
  medianAxis: { zh: '工作日', en: 'Working days' },
  decided: { zh: '已决定', en: 'Decided' },
  median: { zh: '中位数', en: 'Median' },
  escalationsTitle: { zh: '每月提交省级复核的案件', en: 'Escalations to the province per month' },
  escalationsNote: { zh: '机关办理期限届满未作决定而提交省级复核的案件，按提交月份（北京时间）统计，近12个月。', en: 'Cases escalated to the province because the agency\'s deadline passed undecided, by the month it happened (Beijing time), the last 12 months.' },
  month: { zh: '月份', en: 'Month' },
  escalated: { zh: '提交省级复核', en: 'Escalated' },
} satisfies Record<string, Text>;

const casesText = (n: number, lang: Lang) => (lang === 'en' ? `${n} ${n === 1 ? 'case' : 'cases'}` : `${n}件`);
const weekText = (monday: string, lang: Lang) => {
  const [, m, d] = monday.split('-').map(Number);
  return lang === 'en' ? `week of ${say(dateText(monday), lang).replace(/ \d{4}$/, '')}` : `${m}月${d}日起一周`;
};
const monthText = (month: string, lang: Lang) => {
  const [y, m] = month.split('-').map(Number);
  return lang === 'en' ? new Date(Date.UTC(y!, m! - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }) : `${y}年${m}月`;
};
const rateText = (r: { onTime: number; late: number; rate: number | null }, lang: Lang) =>
  r.rate === null ? say(T.noCases, lang) : `${Math.round(r.rate * 100)}% (${r.onTime}/${r.onTime + r.late})`;
const daysText = (n: number | null, lang: Lang) => (n === null ? say(T.noCases, lang) : lang === 'en' ? `${n} ${n === 1 ? 'day' : 'days'}` : `${n}个工作日`);
/** The figures of a chart in one sentence, for its description. */
const sentence = (bars: Bar[], lang: Lang) => bars.map((b) => `${b.label}${lang === 'en' ? ': ' : '：'}${b.valueText}`).join(lang === 'en' ? '; ' : '；');

function scopeText(c: Context<AppEnv>, book: PolicyBook): string {
  const p = c.get('principal')!;
  const lang = c.get('lang');
  if (p.role === 'agency-reviewer') return say(agencyName(book, p.agencyId!), lang);
  if (p.role === 'provincial-reviewer') return say(book.province(p.provinceCode!)?.name ?? { zh: p.provinceCode!, en: p.provinceCode! }, lang);
  return say(T.allAgencies, lang);
}

function ChartSection({ id, title, note, children }: { id: string; title: string; note: string; children: Child }) {
  return (
    <section class="chart-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p class="muted">{note}</p>
      {children}
    </section>
  );
}

/** The reviewers' and auditors' dashboard: the four series of GET /v1/stats/reviews as charts, each with its figures as a table. */
export function dashboardPage(app: Hono<AppEnv>, deps: Deps) {
  pageGet(app, '/dashboard', STATS_ROLES, async (c) => {
    const stats = await readApi<ReviewStatsBody>(app, c, '/v1/stats/reviews');
    const book = await deps.policies();
    const lang = c.get('lang');
    const t = (x: Text) => tr(c, x);
    const agency = (id: string) => say(agencyName(book, id), lang);

    const backlog: Bar[] = [
      { label: t(T.overdue), value: stats.backlog.overdue, valueText: casesText(stats.backlog.overdue, lang), tone: 'danger' },
      { label: t(T.paused), value: stats.backlog.paused, valueText: casesText(stats.backlog.paused, lang), tone: 'warn' },
      ...stats.backlog.weeks.map((w) => ({ label: weekText(w.weekStart, lang), value: w.open, valueText: casesText(w.open, lang) })),
    ];
    const onTime: Bar[] = stats.onTime.map((r) => ({ label: agency(r.agencyId), value: r.rate, valueText: rateText(r, lang) }));
    const median: Bar[] = stats.timeToDecision.map((r) => ({ label: agency(r.agencyId), value: r.medianWorkingDays, valueText: daysText(r.medianWorkingDays, lang) }));
    const escalations: Bar[] = stats.escalations.map((m) => ({ label: monthText(m.month, lang), value: m.escalated, valueText: casesText(m.escalated, lang) }));
    const most = (bars: Bar[]) => Math.max(0, ...bars.map((b) => b.value ?? 0));
    const percentTicks = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: `${v * 100}%` }));

    return render(
      c,
      200,
      UI.dashboard,
      <>
        <dl class="facts">
          <div><dt>{t(T.scope)}</dt><dd>{scopeText(c, book)}</dd></div>
          <div><dt>{t(T.asOf)}</dt><dd>{say(dateText(stats.window.to), lang)}</dd></div>
          <div><dt>{t(T.window)}</dt><dd>{say(dateText(stats.window.from), lang)} – {say(dateText(stats.window.to), lang)}</dd></div>
        </dl>
        <div class="charts">
          <ChartSection id="backlog" title={t(T.backlogTitle)} note={t(T.backlogNote)}>
            <BarChart id="backlog-chart" title={t(T.backlogTitle)} desc={sentence(backlog, lang)} categoryAxis={t(T.deadlineWeek)} valueAxis={t(T.cases)} bars={backlog} ticks={countTicks(most(backlog))} />
            <ChartTable caption={t(T.backlogTitle)} headers={[t(T.deadlineWeek), t(T.cases)]} rows={backlog.map((b) => [b.label, String(b.value)])} />
          </ChartSection>
          <ChartSection id="on-time" title={t(T.onTimeTitle)} note={t(T.onTimeNote)}>
            <BarChart id="on-time-chart" title={t(T.onTimeTitle)} desc={sentence(onTime, lang)} categoryAxis={t(T.agency)} valueAxis={t(T.onTimeAxis)} bars={onTime} ticks={percentTicks} />
            <ChartTable caption={t(T.onTimeTitle)} headers={[t(T.agency), t(T.onTime), t(T.late), t(T.rate)]} rows={stats.onTime.map((r) => [agency(r.agencyId), String(r.onTime), String(r.late), r.rate === null ? t(T.noCases) : `${Math.round(r.rate * 100)}%`])} />
          </ChartSection>
          <ChartSection id="median" title={t(T.medianTitle)} note={t(T.medianNote)}>
            <BarChart id="median-chart" title={t(T.medianTitle)} desc={sentence(median, lang)} categoryAxis={t(T.agency)} valueAxis={t(T.medianAxis)} bars={median} ticks={countTicks(most(median))} />
            <ChartTable caption={t(T.medianTitle)} headers={[t(T.agency), t(T.decided), t(T.median)]} rows={stats.timeToDecision.map((r) => [agency(r.agencyId), String(r.decided), daysText(r.medianWorkingDays, lang)])} />
          </ChartSection>
          <ChartSection id="escalations" title={t(T.escalationsTitle)} note={t(T.escalationsNote)}>
            <BarChart id="escalations-chart" title={t(T.escalationsTitle)} desc={sentence(escalations, lang)} categoryAxis={t(T.month)} valueAxis={t(T.cases)} bars={escalations} ticks={countTicks(most(escalations))} />
            <ChartTable caption={t(T.escalationsTitle)} headers={[t(T.month), t(T.escalated)]} rows={escalations.map((b) => [b.label, String(b.value)])} />
          </ChartSection>
        </div>
      </>,
    );
  });
}
