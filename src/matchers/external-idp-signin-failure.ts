import { caller, field, str, visible, type CloudTrailRecord } from '../event.js';
import { fromGroup, groupDetails, Groups, occurrences } from '../match/common.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'external-idp-signin-failure',
  title: "Sign-in through the external identity provider failed ('An unexpected error has occurred')",
  severity: 'error',
  docUrl: `${GUIDE}#issue8`,
  remediation:
    'Check the SAML assertion your identity provider sends: the NameID format must be email address, the NameID ' +
    'must be an RFC 2822 address that exactly matches an existing IAM Identity Center user name (users are not ' +
    'created just in time; provision them first), send one assertion only, not encrypted, and attributes for ' +
    'access control must be single-valued, without duplicates and at most 50.',
  shape: {
    evidence: 'partly documented',
    note: 'The event name ExternalIdPDirectoryLogin is AWS\'s (the guide, issue 8); the Failure response and errorMessage come from a third-party test record, and UserName on this event is inferred.',
  },
  falsePositives:
    'Every failed ExternalIdPDirectoryLogin is told as a SAML response that matched no user, including ACS URL or certificate problems and the request-id error whose cause AWS does not document.',
};

// The message carries a per-attempt request id ("... request id: aws_cc..."); without it, retries fold together.
const REQUEST_ID = /(request id:?\s*)\S+/gi;

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
        context.report({
          ...fromGroup(group),
          principal: who ?? null,
          message: `Sign-in with the external identity provider failed${who ? ` for ${who}` : ''}${times}${message ? `: ${message}` : ''}. ` +
            'The SAML response did not match an IAM Identity Center user or was not accepted.',
          details: { ...groupDetails(group), errorMessage: message || null },
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
