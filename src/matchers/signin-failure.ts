import { field, HIDDEN, str, visible, type CloudTrailRecord } from '../event.js';
import { fromGroup, groupDetails, Groups, packUuid, type Group } from '../match/common.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatchOptions, type MatcherMeta } from '../match/types.js';
import { compare } from '../text.js';

const USER_GUIDE = 'https://docs.aws.amazon.com/singlesignon/latest/userguide';
/** "Understanding IAM Identity Center sign-in events": the event names, AuthWorkflowID and CredentialType. */
const SIGN_IN_EVENTS = `${USER_GUIDE}/understanding-sign-in-events.html`;
/** "Example events for IAM Identity Center sign-in scenarios", "Failed sign-in due to incorrect password authentication". */
const FAILED_PASSWORD_EXAMPLE = `${USER_GUIDE}/sign-in-events-examples.html#sign-in-events-examples-5`;
/** "Username in sign-in CloudTrail events": where UserName is emitted, and HIDDEN_DUE_TO_SECURITY_REASONS. */
const USER_NAME_PAGE = `${USER_GUIDE}/username-sign-in-cloudtrail-events.html`;
/** "Available MFA types for IAM Identity Center", FIDO2 authenticators. */
const FIDO2 = `${USER_GUIDE}/mfa-types.html#mfa-types-fido2`;

export const meta: MatcherMeta = {
  id: 'signin-failure',
  title: 'Failed IAM Identity Center sign-in',
  severity: 'warning',
  // The guide's only section on failed password sign-ins; each finding links the page that fits the credential
  // that failed (a TOTP code: #issue13; a hidden user name: the user-name page; otherwise the sign-in events).
  docUrl: `${GUIDE}#issue3`,
  remediation:
    'Depends on the credential that failed (additionalEventData.CredentialType), and each finding says which: a ' +
    'password, or a user name that matched no user (CloudTrail then hides it); an authenticator-app code (TOTP), ' +
    'which relies on the device\'s clock (guide #issue13); a security key (WEBAUTHN) or an emailed one-time ' +
    'password (EMAIL_OTP). A name that looks like a UPN matters only with a connected Active Directory and MFA in ' +
    'Context-aware or Always-on mode: users must then sign in as DOMAIN\\UserName (guide #issue3).',
  shape: {
    evidence: 'documented',
    note: 'AWS\'s example of a failed password sign-in (sign-in-events-examples.html) puts UserName on the sequence\'s ' +
      'CredentialChallenge and only AuthWorkflowID and CredentialType on the failing CredentialVerification ' +
      '(serviceEventDetails Failure); the name is taken from the same AuthWorkflowID. The legacy name on the failing ' +
      'event (userName, UserName) is from published records; failed TOTP, WEBAUTHN and EMAIL_OTP steps are not ' +
      'published and are read like the successful ones.',
  },
  falsePositives:
    'A mistyped password or MFA code that the user then got right is reported too (the sequence may have ended in a ' +
    'sign-in; UserAuthentication is not read). The UPN note fires for every email-shaped name, including Identity ' +
    'Center directory and external-IdP user names, where it does not matter.',
};

const UPN = /^[^@\s\\/]+@[^@\s\\/]+\.[^@\s\\/]+$/;

function outcome(record: CloudTrailRecord, eventName: string): unknown {
  let details = record.serviceEventDetails;
  // Some exports carry serviceEventDetails as a JSON string.
  if (typeof details === 'string') {
    try {
      details = JSON.parse(details);
    } catch {
      return undefined;
    }
  }
  return field(details, eventName);
}

/**
 * The name of every sign-in sequence is kept until the end (a failure may come before its challenge), so every
 * successful sign-in costs an entry: a UUID AuthWorkflowID is packed into 8 UTF-16 units (as runner.ts packs
 * event IDs), anything else is kept whole, padded so that it cannot equal a packed one.
 */
function workflowKey(id: string): string {
  return packUuid(id) ?? id.padEnd(9, '\u0000');
}

/** Of two names seen in one sequence, the one to show, whatever order they came in: a visible one, then the least. */
function preferred(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  if ((a === HIDDEN) !== (b === HIDDEN)) return a === HIDDEN ? b : a;
  return compare(a, b) <= 0 ? a : b;
}

interface Failure {
  workflow: string | undefined;
  credentialType: string | undefined;
  eventName: string;
  /** The name on the failing event itself (legacy records, or a hidden one). */
  typed: string | undefined;
  userId: string | undefined;
}

