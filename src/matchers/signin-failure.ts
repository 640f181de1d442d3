import { field, HIDDEN, str, visible, type CloudTrailRecord } from '../event.js';
import { fromGroup, groupDetails, Groups, occurrences } from '../match/common.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatchOptions, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'signin-failure',
  title: 'Failed IAM Identity Center sign-in',
  severity: 'warning',
  docUrl: `${GUIDE}#issue3`,
  remediation:
    'Check that the user name typed exists in the identity source and that the user knows the current password. ' +
    'With a connected Active Directory and MFA in Context-aware or Always-on mode, users must sign in with the ' +
    'down-level logon name (DOMAIN\\UserName), not the UPN (user@corp.example.com).',
  shape: {
    evidence: 'documented',
    note: 'CredentialChallenge / CredentialVerification with serviceEventDetails Failure and additionalEventData UserName / AuthWorkflowID are in AWS\'s "Understanding IAM Identity Center sign-in events" and its examples.',
  },
  falsePositives:
    'A mistyped password or MFA code that the user then got right is reported too; an MFA (TOTP) failure gets the password advice, and an email-shaped name gets the UPN note although it matters only with Active Directory and MFA in Context-aware or Always-on mode.',
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

export function create({ directory }: MatchOptions) {
  const groups = new Groups();
  const users = new Map<string, { typed: string | undefined; userId: string | undefined; workflow: string | undefined }>();
  return {
    record(record: CloudTrailRecord) {
      if (outcome(record, str(record.eventName) ?? '') !== 'Failure') return;
      // What the user typed, when CloudTrail shows it (hidden when it matched no user); the legacy identity shape
      // had userName, the current one has onBehalfOf.userId (FIELDS.md 4): accept both.
      const typed = str(field(record.additionalEventData, 'UserName')) ?? visible(field(record.userIdentity, 'userName'));
      const userId = visible(field(record.userIdentity, 'onBehalfOf', 'userId'));
      const workflow = str(field(record.additionalEventData, 'AuthWorkflowID'));
      const key = `${typed ?? ''}\u0000${userId ?? ''}\u0000${workflow ?? ''}`;
      groups.add(key, record);
      users.set(key, { typed, userId, workflow });
    },
    end(context: EndContext) {
      for (const [key, group] of groups.entries()) {
        const { typed, userId, workflow } = users.get(key)!;
        const name = typed === HIDDEN ? undefined : typed ?? (userId ? directory.nameOf(userId) : undefined);
        const who = name && userId ? `${name} (${userId})` : name ?? userId ?? (typed === HIDDEN ? 'an unknown user name' : null);
        const notes: string[] = [];
        if (typed === HIDDEN) notes.push('CloudTrail hides the user name when it matches no user: the name typed does not exist in the identity source.');
        if (name && UPN.test(name)) {
          notes.push('The user name is in UPN form: with a connected Active Directory and MFA in Context-aware or Always-on mode, users must sign in as DOMAIN\\UserName.');
        }
        const times = occurrences(group);
        context.report({
          ...fromGroup(group),
          principal: who,
          message: `Sign-in failed${who ? ` for ${who}` : ''}${times}${workflow ? ` (sign-in attempt ${workflow})` : ''}.${notes.length ? ` ${notes.join(' ')}` : ''}`,
          details: {
            ...groupDetails(group),
            authWorkflowId: workflow ?? null, userName: typed ?? null, userId: userId ?? null,
            upn: Boolean(name && UPN.test(name)), hiddenUserName: typed === HIDDEN,
          },
        });
      }
    },
  };
}

export const matcher: CorrelatingMatcher = {
  meta,
  candidates: [{ eventSources: ['signin.amazonaws.com'], eventNames: ['CredentialChallenge', 'CredentialVerification'] }],
  create,
};
