/**
 * The one table of CloudTrail fields (src/cloudtrail-fields.ts): the facts each consumer derives from it, written
 * out here so that a row changed by mistake shows up as the fact it breaks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ATHENA_COLUMNS, ATHENA_SELECTED, CLOUDTRAIL_FIELDS, PICKED_UP } from '../src/cloudtrail-fields.js';
import type { SummaryFields } from '../src/read/framer/fields.js';

const SRC = join(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? sources(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
}

/** The modules of src/ a file imports, static or dynamic, relative to src/. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^(?:import|export)\s[^'"]*?from\s+|^import\s+|import\()'(\.[^']+)'/gm)].map((m) => m[1]!);
  return specifiers.map((s) => relative(SRC, resolve(dirname(file), s)));
}

describe('the CloudTrail fields table', () => {
  it('gives the DDL the documented table\'s columns, in the documented order', () => {
    expect(ATHENA_COLUMNS.map((c) => c.name)).toEqual([
      'eventversion', 'useridentity', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent',
      'errorcode', 'errormessage', 'requestparameters', 'responseelements', 'additionaleventdata', 'requestid', 'eventid',
      'readonly', 'resources', 'eventtype', 'apiversion', 'recipientaccountid', 'serviceeventdetails', 'sharedeventid',
      'vpcendpointid', 'vpcendpointaccountid', 'eventcategory', 'addendum', 'sessioncredentialfromconsole',
      'edgedevicedetails', 'tlsdetails',
    ]);
    // Not a STRING: parsed back from the text a result holds; a STRING column over a JSON object is parsed too.
    expect(ATHENA_COLUMNS.filter((c) => c.field.nested).map((c) => c.name)).toEqual([
      'useridentity', 'requestparameters', 'responseelements', 'additionaleventdata', 'resources', 'serviceeventdetails',
      'addendum', 'edgedevicedetails', 'tlsdetails',
    ]);
    expect(ATHENA_COLUMNS.filter((c) => c.type !== 'STRING').every((c) => c.field.nested)).toBe(true);
  });

  it('numbers the query\'s columns and the Lake columns 1, 2, 3, ... without a gap or a repeat', () => {
    const positions = (key: 'query' | 'lake') => CLOUDTRAIL_FIELDS.flatMap((f) => (f[key] === undefined ? [] : [f[key]])).sort((a, b) => a - b);
    expect(positions('query')).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(positions('lake')).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  it('selects, for each alias, the row whose path it rebuilds', () => {
    const byAlias = new Map(ATHENA_SELECTED.map((c) => [c.alias, c]));
    expect(byAlias.size).toBe(ATHENA_SELECTED.length);
    for (const c of ATHENA_SELECTED) expect(CLOUDTRAIL_FIELDS).toContain(c.field);
    expect(byAlias.get('useridentity_sessionissuer_arn')?.field.path).toEqual(['userIdentity', 'sessionContext', 'sessionIssuer', 'arn']);
    expect(byAlias.get('useridentity_sessionissuer_arn')?.sql).toBe('useridentity.sessioncontext.sessionissuer.arn');
    expect(byAlias.get('useridentity_onbehalfof_userid')?.field.path).toEqual(['userIdentity', 'onBehalfOf', 'userId']);
    expect(byAlias.get('sourceipaddress')?.field.path).toEqual(['sourceIPAddress']);
    // A top-level column the query selects is named as the table names it.
    const columns = new Set(ATHENA_COLUMNS.map((c) => c.name));
    for (const c of ATHENA_SELECTED.filter((s) => s.field.path.length === 1)) expect(columns.has(c.alias), c.alias).toBe(true);
  });

  it('has the framer pick up exactly the summary\'s and the candidate test\'s fields', () => {
    expect([...PICKED_UP].sort()).toEqual(['awsRegion', 'errorCode', 'errorMessage', 'eventName', 'eventSource', 'eventTime', 'eventType', 'recipientAccountId']);
    expect(CLOUDTRAIL_FIELDS.filter((f) => f.candidate).map((f) => f.path[0])).toEqual(['eventSource', 'eventName', 'errorCode', 'errorMessage']);
    expectTypeOf<(typeof PICKED_UP)[number]>().toEqualTypeOf<Exclude<keyof SummaryFields, 'requestText'>>();
  });

  it('is imported by the reader without the Athena command (no module under src/read imports src/athena)', () => {
    const reader = sources(join(SRC, 'read'));
    expect(reader.length).toBeGreaterThan(10);
    const offending = reader.flatMap((f) => imports(f).filter((i) => i.startsWith('athena/')).map((i) => `${relative(SRC, f)} -> ${i}`));
    expect(offending).toEqual([]);
    expect(imports(join(SRC, 'read/containers/athena.ts'))).toContain('cloudtrail-fields.js');
    expect(imports(join(SRC, 'cloudtrail-fields.ts'))).toEqual([]);
  });
});
