import { field, str, visible, type CloudTrailRecord } from '../event.js';
import { addSmallest, fromGroup, groupDetails, Groups, occurrences, smallest } from '../match/common.js';
import { SCIM } from '../match/principals.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatcherMeta, type Severity } from '../match/types.js';

/** "Logging IAM Identity Center SCIM API calls with AWS CloudTrail": failed-record examples, common validation errors. */
const SCIM_LOG = 'https://docs.aws.amazon.com/singlesignon/latest/userguide/scim-logging-using-cloudtrail.html';
/** The SCIM Implementation Developer Guide: a page per operation, each with an error table (code, condition, HTTP status). */
const SCIM_DEV = 'https://docs.aws.amazon.com/singlesignon/latest/developerguide';
/** The operations whose page has an `#errors-<operation>` anchor (checked in the guide's source, 2026-11). */
const ERROR_TABLES = new Set(['CreateGroup', 'CreateUser', 'DeleteGroup', 'DeleteUser', 'GetGroup', 'GetUser', 'ListGroups', 'ListUsers', 'PatchGroup', 'PatchUser', 'PutUser']);

/** AWS's SCIM error table for the operation that failed, or the list of operations when that page has none. */
function errorTable(eventName: string | undefined): string {
  if (eventName === undefined || !ERROR_TABLES.has(eventName)) return `${SCIM_DEV}/supported-apis.html`;
  const page = eventName.toLowerCase();
  return `${SCIM_DEV}/${page}.html#errors-${page}`;
}

export const meta: MatcherMeta = {
  id: 'scim-sync-error',
  title: 'SCIM provisioning calls from the identity provider failed',
  severity: 'warning',
  docUrl: `${GUIDE}#issue2`,
  remediation:
    'Depends on the error: each finding says what the error code and message name (an attribute, a duplicate, throttling, ' +
    'a server error, an ID that does not exist) and what to do about it.',
  shape: {
    evidence: 'documented',
    note: 'Failed identitystore-scim records (errorCode, errorMessage, the PATCH target id) are published on AWS\'s SCIM logging page; ' +
      'only the target id of a failed Put or Delete is inferred. The throttling, server, not-found and authorization errors come from ' +
      'the SCIM developer guide\'s error tables; no CloudTrail record of them, and so no errorMessage text, is published.',
  },
  falsePositives:
    'Every failed SCIM call is reported. Throttling (reported as info) and server errors are on AWS\'s side and usually cleared by the ' +
    'identity provider\'s next sync; a ResourceNotFoundException can follow a deliberate deletion in IAM Identity Center; a ConflictException ' +
    'whose message names no duplicate may be a concurrent change that a retry clears.',
};

/** What a failed call means and what to do about it, from its error code and message. */
interface Explanation {
  /** A stable word for details.cause, for scripts. */
  kind: string;
  /** One or more sentences for the message, without the final period; none when nothing is known. */
  said?: string;
  remediation: string;
  docUrl: string;
  severity?: Severity;
  attributes?: string[];
}

type Kind = 'user' | 'group' | 'user or group';

function kindOf(eventName: string | undefined): Kind {
  if (eventName === undefined) return 'user or group';
  if (/Group/.test(eventName)) return 'group';
  if (/User/.test(eventName)) return 'user';
  return 'user or group';
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "Value at 'X' failed to satisfy constraint: C", repeated and joined by "; " (AWS's SCIM logging page, common errors). */
const VALUE_AT = /Value at '\**([^'*]+)\**' failed to satisfy constraint: (.*?)(?=; Value at '|$)/g;

/** Each attribute the message names, with its failed constraints, in the order given. */
function violations(message: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const m of message.matchAll(VALUE_AT)) {
    const attribute = m[1]!;
    const constraints = found.get(attribute) ?? [];
    constraints.push(m[2]!.trim());
    found.set(attribute, constraints);
  }
  return found;
}

function describe(constraints: readonly string[]): string {
  const said = new Set<string>();
  for (const c of constraints) {
    const min = /length greater than or equal to (\d+)/.exec(c);
    const max = /length less than or equal to (\d+)/.exec(c);
    if (min) said.add(min[1] === '1' ? 'is empty' : `is shorter than ${min[1]} characters`);
    else if (max) said.add(`is longer than ${max[1]} characters`);
    else if (/regular expression pattern/.test(c)) said.add('does not match the required pattern');
    else said.add(`fails the constraint "${c}"`);
  }
  // "is empty" first: an empty value fails the pattern too, so that is the one to fix.
  return list([...said].sort((a, b) => Number(b.startsWith('is ')) - Number(a.startsWith('is '))));
}