/** What to tell the reader for each credential type AWS lists (understanding-sign-in-events.html). */
function advice(type: string | undefined, eventName: string): { remediation: string; docUrl: string } {
  switch (type) {
    case 'PASSWORD':
      return eventName === 'CredentialVerification'
        ? {
          remediation:
            'The password was not accepted: in AWS\'s example of this sequence, "the user successfully entered their ' +
            'username but failed the password verification step". Have the user retry with the current password; a ' +
            'forgotten password is reset where the identity source keeps it (the IAM Identity Center directory or ' +
            'Active Directory).',
          docUrl: FAILED_PASSWORD_EXAMPLE,
        }
        : { remediation: NAME_OR_PASSWORD, docUrl: SIGN_IN_EVENTS };
    case 'TOTP':
    case 'RESYNC_TOTP':
      return {
        remediation:
          'The code from the authenticator app was not accepted. TOTP codes rely on time synchronization between the ' +
          'device and IAM Identity Center: make sure the device where the authenticator app is installed is ' +
          'synchronized to a reliable time source (guide #issue13). If the user no longer has the device, an ' +
          'administrator can delete it on the user\'s MFA devices tab in the IAM Identity Center console.' +
          (type === 'RESYNC_TOTP' ? ' AWS lists RESYNC_TOTP without describing it; sso-logs reads it as an authenticator-app step.' : ''),
        docUrl: `${GUIDE}#issue13`,
      };
    case 'WEBAUTHN':
      return {
        remediation:
          'The FIDO2 authenticator (a security key, or a built-in authenticator such as Touch ID or Windows Hello) was ' +
          'not accepted. Have the user retry with an authenticator registered for this user; if it is lost, an ' +
          'administrator can delete it on the user\'s MFA devices tab in the IAM Identity Center console.',
        docUrl: FIDO2,
      };
    case 'EMAIL_OTP':
      return {
        remediation:
          'The one-time password that IAM Identity Center emails to a user created with the CreateUser API, for the ' +
          'first sign-in, was not accepted. Have the user enter the password from that email; if no email arrives, the ' +
          'mail system must accept mail from no-reply@signin.aws and no-reply@login.awsapps.com (guide #issue15).',
        docUrl: SIGN_IN_EVENTS,
      };
    case 'EXTERNAL_IDP':
      return {
        remediation:
          'AWS documents EXTERNAL_IDP only on a successful UserAuthentication, and a failed external sign-in as ' +
          'ExternalIdPDirectoryLogin: this record is not in a published shape. See the guide on external identity ' +
          'provider sign-in errors (the SAML NameID must exactly match an IAM Identity Center user name).',
        docUrl: `${GUIDE}#issue8`,
      };
    case undefined:
      return { remediation: NAME_OR_PASSWORD, docUrl: SIGN_IN_EVENTS };
    default:
      return {
        remediation: `IAM Identity Center did not accept the ${type} credential. The sign-in events say which credential failed, not why.`,
        docUrl: SIGN_IN_EVENTS,
      };
  }
}

const NAME_OR_PASSWORD =
  'Check that the user types a user name the identity source knows and the current password; a forgotten password ' +
  'is reset where the identity source keeps it (the IAM Identity Center directory or Active Directory).';

const HIDDEN_ADVICE =
  'CloudTrail writes HIDDEN_DUE_TO_SECURITY_REASONS in place of the user name when a sign-in fails because of an ' +
  'incorrect user name (the text could be a password typed in the wrong field). Check that the user exists in the ' +
  'identity source and types the user name it knows.';

const UPN_ADVICE =
  'If the identity source is a connected Active Directory with MFA in Context-aware or Always-on mode, users must ' +
  'sign in with the down-level logon name (DOMAIN\\UserName), not the UPN (user@corp.example.com).';

/** The credential types whose failure a UPN-form name can explain: a password, or a record that does not say. */
function upnApplies(type: string | undefined): boolean {
  return type === undefined || type === 'PASSWORD';
}

