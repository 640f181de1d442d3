import { milliseconds } from 'date-fns/milliseconds';
import { UsageError } from './errors.js';

const UNITS = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;

/** `90m`, `36h`, `7d`, `2w`: a length of time, for windows and relative times. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)([mhdw])$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} takes a duration such as 90m, 36h, 7d or 2w, not ${JSON.stringify(text)}`);
  return milliseconds({ [UNITS[m[2] as keyof typeof UNITS]]: Number(m[1]) });
}