/** The guide's first cause of "specific users fail to synchronize": a user without these (troubleshooting #issue2). */
const NAME_ATTRIBUTES: Record<string, string> = {
  'name.givenName': 'first (given) name',
  'name.familyName': 'last (family) name',
  displayName: 'display name',
};
/** Required by CreateUser and PutUser (userName) and by CreateGroup (displayName), SCIM developer guide constraints. */
function required(attribute: string, kind: Kind): boolean {
  return kind === 'group' ? attribute === 'displayName' : attribute === 'userName';
}

function invalidAttributes(found: Map<string, string[]>, kind: Kind): Explanation {
  const names: string[] = [];
  const needed: string[] = [];
  const others: string[] = [];
  const parts: string[] = [];
  let patternOnly = false;
  for (const [attribute, constraints] of found) {
    const described = describe(constraints);
    if (described === 'does not match the required pattern') patternOnly = true;
    const label = kind !== 'group' ? NAME_ATTRIBUTES[attribute] : undefined;
    if (label) names.push(attribute);
    else if (required(attribute, kind)) needed.push(attribute);
    else others.push(attribute);
    parts.push(label ? `the user's ${label} (${attribute}) ${described}` : `${attribute} ${described}`);
  }
  const fixes: string[] = [];
  if (names.length) {
    fixes.push('Give the user a first (given) name, a last (family) name and a display name in the identity provider, and make sure ' +
      'its SCIM mapping for users sends non-empty values for all three.');
  }
  if (needed.length) {
    fixes.push(`Give the ${kind} a valid ${list(needed)} in the identity provider and make sure its SCIM mapping sends it: IAM Identity Center requires it.`);
  }
  if (others.length) {
    fixes.push(`Give the ${kind} a valid ${list(others)} in the identity provider, or change its SCIM mapping so that it sends a valid value; ` +
      'if AWS has no use for the attribute, remove its mapping instead.');
  }
  if (patternOnly) fixes.push('Where the value is there but does not match, remove the characters the pattern quoted in the message does not allow.');
  fixes.push('Then let the next sync run.');
  const onlyNames = names.length > 0 && needed.length === 0 && others.length === 0;
  return {
    kind: onlyNames ? 'name-attribute' : 'invalid-attribute',
    said: `Likely cause: ${list(parts)}` + (names.length ? '' : ' (not one of the name attributes the guide covers)'),
    remediation: fixes.join(' '),
    docUrl: names.length ? `${GUIDE}#issue2` : `${SCIM_LOG}#scim-cloudtrail-common-errors`,
    attributes: [...found.keys()],
  };
}

function duplicateFix(kind: Kind): string {
  const lookup = kind === 'group' ? 'aws identitystore get-group-id' : kind === 'user' ? 'aws identitystore get-user-id' : 'aws identitystore get-user-id or get-group-id';
  return `Find the IAM Identity Center ${kind} that already holds the value (for example with ${lookup} and the value as a unique attribute), ` +
    'then make the values unique in the identity source, as the guide says' +
    (kind === 'user' ? '' : '; for a group, the identity provider can also update the existing group instead of creating another') +
    `. If you delete the existing IAM Identity Center ${kind} instead, the one SCIM creates gets a new ID, and its account and ` +
    'application assignments must be made again (the guide\'s issue 6).';
}

/** What the guide's duplicate section says must be unique (troubleshooting #duplicate-user-group-idp). */
function unique(kind: Kind): string {
  const users = 'a user\'s user name, primary email address and externalId must each be unique';
  const groups = 'a group\'s name must be unique';
  return kind === 'user' ? users : kind === 'group' ? groups : `${users}, and ${groups}`;
}
const NOT_THE_DATA = 'Nothing to fix in the user or group.';

