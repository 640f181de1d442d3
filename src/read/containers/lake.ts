import { CLOUDTRAIL_FIELDS } from '../../cloudtrail-fields.js';
import { isObject, type CloudTrailRecord, type JsonObject } from '../../event.js';

/**
 * CloudTrail Lake `get-query-results`: `QueryResultRows` is a list of rows, each a list of one-key objects
 * `{"<column>": "<string value>"}` (FIELDS.md section 5). Every value is a string, so nested columns come back
 * as text: JSON when the query formatted them so, otherwise the engine's `{key=value, ...}` struct text.
 */
const NESTED = new Set(CLOUDTRAIL_FIELDS.filter((f) => f.nested && f.path.length === 1).map((f) => f.path[0]!));

/** The columns the Identity Center matchers read; a query that did not select them limits what can be found. */
const LAKE_COLUMNS = CLOUDTRAIL_FIELDS.filter((f) => f.lake !== undefined).sort((a, b) => a.lake! - b.lake!).map((f) => f.path[0]!);

// Struct text lower-cases field names; put back the CloudTrail spelling for the fields sso-logs reads.
const CAMEL = new Map(
  ['accountId', 'principalId', 'userName', 'accessKeyId', 'sessionContext', 'sessionIssuer', 'invokedBy', 'onBehalfOf',
    'userId', 'identityStoreArn', 'credentialId', 'creationDate', 'mfaAuthenticated', 'roleName', 'principalType',
    'permissionSetArn', 'instanceArn', 'targetId', 'targetType', 'identityStoreId', 'groupId', 'memberId', 'displayName',
    'tenantId', 'httpBody', 'webIdFederationData', 'identityProvider', 'sourceIdentity', 'eventSource', 'eventName']
    .map((k) => [k.toLowerCase(), k]),
);

export function lakeRowToRecord(row: unknown): CloudTrailRecord | undefined {
  if (!Array.isArray(row)) return undefined;
  const record: CloudTrailRecord = {};
  for (const cell of row) {
    if (!isObject(cell)) return undefined;
    for (const [column, value] of Object.entries(cell)) {
      record[column] = NESTED.has(column) && typeof value === 'string' ? parseNested(value) : value;
    }
  }
  return record;
}

export function missingLakeColumns(record: CloudTrailRecord): string[] {
  return LAKE_COLUMNS.filter((column) => !(column in record));
}

/** A nested column's text: JSON, or the engine's `{key=value, ...}` struct text; the text itself if neither. */
export function parseNested(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'null') return null;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      const parsed = new StructText(trimmed).value();
      return parsed ?? text;
    }
  }
  return text;
}

/** `{type=IAMUser, sessioncontext={attributes={mfaauthenticated=false}}, resources=[{arn=...}]}` */
class StructText {
  private i = 0;
  constructor(private readonly s: string) {}

  value(): unknown {
    try {
      const v = this.parseValue(false);
      return this.i >= this.s.length ? v : undefined;
    } catch {
      return undefined;
    }
  }

  private parseValue(inList: boolean): unknown {
    const c = this.s[this.i];
    if (c === '{') return this.parseObject();
    if (c === '[') return this.parseList();
    const stop = inList ? /[,\]]/ : /[,}]/;
    const start = this.i;
    while (this.i < this.s.length && !(stop.test(this.s[this.i]!) && this.atSeparator())) this.i++;
    const raw = this.s.slice(start, this.i);
    return raw === 'null' ? null : raw;
  }

  // A comma is a separator only when followed by `space key=` or ends a nesting level; values such as
  // "81.2.69.142, 192.168.10.10" keep their commas.
  private atSeparator(): boolean {
    const c = this.s[this.i];
    if (c !== ',') return true;
    return /^, [A-Za-z_][\w:.-]*=/.test(this.s.slice(this.i, this.i + 80)) || /^, [{[]/.test(this.s.slice(this.i, this.i + 3));
  }

  private parseObject(): JsonObject {
    const out: JsonObject = {};
    this.i++;
    while (this.s[this.i] !== '}') {
      if (this.i >= this.s.length) throw new Error('unterminated');
      const eq = this.s.indexOf('=', this.i);
      if (eq === -1) throw new Error('no =');
      const key = this.s.slice(this.i, eq).trim();
      this.i = eq + 1;
      out[CAMEL.get(key) ?? key] = this.parseValue(false);
      if (this.s[this.i] === ',') this.i += this.s[this.i + 1] === ' ' ? 2 : 1;
    }
    this.i++;
    return out;
  }

  private parseList(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    while (this.s[this.i] !== ']') {
      if (this.i >= this.s.length) throw new Error('unterminated');
      out.push(this.parseValue(true));
      if (this.s[this.i] === ',') this.i += this.s[this.i + 1] === ' ' ? 2 : 1;
    }
    this.i++;
    return out;
  }
}
