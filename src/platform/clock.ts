/** The source of the current time, passed in so that services and tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Formats an instant the one way custos stores it: ISO 8601 in UTC with milliseconds. */
export function toTimestamp(date: Date): string {
  return date.toISOString();
}