function explain(eventName: string | undefined, code: string | undefined, message: string, targetIds: readonly string[]): Explanation {
  const kind = kindOf(eventName);
  const table = errorTable(eventName);

  const found = violations(message);
  if (found.size) return invalidAttributes(found, kind);

  const multi = /List attribute (\S+) (?:exceeds )?allowed limit of (\d+)/i.exec(message);
  if (multi) {
    const attribute = multi[1]!;
    return {
      kind: 'multi-valued-attribute',
      said: `Likely cause: the identity provider sent more than one value for ${attribute}; IAM Identity Center accepts a single value ` +
        'for multi-valued attributes such as emails, addresses and phone numbers',
      remediation: 'In the identity provider, do one of the following, then let the next sync run: change the SCIM mapping for users so ' +
        `that it sends a single ${attribute} value (for example only the work one); or, if the extra values can safely go, delete them ` +
        `from the user so that one or none is left; or, if AWS has no use for ${attribute}, remove its mapping.`,
      docUrl: `${GUIDE}#issue2`,
      attributes: [attribute],
    };
  }

  if (/duplicate|already exists/i.test(message)) {
    const named = /Duplicate (\w+)/i.exec(message)?.[1];
    return {
      kind: 'duplicate',
      said: `Likely cause: a duplicate${named ? ` (the message names ${named})` : ''}: ${unique(kind)}`,
      remediation: duplicateFix(kind),
      docUrl: `${GUIDE}#duplicate-user-group-idp`,
      ...(named ? { attributes: [named] } : {}),
    };
  }

  if (/Missing path in PATCH/i.test(message)) {
    return {
      kind: 'malformed-request',
      said: 'Likely cause: the identity provider sent a PATCH operation without the path that says which attribute to change',
      remediation: `${NOT_THE_DATA} Check the identity provider's SCIM connector (its version, custom mappings); if it persists, ` +
        'contact the identity provider\'s vendor or AWS Support with the event IDs.',
      docUrl: `${SCIM_LOG}#scim-failed-patchgroup-example`,
    };
  }
  if (/Invalid JSON|Invalid Filter/i.test(message)) {
    return {
      kind: 'malformed-request',
      said: /Invalid Filter/i.test(message)
        ? 'Likely cause: the identity provider sent a filter IAM Identity Center does not support (only eq, combined with and)'
        : 'Likely cause: the identity provider sent a request body that is not valid JSON',
      remediation: `${NOT_THE_DATA} Check the identity provider's SCIM connector (its version, custom mappings); if it persists, ` +
        'contact the identity provider\'s vendor or AWS Support with the event IDs.',
      docUrl: `${SCIM_LOG}#scim-cloudtrail-common-errors`,
    };
  }

  switch (code) {
    case 'ConflictException':
      return {
        kind: 'conflict',
        said: `Possible causes: a value that must be unique is already taken (${unique(kind)}), or a concurrent change to the same ${kind}; ` +
          'the message does not say which',
        remediation: `If it happened once, let the next sync retry it: a concurrent change clears by itself. If it repeats for the same ${kind}, ` +
          `treat it as a duplicate. ${duplicateFix(kind)}`,
        docUrl: `${GUIDE}#duplicate-user-group-idp`,
      };
    case 'ThrottlingException':
      return {
        kind: 'throttling',
        said: 'Cause: IAM Identity Center throttled the identity provider (too many requests, HTTP 429); this says nothing about the user or group',
        remediation: `${NOT_THE_DATA} Let the identity provider retry: its next sync sends the change again. If throttling persists ` +
          'across syncs, contact AWS Support or the identity provider\'s vendor with the event IDs.',
        docUrl: table,
        severity: 'info',
      };
    case 'InternalServerException':
      return {
        kind: 'server-error',
        said: 'Cause: IAM Identity Center failed to process the request (HTTP 500), a fault on AWS\'s side, not in the user or group',
        remediation: `${NOT_THE_DATA} Let the identity provider retry on its next sync; if the same call keeps failing, contact AWS Support with the event IDs.`,
        docUrl: table,
      };
    case 'ResourceNotFoundException': {
      if (eventName === 'ListGroups') {
        return {
          kind: 'not-found',
          said: 'Likely cause: the identity provider filtered groups by a member that does not exist in IAM Identity Center',
          remediation: 'The identity provider refers to a user that IAM Identity Center does not have (any more). Check whether the user was ' +
            'deleted in IAM Identity Center outside the identity provider, then have the identity provider provision it again.',
          docUrl: table,
        };
      }
      const principal = targetIds.length === 1 ? targetIds[0]! : '<ID>';
      return {
        kind: 'not-found',
        said: `Likely cause: the identity provider refers to a ${kind} ID that does not exist in IAM Identity Center (any more)`,
        remediation: `The identity provider still holds an ID that IAM Identity Center no longer has, for example a ${kind} deleted in ` +
          `IAM Identity Center outside the identity provider (run sso-logs with --principal ${principal} to see what happened to it). ` +
          `Have the identity provider provision the ${kind} again: it gets a new ID, so its account and application assignments must be ` +
          'made again (the guide\'s issue 6).',
        docUrl: table,
      };
    }
    case 'UnauthorizedException':
      return {
        kind: 'not-authorized',
        said: 'Cause: IAM Identity Center did not accept the identity provider\'s authorization (a missing or invalid access token, or a wrong tenant ID)',
        remediation: `${NOT_THE_DATA} Check the SCIM endpoint and access token set in the identity provider (a token that expired, was ` +
          'deleted or rotated; an endpoint with another tenant ID) and generate a new token in IAM Identity Center if needed.',
        docUrl: table,
      };
    case 'AccessDeniedException':
      return {
        kind: 'not-authorized',
        said: 'Cause: the operation is not permitted with the authorization the identity provider supplied',
        remediation: `${NOT_THE_DATA} Check the access token the identity provider uses; if it is current and the error persists, ` +
          'contact AWS Support with the event IDs.',
        docUrl: table,
      };
    case 'ValidationException':
      return {
        kind: 'invalid-request',
        said: 'Likely cause: IAM Identity Center found the request invalid (it cannot be parsed, is syntactically incorrect, violates the ' +
          'schema, or asks for an unsupported operation); the message says what',
        remediation: 'If the message names an attribute of the user or group, fix it in the identity provider or its SCIM mapping and let ' +
          'the next sync run; otherwise check the identity provider\'s SCIM connector, and contact its vendor or AWS Support with the ' +
          'event IDs if it persists.',
        docUrl: table,
      };
    default:
      return {
        kind: 'unknown',
        remediation: 'sso-logs knows no cause for this error. Read its code and message with AWS\'s SCIM error table for the operation ' +
          '(linked): if they name something about the user or group, fix it in the identity provider; otherwise contact AWS Support ' +
          'with the event IDs.',
        docUrl: table,
      };
  }
}

