import { field, str, visible, type CloudTrailRecord } from '../event.js';
import { fromRecord } from '../match/common.js';
import { GUIDE, type EventMatcher, type FindingInput, type MatchOptions, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'password-reset-failure',
  title: 'Directory user password reset failed',
  severity: 'error',
  docUrl: `${GUIDE}#issue5`,
  remediation:
    'For InternalFailure ("An unknown error occurred") the guide says you may need to contact AWS Support: open a case ' +
    'with the event IDs. Another possible cause it names is the user name: a very long name or special characters can ' +
    'drop characters in the password-update call. Try a password reset for a test user named the same way: if that ' +
    'fails too, the user name is the likely cause. The guide\'s case assumes the new password met the password policy.',
  shape: {
    evidence: 'partly documented',
    note: 'UpdatePassword, InternalFailure and "An unknown error occurred" are the guide\'s (issue 5); the sso-directory source and where the user name or ID sits are inferred: AWS publishes no UpdatePassword record.',
  },
  falsePositives:
    'Any failed UpdatePassword is reported; a password the policy refuses is a warning, not the guide\'s case. An InternalFailure may have causes other than the name, and the name hints are sso-logs\' heuristic for the guide\'s "special characters": any character outside ASCII letters, digits and ._@+- is flagged, including accented letters that AWS allows in user names.',
};

// Identity Center accepts up to 128 characters; the guide warns about "quite long" names without a number, so
// flag what is well past the usual surname.givenName@domain length.
const LONG_USER_NAME = 64;
const PLAIN_NAME = /^[A-Za-z0-9._@+-]*$/;

/** Where a user name can be in an UpdatePassword record: no published record shows it, so every place is tried. */
function userName(record: CloudTrailRecord): string | undefined {
  return visible(field(record.requestParameters, 'userName'))
    ?? visible(field(record.requestParameters, 'UserName'))
    ?? visible(field(record.additionalEventData, 'UserName'))
    ?? visible(field(record.userIdentity, 'userName'));
}

function userId(record: CloudTrailRecord): string | undefined {
  return visible(field(record.userIdentity, 'onBehalfOf', 'userId'))
    ?? visible(field(record.requestParameters, 'userId'))
    ?? visible(field(record.requestParameters, 'UserId'));
}

/** The guide's hints about user names that break the call. */
export function nameHints(name: string): string[] {
  const hints: string[] = [];
  if ([...name].length > LONG_USER_NAME) hints.push(`the user name is long (${[...name].length} characters)`);
  if (!PLAIN_NAME.test(name)) {
    const odd = [...new Set([...name].filter((ch) => !PLAIN_NAME.test(ch)))].slice(0, 8);
    hints.push(`the user name has characters outside ASCII letters, digits and ._@+- (${odd.map((c) => JSON.stringify(c)).join(' ')})`);
  }
  return hints;
}

/** What would name the user, when the record does not: only an ID can be looked up, in a list-users listing. */
function lookupHint(id: string | undefined, { directory }: MatchOptions): string {
  if (!id) return 'The record names no user.';
  if (!directory.given) return `The record gives only the user ID ${id}: pass the output of aws identitystore list-users with --identity-store to name the user.`;
  return `No --identity-store listing has user ID ${id}: pass an aws identitystore list-users listing that holds it to name the user.`;
}

function check(record: CloudTrailRecord, options: MatchOptions): FindingInput | undefined {
  const { directory } = options;
  // The candidate takes an errorMessage without a code too.
  const code = str(record.errorCode) ?? 'no error code';
  const message = str(record.errorMessage) ?? '';
  // The guide's snippet ends the message with a typographic quote: match the start, not the whole.
  const internal = code === 'InternalFailure' || message.startsWith('An unknown error occurred');
  const id = userId(record);
  const name = userName(record) ?? (id ? directory.nameOf(id) : undefined);
  // The guide gives the name as a cause of the InternalFailure that follows a password the policy accepts; for
  // another error, the error itself says what was rejected.
  const hints = internal && name ? nameHints(name) : [];
  const who = name && id ? `${name} (${id})` : name ?? id ?? null;
  const parts = [`Password reset failed with ${code}${message ? `: ${message}` : ''}${who ? ` for ${who}` : ''}.`];
  if (internal) parts.push('For this error the guide says you may need to contact AWS Support.');
  if (hints.length) parts.push(`Another possible cause the guide names: ${hints.join('; ')}.`);
  if (!name) parts.push(lookupHint(id, options));
  if (!internal) parts.push('This is not the InternalFailure the guide describes; the error says what the call rejected.');
  return {
    ...fromRecord(record),
    severity: internal ? 'error' : 'warning',
    principal: who,
    message: parts.join(' '),
    ...(internal ? {} : { remediation: 'Read the errorCode and errorMessage: the call was rejected for that reason (for example the password policy). If it is unclear, contact AWS Support with the event ID.' }),
    details: { errorCode: str(record.errorCode) ?? null, errorMessage: message || null, userName: name ?? null, userId: id ?? null, nameHints: hints },
  };
}

export const matcher: EventMatcher = {
  meta,
  candidates: [{ eventSources: ['sso-directory.amazonaws.com'], eventNames: ['UpdatePassword'], failed: true }],
  check,
};
