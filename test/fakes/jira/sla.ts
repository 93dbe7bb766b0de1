/**
 * Service-level agreement values of JSM's `sd-sla-field`. Both SLAs start at
 * creation. "Time to first response" stops when an agent first comments
 * publicly, and "Time to resolution" when the issue gets a resolution.
 * Calendars and pauses are not modelled, so every hour counts.
 */
import type { FieldDefinition } from './fields';
import type { IssueRecord } from './records';
import type { ViewContext } from './view-context';

function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const totalMinutes = Math.floor(Math.abs(ms) / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  let text = `${hours}h ${minutes}m`;
  if (hours === 0) {
    text = `${minutes}m`;
  } else if (minutes === 0) {
    text = `${hours}h`;
  }
  return `${sign}${text}`;
}

function duration(ms: number): Record<string, unknown> {
  return { millis: ms, friendly: formatDuration(ms) };
}

function slaNumber(field: FieldDefinition): string {
  return field.sla === 'firstResponse' ? '1' : '2';
}

function goalOf(ctx: ViewContext, field: FieldDefinition): number {
  return field.sla === 'firstResponse' ? ctx.settings.slaFirstResponseGoalMs : ctx.settings.slaResolutionGoalMs;
}

function stopTimeOf(issue: IssueRecord, field: FieldDefinition): number | null {
  return field.sla === 'firstResponse' ? issue.firstResponseAt : issue.resolutionDate;
}

/** Renders one SLA as the custom field and `/request/{key}/sla` show it, or null outside service desk projects. */
export function renderSla(ctx: ViewContext, issue: IssueRecord, field: FieldDefinition): Record<string, unknown> | null {
  if (!ctx.store.serviceDeskOfProject(issue.projectId)) {
    return null;
  }
  const id = slaNumber(field);
  const goal = goalOf(ctx, field);
  const start = issue.created;
  const breachTime = start + goal;
  const stop = stopTimeOf(issue, field);
  const base = {
    id,
    name: field.name,
    _links: { self: ctx.url(`/rest/servicedeskapi/request/${issue.id}/sla/${id}`) },
  };
  if (stop !== null) {
    const elapsed = stop - start;
    return {
      ...base,
      completedCycles: [
        {
          startTime: ctx.jsmDate(start),
          stopTime: ctx.jsmDate(stop),
          breachTime: ctx.jsmDate(breachTime),
          breached: stop > breachTime,
          goalDuration: duration(goal),
          elapsedTime: duration(elapsed),
          remainingTime: duration(goal - elapsed),
        },
      ],
    };
  }
  const now = ctx.clock.now();
  const elapsed = Math.max(0, now - start);
  return {
    ...base,
    completedCycles: [],
    ongoingCycle: {
      startTime: ctx.jsmDate(start),
      breachTime: ctx.jsmDate(breachTime),
      breached: now > breachTime,
      paused: false,
      withinCalendarHours: true,
      goalDuration: duration(goal),
      elapsedTime: duration(elapsed),
      remainingTime: duration(goal - elapsed),
    },
  };
}
