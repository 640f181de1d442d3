import { field, str, visible, type CloudTrailRecord } from '../event.js';
import { failed, fromRecord } from './common.js';
import { GUIDE, type MatchContext, type Matcher, type MatcherMeta } from './types.js';

export const meta: MatcherMeta = {
  id: 'password-reset-failure',
  title: 'Directory user password reset failed',
  severity: 'error',
  docUrl: `${GUIDE}#issue5`,
  remediation:
    'Check the naming convention of the user name: a very long name or special characters can lose characters in ' +
    'the password-update call. Try a password reset for a test user named the same way to confirm it; if the ' +
    'reset still fails, contact AWS Support with the event IDs.',
  looksAt: 'sso-directory.amazonaws.com UpdatePassword with an errorCode',
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
    hints.push(`the user name has characters outside letters, digits and ._@+- (${odd.map((c) => JSON.stringify(c)).join(' ')})`);
  }
  return hints;
}

export function create(context: MatchContext) {
  const { directory } = context.options;
  return {
    candidates: [{ eventSources: ['sso-directory.amazonaws.com'], eventNames: ['UpdatePassword'], failed: true }],
    record(record: CloudTrailRecord) {
      if (record.eventName !== 'UpdatePassword' || record.eventSource !== 'sso-directory.amazonaws.com' || !failed(record)) return;
      const code = str(record.errorCode)!;
      const message = str(record.errorMessage) ?? '';
      // The guide's snippet ends the message with a typographic quote: match the start, not the whole.
      const internal = code === 'InternalFailure' || message.startsWith('An unknown error occurred');
      const id = userId(record);
      const name = userName(record) ?? (id ? directory.nameOf(id) : undefined);
      const hints = name ? nameHints(name) : [];
      const who = name && id ? `${name} (${id})` : name ?? id ?? null;
      const parts = [`Password reset failed with ${code}${message ? `: ${message}` : ''}${who ? ` for ${who}` : ''}.`];
      if (hints.length) parts.push(`Possible cause from the guide: ${hints.join('; ')}.`);
      else if (!name) parts.push('The record does not show the user name (current logs hide it); pass --identity-store to name the user.');
      if (!internal) parts.push('This is not the InternalFailure the guide describes; the error says what the call rejected.');
      context.report({
        ...fromRecord(record),
        severity: internal ? 'error' : 'warning',
        principal: who,
        message: parts.join(' '),
        ...(internal ? {} : { remediation: 'Read the errorCode and errorMessage: the call was rejected for that reason (often the password policy). If it is unclear, contact AWS Support with the event ID.' }),
        details: { errorCode: code, errorMessage: message || null, userName: name ?? null, userId: id ?? null, nameHints: hints },
      });
    },
  };
}

export const matcher: Matcher = { meta, create };
