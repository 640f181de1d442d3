import { parseEventTime, recordAccount, str, type CloudTrailRecord } from '../event.js';
import { compare } from '../text.js';
import type { FindingInput } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A UUID packed into 8 UTF-16 units (a flat string of 8 instead of 36), for the keys that matchers and the runner
 * keep for every event or sign-in sequence until the end; undefined for anything that is not a UUID.
 */
export function packUuid(id: string): string | undefined {
  if (!UUID.test(id)) return undefined;
  const hex = id.replace(/-/g, '').toLowerCase();
  let key = '';
  for (let i = 0; i < 32; i += 4) key += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return key;
}

/** The fields every finding takes from the event that shows it. */
export function fromRecord(record: CloudTrailRecord): Omit<FindingInput, 'message' | 'principal'> {
  const id = str(record.eventID);
  return {
    time: parseEventTime(record.eventTime)?.toISOString() ?? null,
    account: recordAccount(record) ?? null,
    region: str(record.awsRegion) ?? null,
    eventName: str(record.eventName) ?? null,
    sourceIp: str(record.sourceIPAddress) ?? null,
    eventIds: id ? [id] : [],
  };
}

export function timeOf(record: CloudTrailRecord): number {
  return parseEventTime(record.eventTime)?.getTime() ?? Number.NaN;
}

/** Records arrive in any order (S3 objects are not sorted): correlating matchers sort before they decide. */
export function byTime(a: CloudTrailRecord, b: CloudTrailRecord): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return Number.isNaN(ta) ? (Number.isNaN(tb) ? 0 : 1) : -1;
  return ta - tb || compare(String(a.eventID ?? ''), String(b.eventID ?? ''));
}

export function failed(record: CloudTrailRecord): boolean {
  return str(record.errorCode) !== undefined && record.errorCode !== '';
}

/** Keep event IDs bounded per group: a sync failing every 40 minutes for a year is 13,000 events. */
const MAX_EVENT_IDS = 1000;

/**
 * Adds to a bounded list that keeps the `max` smallest values, whatever order they come in (worker threads
 * deliver records in a different order on every run, and the report must not change with it).
 */
export function addSmallest(list: string[], value: string, max: number): void {
  list.push(value);
  if (list.length >= 2 * max) {
    list.sort(compare);
    list.length = max;
  }
}

export function smallest(list: readonly string[], max: number): string[] {
  return [...list].sort(compare).slice(0, max);
}

/** Events of one kind folded into one finding: a count, the first and last time, the event IDs. */
export interface Group {
  count: number;
  first: CloudTrailRecord;
  last: CloudTrailRecord;
  eventIds: string[];
}

export class Groups {
  private groups = new Map<string, Group>();

  add(key: string, record: CloudTrailRecord): Group {
    const id = str(record.eventID);
    const group = this.groups.get(key);
    if (!group) {
      const created = { count: 1, first: record, last: record, eventIds: id ? [id] : [] };
      this.groups.set(key, created);
      return created;
    }
    group.count++;
    if (id) addSmallest(group.eventIds, id, MAX_EVENT_IDS);
    if (byTime(record, group.first) < 0) group.first = record;
    if (byTime(record, group.last) > 0) group.last = record;
    return group;
  }

  entries(): IterableIterator<[string, Group]> {
    return this.groups.entries();
  }
}

/** The fields a grouped finding takes: the last event's, the first event's time, every event ID (bounded). */
export function fromGroup(group: Group): Omit<FindingInput, 'message' | 'principal'> {
  return { ...fromRecord(group.last), firstTime: fromRecord(group.first).time, eventIds: smallest(group.eventIds, MAX_EVENT_IDS) };
}

/** ` 3 times between A and B`, or nothing for a single event. */
export function occurrences(group: Group): string {
  return group.count === 1 ? '' : ` ${group.count} times between ${str(group.first.eventTime)} and ${str(group.last.eventTime)}`;
}

export function groupDetails(group: Group): { count: number; firstSeen: string | null; lastSeen: string | null } {
  return { count: group.count, firstSeen: str(group.first.eventTime) ?? null, lastSeen: str(group.last.eventTime) ?? null };
}
