import { isOpenCase, restingStatus, type CaseClosed, type CaseEvent, type CaseState, type EntryState } from './entry-state.js';

/**
 * Folds one event into the case it concerns: the one reducer of a case's
 * state, used for the entry's stream and wherever a decider needs the case
 * as an event would leave it.
 */
export function evolveCase(c: CaseState, e: CaseEvent): CaseState {
  const timeline = (item: CaseState['timeline'][number]) => [...c.timeline, item];
  switch (e.type) {
    case 'CaseClaimed': {
      const claimed = { ...c, assignedTo: e.data.by, claimUntil: e.data.until };
      return { ...claimed, status: c.status === 'awaiting-info' ? c.status : restingStatus(claimed), timeline: timeline({ at: e.data.at, type: 'claimed', by: e.data.by }) };
    }
    case 'CaseReleased': {
      const { assignedTo: _released, claimUntil: _until, ...rest } = c;
      return { ...rest, status: c.status === 'awaiting-info' ? c.status : restingStatus(rest), timeline: timeline({ at: e.data.at, type: 'released', by: e.data.by }) };
    }
    case 'CaseInfoRequested': {
      const { caseId: _caseId, ...request } = e.data;
      return { ...c, status: 'awaiting-info', infoRequest: request, timeline: timeline({ at: request.at, type: 'info-requested', by: request.by, detail: `answer due ${request.answerDue}` }) };
    }
    case 'CaseSupplemented':
      return { ...c, supplements: [...c.supplements, { at: e.data.at, text: e.data.text, evidence: e.data.evidence }], timeline: timeline({ at: e.data.at, type: 'supplemented', by: c.subjectId }) };
    case 'CaseResumed':
      return {
        ...c,
        status: restingStatus(c),
        infoRequest: { ...c.infoRequest!, resumedAt: e.data.at, resumedBy: e.data.by },
        deadline: e.data.deadline,
        deadlineAt: e.data.deadlineAt,
        deadlineProvisional: e.data.deadlineProvisional,
        clockStartedAt: e.data.clockStartedAt,
        ...(e.data.capDate ? { capDate: e.data.capDate } : {}),
        timeline: timeline({ at: e.data.at, type: 'resumed', detail: `${e.data.by === 'supplement' ? 'supplement received' : 'no answer in time, decided on the file'}; deadline ${e.data.deadline}` }),
      };
    case 'CaseExtended':
      return {
        ...c,
        deadline: e.data.deadline,
        deadlineAt: e.data.deadlineAt,
        deadlineProvisional: e.data.deadlineProvisional,
        extension: { workingDays: e.data.workingDays, reason: e.data.reason, by: e.data.by, at: e.data.at, previousDeadline: e.data.previousDeadline },
        timeline: timeline({ at: e.data.at, type: 'extended', by: e.data.by, detail: `deadline ${e.data.deadline}: ${e.data.reason}` }),
      };
    case 'CaseReminded':
      return { ...c, reminders: [...c.reminders, e.data.reminder], timeline: timeline({ at: e.data.at, type: 'reminded', detail: e.data.reminder }) };
    case 'CaseEscalated': {
      const { assignedTo: _released, claimUntil: _until, ...rest } = c;
      return { ...rest, status: 'escalated', level: 'province', escalatedAt: e.data.at, clockStartedAt: e.data.at, deadline: e.data.deadline, deadlineAt: e.data.deadlineAt, deadlineProvisional: e.data.deadlineProvisional, timeline: timeline({ at: e.data.at, type: 'escalated', detail: `provincial deadline ${e.data.deadline}` }) };
    }
    case 'CaseMarkedOverdue':
      return { ...c, overdue: true, remindersSent: e.data.reminder, reminders: [...c.reminders, `province:overdue@${e.data.day}`], timeline: timeline({ at: e.data.at, type: 'overdue', detail: `reminder ${e.data.reminder}` }) };
    case 'CaseWithdrawn':
      return { ...c, status: 'withdrawn', withdrawnAt: e.data.at, timeline: timeline({ at: e.data.at, type: 'withdrawn', by: e.data.by }) };
    case 'CaseClosed':
      return { ...c, status: 'closed', timeline: timeline({ at: e.data.at, type: 'closed', detail: e.data.reason }) };
    case 'CaseDecided':
      return {
        ...c,
        status: 'decided',
        decision: (({ caseId: _caseId, at, ...decision }) => ({ ...decision, decidedAt: at }))(e.data),
        timeline: timeline({ at: e.data.at, type: 'decided', by: e.data.by, detail: e.data.outcome }),
      };
    default: {
      const _exhaustive: never = e;
      throw new Error(`Unknown case event ${(_exhaustive as { type: string }).type}`);
    }
  }
}

/**
 * The open cases an entry leaving the list (or a withdrawn proposal) leaves
 * without an object, closed with it; `except` is the case whose decision did it.
 */
export function closeMootCases(state: Pick<EntryState, 'cases'>, at: string, reason: CaseClosed['data']['reason'], except?: string): CaseClosed[] {
  return state.cases.filter((c) => isOpenCase(c) && c.caseId !== except).map((c) => ({ type: 'CaseClosed', data: { caseId: c.caseId, at, reason } }));
}
