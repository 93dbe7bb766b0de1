/**
 * Tick keys name the schedule slot a run belongs to. Every replica computes the same key
 * for the same slot, whenever within the slot its timer fires, which is what lets the
 * `sync_job_runs` unique key admit one run per slot.
 */

/** Returns the start of the `intervalMs` slot containing `at`, counted from the Unix epoch, in ISO form. */
export function intervalTick(at: Date, intervalMs: number): string {
  return new Date(Math.floor(at.getTime() / intervalMs) * intervalMs).toISOString();
}

/** Milliseconds from `at` to the start of the next `intervalMs` slot. */
export function msUntilNextInterval(at: Date, intervalMs: number): number {
  const next = (Math.floor(at.getTime() / intervalMs) + 1) * intervalMs;
  return next - at.getTime();
}

/** Returns the latest daily occurrence of `hour:minute` (server local time) at or before `at`, in ISO form. */
export function dailyTick(at: Date, hour: number, minute: number): string {
  const occurrence = new Date(at);
  occurrence.setHours(hour, minute, 0, 0);
  if (occurrence.getTime() > at.getTime()) occurrence.setDate(occurrence.getDate() - 1);
  return occurrence.toISOString();
}

/** Milliseconds from `at` to the next daily occurrence of `hour:minute` (server local time). */
export function msUntilNextDaily(at: Date, hour: number, minute: number): number {
  const next = new Date(at);
  next.setHours(hour, minute, 0, 0);
  if (next.getTime() <= at.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - at.getTime();
}
