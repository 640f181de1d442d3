import { field, str, visible, type CloudTrailRecord } from '../event.js';
import { addSmallest, fromGroup, groupDetails, Groups, occurrences, smallest } from '../match/common.js';
import { SCIM } from '../match/principals.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'scim-sync-error',
  title: 'SCIM provisioning calls from the identity provider failed',
  severity: 'warning',
  docUrl: `${GUIDE}#issue2`,
  remediation:
    'Fix the user or group in the identity provider so that it meets IAM Identity Center\'s SCIM rules, then let the ' +
    'next sync run. See the cause given with each finding.',
  shape: {
    evidence: 'documented',
    note: 'Failed identitystore-scim records (errorCode, errorMessage, the PATCH target id) are published on AWS\'s SCIM logging page; only the target id of a failed Put or Delete is inferred.',
  },
  falsePositives:
    'Every failed SCIM call is reported, including throttling, server and not-found errors that are not a problem with the user\'s data; a validation error on another attribute is told as missing names, and a bare ConflictException as a duplicate.',
};

interface Cause {
  test: RegExp;
  cause: string;
  remediation: string;
  docUrl: string;
}

/** The guide's SCIM sections, by the error text each one quotes (FIELDS.md 2a, 8). */
const CAUSES: Cause[] = [
  {
    test: /failed to satisfy constraint|validation errors? detected/i,
    cause: 'a required attribute is missing or invalid: every user needs a given name, a family name and a display name',
    remediation: 'Give the user a first (given) name, a last (family) name and a display name in the identity provider, or map those attributes, then sync again.',
    docUrl: `${GUIDE}#issue2`,
  },
  {
    test: /exceeds allowed limit of 1|allowed limit of 1/i,
    cause: 'a multi-valued attribute (several emails, addresses or phone numbers): IAM Identity Center accepts one value per attribute',
    remediation: 'Change the identity provider\'s attribute mapping so that each attribute sends a single value (for example only the primary email), then sync again.',
    docUrl: `${GUIDE}#issue2`,
  },
  {
    test: /duplicate|already exists|conflict/i,
    cause: 'a duplicate: user name, primary email, externalId and group display name must each be unique in IAM Identity Center',
    remediation: 'Find the user or group that already holds the name, email or externalId (a leftover of a deleted or manually created one), remove or rename one of them, and make the identity provider match users on userName only.',
    docUrl: `${GUIDE}#duplicate-user-group-idp`,
  },
  {
    test: /Missing path in PATCH|Invalid JSON|Invalid Filter/i,
    cause: 'the identity provider sent a request IAM Identity Center does not accept',
    remediation: 'Check the identity provider\'s SCIM connector version and attribute mapping; if it persists, contact the identity provider or AWS Support with the event IDs.',
    docUrl: `${GUIDE}#issue2`,
  },
];

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
        const code = str(record.errorCode) ?? 'no error code';
        const message = str(record.errorMessage) ?? '';
        const cause = CAUSES.find((c) => c.test.test(`${code} ${message}`));
        const ids = smallest(targets.get(key) ?? [], MAX_TARGETS);
        const times = occurrences(group) || ' once';
        context.report({
          ...fromGroup(group),
          principal: ids.length ? ids.join(', ') : null,
          message: `SCIM ${str(record.eventName)} failed${times} with ${code}${message ? `: ${message}` : ''}.` +
            `${cause ? ` Likely cause: ${cause.cause}.` : ''}${ids.length ? ` Target ID${ids.length > 1 ? 's' : ''}: ${ids.join(', ')}.` : ''}`,
          ...(cause ? { remediation: cause.remediation, docUrl: cause.docUrl } : {}),
          details: {
            ...groupDetails(group),
            errorCode: str(record.errorCode) ?? null, errorMessage: message || null, targetIds: ids,
          },
        });
      }
    },
  };
}

export const matcher: CorrelatingMatcher = { meta, candidates: [{ eventSources: [SCIM], failed: true }], create };
