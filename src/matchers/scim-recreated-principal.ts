import { str, type CloudTrailRecord } from '../event.js';
import { fromRecord } from '../match/common.js';
import { PRINCIPAL_CHANGES, PrincipalChanges, SCIM } from '../match/principals.js';
import { pairRecreations } from '../match/recreations.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatchOptions, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'scim-recreated-principal',
  title: 'User or group deleted and re-created by SCIM (new internal ID)',
  severity: 'warning',
  docUrl: `${GUIDE}#issue6`,
  remediation:
    'The re-created user or group has a new internal ID; account and application assignments made to the old one ' +
    'no longer grant access. Remove the old assignments and assign the re-created user or group again.',
  shape: {
    evidence: 'partly documented',
    note: 'A successful SCIM CreateUser (responseElements.id, names hidden) is published on AWS\'s SCIM logging page; the CreateGroup response and the id of a DeleteUser / DeleteGroup are inferred.',
  },
  falsePositives:
    'Where the logs hide names, a delete is paired with the first create of the same kind within --recreate-window: a user leaving while another joins in the same sync is reported, with low confidence. A principal that had no assignments lost nothing.',
};

export function create({ directory, recreateWindowMs }: MatchOptions) {
  const changes = new PrincipalChanges();
  const { creates, deletes } = changes;
  return {
    record(record: CloudTrailRecord) {
      changes.record(record);
    },
    end(context: EndContext) {
      for (const { deleted, created, name, pairedBy, confidence, how } of pairRecreations(deletes, creates, directory, recreateWindowMs)) {
        const kind = deleted.kind === 'USER' ? 'user' : 'group';
        const base = fromRecord(created.record);
        const deleteId = str(deleted.record.eventID);
        const gap = Date.parse(base.time ?? '') - Date.parse(fromRecord(deleted.record).time ?? '');
        context.report({
          ...base,
          firstTime: fromRecord(deleted.record).time,
          principal: name ? `${name} (${deleted.id} -> ${created.id})` : `${deleted.id} -> ${created.id}`,
          eventIds: [...(deleteId ? [deleteId] : []), ...base.eventIds],
          message:
            `SCIM deleted the ${kind} ${name ? `${name} ` : ''}with ID ${deleted.id} (${str(deleted.record.eventTime) ?? 'time unknown'}) and created a ` +
            `${kind} with the new ID ${created.id} (${str(created.record.eventTime) ?? 'time unknown'}): ${how}. Confidence: ${confidence}.`,
          details: {
            kind: deleted.kind, name: name ?? null, oldId: deleted.id, newId: created.id, pairedBy, confidence,
            gapSeconds: Number.isFinite(gap) ? Math.round(gap / 1000) : null,
          },
        });
      }
    },
  };
}

export const matcher: CorrelatingMatcher = {
  meta,
  candidates: [{ eventSources: [SCIM], eventNames: [...PRINCIPAL_CHANGES] }],
  create,
};
