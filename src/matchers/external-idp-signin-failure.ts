import { caller, field, str, visible, type CloudTrailRecord } from '../event.js';
import { fromGroup, groupDetails, Groups, occurrences } from '../match/common.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatcherMeta } from '../match/types.js';

// The guide's #issue8 list, whole: the NameID items, no just-in-time users, one unencrypted assertion, the ACS URL,
// and the attributes-for-access-control rules, which apply only where that feature is enabled. The NameID format
// URN is the one #issue14 gives for "email".
export const meta: MatcherMeta = {
  id: 'external-idp-signin-failure',
  title: "Sign-in through the external identity provider failed ('An unexpected error has occurred')",
  severity: 'error',
  docUrl: `${GUIDE}#issue8`,
  remediation:
    'IAM Identity Center accepts the SAML response only when all of these hold (the guide\'s list); check each at your ' +
    'identity provider: the NameID format is email address (urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress); ' +
    'the NameID value is an RFC 2822 address (user@domain.com) that exactly matches the user name of an existing IAM ' +
    'Identity Center user: the match is on the user name, and whether the email address of that user matches does not ' +
    'matter; the user exists already: users and groups are not created just in time, so provision the user first ' +
    '(manually or by SCIM); the response carries one assertion only, not encrypted; the Assertion Consumer Service (ACS) ' +
    'URL configured in the identity provider exactly matches the ACS URL of your IAM Identity Center instance. Only if ' +
    'attributes for access control is enabled: at most 50 attributes, no multi-valued attribute, no two attributes with ' +
    'the same name, no structured XML as a value, and a Name format that SAML specifies, not the generic format.',
  shape: {
    evidence: 'partly documented',
    note: 'The event name ExternalIdPDirectoryLogin is AWS\'s (the guide, issue 8); the Failure response and errorMessage come from a third-party test record, "Response contains invalid name id policy format" from real logs (AWS publishes no message), and UserName on this event is inferred.',
  },
  falsePositives:
    'Every failed ExternalIdPDirectoryLogin is reported. The record seldom shows which condition failed (AWS does not document what "Not a valid response for the provided request id" means): the finding then names no cause and gives the whole list, of which only one item may apply.',
};

// The message carries a per-attempt request id ("... request id: aws_cc..."); without it, retries fold together.
const REQUEST_ID = /(request id:?\s*)\S+/gi;

/** Error messages that name the condition that failed (seen in real logs; AWS publishes none). */
const CAUSES: { id: string; test: RegExp; says: string; fix: string }[] = [
  {
    // "Response contains invalid name id policy format"
    id: 'NameID format',
    test: /name\s?id\s?(policy|format)/i,
    says: 'The error names the NameID policy: the NameID format the identity provider sends must be email address ' +
      '(urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress).',
    fix: 'Set the NameID format of the IAM Identity Center application at your identity provider to email address ' +
      '(urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress).',
  },
];

const NOT_ACCEPTED =
  'IAM Identity Center did not accept the SAML response, and the record does not say why. The guide\'s common cause is ' +
  'a mismatch between the user in the response and the IAM Identity Center user (a NameID format other than email ' +
  'address, or a NameID that is not exactly the user name of an existing, already provisioned user); an Assertion ' +
  'Consumer Service (ACS) URL that differs from the instance\'s gives the same error. The remediation lists every condition.';

export function create() {
  const groups = new Groups();
  const info = new Map<string, { who: string | undefined; message: string }>();
  return {
    record(record: CloudTrailRecord) {
      const response = str(field(record.responseElements, 'ExternalIdPDirectoryLogin'));
      const message = str(record.errorMessage) ?? '';
      if (response !== 'Failure' && !message && !str(record.errorCode)) return;
      const who = visible(field(record.additionalEventData, 'UserName')) ?? caller(record);
      const normalized = message.replace(REQUEST_ID, '$1...');
      const key = `${who ?? ''}\u0000${normalized}`;
      groups.add(key, record);
      info.set(key, { who, message: normalized });
    },
    end(context: EndContext) {
      for (const [key, group] of groups.entries()) {
        const { who, message } = info.get(key)!;
        const times = occurrences(group);
        const cause = CAUSES.find((c) => c.test.test(message));
        context.report({
          ...fromGroup(group),
          principal: who ?? null,
          message: `Sign-in with the external identity provider failed${who ? ` for ${who}` : ''}${times}${message ? `: ${message}` : ''}. ` +
            (cause ? cause.says : NOT_ACCEPTED),
          ...(cause ? { remediation: `${cause.fix} If it is email address already, go through the guide's whole list: ${meta.remediation}` } : {}),
          details: { ...groupDetails(group), errorMessage: message || null, cause: cause?.id ?? null },
        });
      }
    },
  };
}

export const matcher: CorrelatingMatcher = {
  meta,
  candidates: [{ eventSources: ['signin.amazonaws.com'], eventNames: ['ExternalIdPDirectoryLogin'] }],
  create,
};