export function create({ directory }: MatchOptions) {
  const groups = new Groups();
  const failures = new Map<string, Failure>();
  // Per sign-in sequence (packed AuthWorkflowID): the user name its CredentialChallenge carries, and the user ID any
  // of its events carries (authenticated steps have onBehalfOf).
  const names = new Map<string, string>();
  const userIds = new Map<string, string>();
  // Names and IDs repeat across sequences: keep one copy of each.
  const pool = new Map<string, string>();
  const interned = (s: string) => pool.get(s) ?? (pool.set(s, s), s);
  return {
    record(record: CloudTrailRecord) {
      const eventName = str(record.eventName) ?? '';
      const data = record.additionalEventData;
      const workflow = visible(field(data, 'AuthWorkflowID'));
      // What the user typed, when CloudTrail shows it (hidden when it matched no user). AWS's current records put it
      // on the sequence's CredentialChallenge only; legacy ones had userIdentity.userName (FIELDS.md 4).
      const typed = str(field(data, 'UserName')) || str(field(record.userIdentity, 'userName')) || undefined;
      const userId = visible(field(record.userIdentity, 'onBehalfOf', 'userId'));
      if (workflow !== undefined) {
        const key = workflowKey(workflow);
        // AWS documents the name on the sequence's CredentialChallenge (username-sign-in-cloudtrail-events.html).
        if (typed && eventName === 'CredentialChallenge') names.set(key, interned(preferred(names.get(key), typed)));
        if (userId) {
          const known = userIds.get(key);
          if (known === undefined || compare(userId, known) < 0) userIds.set(key, interned(userId));
        }
      }
      if (outcome(record, eventName) !== 'Failure') return;
      const credentialType = visible(field(data, 'CredentialType'));
      const key = [workflow, credentialType, eventName, typed, userId].map((s) => s ?? '').join('\u0000');
      groups.add(key, record);
      failures.set(key, { workflow, credentialType, eventName, typed, userId });
    },
    end(context: EndContext) {
      for (const [key, group] of groups.entries()) {
        const failure = failures.get(key)!;
        const { workflow, credentialType, eventName } = failure;
        const wkey = workflow === undefined ? undefined : workflowKey(workflow);
        const sequenceName = wkey === undefined ? undefined : names.get(wkey);
        // The failing event's own name first (legacy records), then the sequence's (AWS's current records).
        const own = failure.typed;
        const typed = own !== undefined && own !== HIDDEN ? own : sequenceName !== undefined && sequenceName !== HIDDEN ? sequenceName : own ?? sequenceName;
        const userId = failure.userId ?? (wkey === undefined ? undefined : userIds.get(wkey));
        const hidden = typed === HIDDEN;
        const listed = userId ? directory.nameOf(userId) : undefined;
        const name = hidden ? undefined : typed ?? listed;
        const userNameFrom = typed !== undefined ? (typed === own ? 'failing event' : 'CredentialChallenge') : listed !== undefined ? 'identity store listing' : null;
        const who = name && userId ? `${name} (${userId})` : name ?? userId ?? (hidden ? 'an unknown user name' : null);
        // The guide's UPN case is about the name typed, not the directory's name for the user.
        const upn = typed !== undefined && !hidden && UPN.test(typed) && upnApplies(credentialType);

        const notes: string[] = [];
        if (userNameFrom === 'CredentialChallenge' && !hidden) notes.push('The user name is from the sequence\'s CredentialChallenge.');
        if (hidden) notes.push('CloudTrail hides the user name when it matches no user: the name typed does not exist in the identity source.');
        if (upn) {
          notes.push('The user name looks like a UPN (user@domain). That matters only if the identity source is a connected ' +
            'Active Directory with MFA in Context-aware or Always-on mode: users must then sign in as DOMAIN\\UserName.');
        }
        const base = advice(credentialType, eventName);
        const remediation = [hidden ? HIDDEN_ADVICE : base.remediation, ...(upn ? [UPN_ADVICE] : [])].join(' ');
        const docUrl = hidden ? USER_NAME_PAGE : upn ? `${GUIDE}#issue3` : base.docUrl;
        context.report({
          ...fromGroup(group),
          principal: who,
          message: `${what(group, credentialType, eventName, workflow)}${who ? ` for ${who}` : ''}${between(group)}.${notes.length ? ` ${notes.join(' ')}` : ''}`,
          remediation,
          docUrl,
          details: {
            ...groupDetails(group),
            authWorkflowId: workflow ?? null, credentialType: credentialType ?? null, eventName,
            userName: typed ?? null, userNameFrom, userId: userId ?? null,
            upn, hiddenUserName: hidden,
          },
        });
      }
    },
  };
}

/** "3 failed PASSWORD verifications in one sign-in sequence (AuthWorkflowID ...)": the field to search for. */
function what(group: Group, type: string | undefined, eventName: string, workflow: string | undefined): string {
  const step = eventName === 'CredentialChallenge' ? 'challenge' : 'verification';
  const count = `${group.count} failed ${type ?? 'credential'} ${step}${group.count === 1 ? '' : 's'}`;
  return workflow === undefined ? `${count} (no AuthWorkflowID)` : `${count} in one sign-in sequence (AuthWorkflowID ${workflow})`;
}

function between(group: Group): string {
  return group.count === 1 ? '' : `, between ${str(group.first.eventTime)} and ${str(group.last.eventTime)}`;
}

export const matcher: CorrelatingMatcher = {
  meta,
  candidates: [{ eventSources: ['signin.amazonaws.com'], eventNames: ['CredentialChallenge', 'CredentialVerification'] }],
  create,
};
