import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { failsOn, keepFinding, parseTimeBound } from '../src/filters.js';
import type { Finding } from '../src/match/types.js';

const NOW = new Date('2024-10-10T12:00:00.000Z');
const at = (text: string) => parseTimeBound(text, '--since', NOW).toISOString();

describe('parseTimeBound', () => {
  it('reads durations back from now', () => {
    expect(at('90m')).toBe('2024-10-10T10:30:00.000Z');
    expect(at('36h')).toBe('2024-10-09T00:00:00.000Z');
    expect(at('7d')).toBe('2024-10-03T12:00:00.000Z');
    expect(at('2w')).toBe('2024-09-26T12:00:00.000Z');
    expect(at('0m')).toBe(NOW.toISOString());
    expect(at('1.5h')).toBe('2024-10-10T10:30:00.000Z');
    expect(at(' 7d ')).toBe('2024-10-03T12:00:00.000Z');
  });

  it('reads ISO dates (their start, UTC) and date-times (no zone means UTC)', () => {
    expect(at('2024-10-01')).toBe('2024-10-01T00:00:00.000Z');
    expect(at('2024-10-01T13:30:00Z')).toBe('2024-10-01T13:30:00.000Z');
    expect(at('2024-10-01T13:30:00')).toBe('2024-10-01T13:30:00.000Z');
    expect(at('2024-10-01 13:30')).toBe('2024-10-01T13:30:00.000Z');
    expect(at('2024-10-01T13:30:00+02:00')).toBe('2024-10-01T11:30:00.000Z');
    expect(at('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('reads a date alone for --until as the whole UTC day (as athena query does), a date-time as it is', () => {
    const until = (text: string) => parseTimeBound(text, '--until', NOW, 'end').toISOString();
    expect(until('2026-11-27')).toBe('2026-11-27T23:59:59.999Z');
    expect(until('2024-02-29')).toBe('2024-02-29T23:59:59.999Z');
    expect(until('2026-11-27T00:00:00Z')).toBe('2026-11-27T00:00:00.000Z');
    expect(until('2026-11-27T12:00')).toBe('2026-11-27T12:00:00.000Z');
    expect(until('7d')).toBe('2024-10-03T12:00:00.000Z');
  });

  it('refuses what does not parse, never an empty result', () => {
    for (const bad of ['', 'yesterday', '7', 'd', '7x', '-1d', '7 d', '1y', '2024-13-01', '2023-02-29', '2024-10-10T25:00:00Z', '1424476529', 'xxxx']) {
      expect(() => parseTimeBound(bad, '--since', NOW), JSON.stringify(bad)).toThrow(UsageError);
    }
    expect(() => parseTimeBound('soon', '--until', NOW)).toThrow(/--until takes an ISO 8601 date/);
  });
});

const finding = (over: Partial<Finding>): Finding => {
  const time = over.time === undefined ? '2024-10-10T10:00:00.000Z' : over.time;
  return {
    matcher: 'm', severity: 'warning', time, firstTime: time, principal: null, account: '1', region: 'us-east-1',
    eventName: null, sourceIp: null, eventIds: [], message: '', remediation: '', docUrl: '', details: {}, ...over,
  };
};

describe('finding filters', () => {
  it('keep the window inclusive at both ends, and drop findings without a time when there is a window', () => {
    const filter = { since: new Date('2024-10-10T10:00:00Z'), until: new Date('2024-10-10T11:00:00Z'), accounts: [], regions: [] };
    expect(keepFinding(filter, finding({}))).toBe(true);
    expect(keepFinding(filter, finding({ time: '2024-10-10T11:00:00.000Z' }))).toBe(true);
    expect(keepFinding(filter, finding({ time: '2024-10-10T11:00:00.001Z' }))).toBe(false);
    expect(keepFinding(filter, finding({ time: '2024-10-10T09:59:59.999Z' }))).toBe(false);
    expect(keepFinding(filter, finding({ time: null }))).toBe(false);
    expect(keepFinding({ accounts: [], regions: [] }, finding({ time: null }))).toBe(true);
  });

  it('keep a grouped finding whose first-to-last span overlaps the window', () => {
    // a sync error that failed from 2026-11-22 06:00 to 2026-11-23 09:00 (its time is the last event's)
    const grouped = finding({ firstTime: '2026-11-22T06:00:00.000Z', time: '2026-11-23T09:00:00.000Z' });
    const window = (since: string | undefined, until: string | undefined) => ({
      ...(since ? { since: new Date(since) } : {}), ...(until ? { until: new Date(until) } : {}), accounts: [], regions: [],
    });
    expect(keepFinding(window(undefined, '2026-11-22T12:00:00Z'), grouped)).toBe(true);
    expect(keepFinding(window('2026-11-23T00:00:00Z', undefined), grouped)).toBe(true);
    expect(keepFinding(window('2026-11-22T10:00:00Z', '2026-11-22T11:00:00Z'), grouped)).toBe(true);
    expect(keepFinding(window(undefined, '2026-11-22T05:59:59Z'), grouped)).toBe(false);
    expect(keepFinding(window('2026-11-23T09:00:01Z', undefined), grouped)).toBe(false);
  });

  it('keep the accounts and regions asked for', () => {
    expect(keepFinding({ accounts: ['1', '2'], regions: [] }, finding({ account: '2' }))).toBe(true);
    expect(keepFinding({ accounts: ['1'], regions: [] }, finding({ account: '3' }))).toBe(false);
    expect(keepFinding({ accounts: [], regions: ['eu-west-1'] }, finding({}))).toBe(false);
  });

  it('--fail-on counts severities at or above the threshold', () => {
    const warning = [finding({ severity: 'warning' })];
    expect(failsOn(warning, 'error')).toBe(false);
    expect(failsOn(warning, 'warning')).toBe(true);
    expect(failsOn(warning, 'info')).toBe(true);
    expect(failsOn(warning, undefined)).toBe(false);
    expect(failsOn([], 'info')).toBe(false);
  });
});