const MAX_TARGETS = 100;

export function create() {
  const groups = new Groups();
  const targets = new Map<string, string[]>();
  return {
    record(record: CloudTrailRecord) {
      const key = `${str(record.errorCode)}\u0000${str(record.errorMessage) ?? ''}\u0000${str(record.eventName) ?? ''}`;
      groups.add(key, record);
      // Patch, Put and Delete name their target; a failed Create has none yet.
      const target = visible(field(record.requestParameters, 'id'));
      if (target) {
        const list = targets.get(key) ?? [];
        if (!list.includes(target)) addSmallest(list, target, MAX_TARGETS);
        targets.set(key, list);
      }
    },
    end(context: EndContext) {
      for (const [key, group] of groups.entries()) {
        const record = group.last;
        const eventName = str(record.eventName);
        const code = str(record.errorCode);
        const message = str(record.errorMessage) ?? '';
        const ids = smallest(targets.get(key) ?? [], MAX_TARGETS);
        const explained = explain(eventName, code, message, ids);
        const times = occurrences(group) || ' once';
        const said = explained.said ?? `No cause is known for this error; see AWS's SCIM error table for ${eventName ?? 'the operation'}`;
        context.report({
          ...fromGroup(group),
          principal: ids.length ? ids.join(', ') : null,
          message: `SCIM ${eventName} failed${times} with ${code ?? 'no error code'}${message ? `: ${message}` : ''}. ${said}.` +
            `${ids.length ? ` Target ID${ids.length > 1 ? 's' : ''}: ${ids.join(', ')}.` : ''}`,
          ...(explained.severity ? { severity: explained.severity } : {}),
          remediation: explained.remediation,
          docUrl: explained.docUrl,
          details: {
            ...groupDetails(group),
            errorCode: code ?? null, errorMessage: message || null, targetIds: ids,
            cause: explained.kind, attributes: explained.attributes ?? [],
          },
        });
      }
    },
  };
}

export const matcher: CorrelatingMatcher = { meta, candidates: [{ eventSources: [SCIM], failed: true }], create };
