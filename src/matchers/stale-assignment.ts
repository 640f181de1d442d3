import { field, str, visible, type CloudTrailRecord } from '../event.js';
import { byTime, fromRecord, timeOf } from '../match/common.js';
import {
  accountAssignment, permissionSetName, PRINCIPAL_STORES, principalCreated, principalDeleted, type AssignmentEvent, type PrincipalEvent,
} from '../match/principals.js';
import { pairRecreations } from '../match/recreations.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatchOptions, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'stale-assignment',
  title: 'Account assignment still points at a deleted user or group',
  severity: 'error',
  docUrl: `${GUIDE}#issue6`,
  remediation:
    'If the user or group was created again (the finding says so), the assignment refers to the internal ID of the ' +
    'deleted one: the name may still show in the console but access fails. Remove the assignment to the old ID (and ' +
    'its application assignments), then assign the re-created user or group again. If the logs read show no ' +
    're-creation (a warning), the assignment is orphaned: it grants nobody access and there is nothing to re-assign; ' +
    'remove it. Each finding gives the aws sso-admin commands with its IDs.',
  shape: {
    evidence: 'partly documented',
    note: 'Create/DeleteAccountAssignment are named on AWS\'s CloudTrail page for IAM Identity Center and their requestParameters (instanceArn, targetId, permissionSetArn, principalType, principalId) come from a published record; the ID field of DeleteUser / DeleteGroup is inferred.',
  },
  falsePositives:
    'An assignment removed in logs that were not read (another trail, region or time) is still reported: "no DeleteAccountAssignment in the logs read" is all it knows. A re-creation outside the logs read leaves the finding a warning (orphaned) although the guide\'s issue 6 applies, and a re-creation paired only by time (confidence low) may be another user or group.',
};

/** An assignment event and the Identity Center instance its request names (for the aws sso-admin commands). */
type Assigned = AssignmentEvent & { instanceArn: string | undefined };

export function create({ directory, recreateWindowMs }: MatchOptions) {
  const assignments: Assigned[] = [];
  const deletions = new Map<string, PrincipalEvent[]>();
  const creates: PrincipalEvent[] = [];
  return {
    record(record: CloudTrailRecord) {
      const assignment = accountAssignment(record);
      if (assignment) {
        assignments.push({ ...assignment, instanceArn: visible(field(record.requestParameters, 'instanceArn')) });
        return;
      }
      const created = principalCreated(record);
      if (created) creates.push(created);
      const deleted = principalDeleted(record);
      if (!deleted) return;
      const list = deletions.get(deleted.id);
      if (list) list.push(deleted);
      else deletions.set(deleted.id, [deleted]);
    },
    end(context: EndContext) {
      // The re-creation that followed each delete, so that a listing taken today (which holds only the new ID)
      // still names the user an assignment to the old ID belonged to.
      const recreated = new Map(pairRecreations([...deletions.values()].flat(), creates, directory, recreateWindowMs).map((r) => [r.deleted, r]));
      // One assignment is a principal, an account and a permission set; only its latest create counts.
      const byTriple = new Map<string, Assigned[]>();
      for (const a of assignments) {
        if (!deletions.has(a.principalId)) continue;
        const key = `${a.principalId}\u0000${a.targetId}\u0000${a.permissionSetArn}`;
        const list = byTriple.get(key);
        if (list) list.push(a);
        else byTriple.set(key, [a]);
      }
      for (const events of byTriple.values()) {
        events.sort((x, y) => byTime(x.record, y.record));
        const last = events[events.length - 1]!;
        if (!last.created) continue; // removed after its last create: nothing left pointing at the ID
        const createdAt = timeOf(last.record);
        const deletion = deletions.get(last.principalId)!
          .filter((d) => !(timeOf(d.record) < createdAt))
          .sort((x, y) => byTime(x.record, y.record))[0];
        if (!deletion) continue; // deleted before this assignment was made: a different problem, not this one
        const link = recreated.get(deletion);
        const listed = directory.nameOf(last.principalId);
        const name = listed ?? link?.name;
        const who = name ? `${name} (${last.principalId})` : last.principalId;
        const kind = last.principalType === 'GROUP' ? 'group' : 'user';
        const source = deletion.scim ? 'SCIM' : str(deletion.record.eventSource);
        const base = fromRecord(deletion.record);
        const assignedId = str(last.record.eventID);
        // The assignment's request names the instance (FIELDS.md 2c); without it, a placeholder marks its place.
        const instance = last.instanceArn ?? '<instance-arn>';
        const psId = permissionSetName(last.permissionSetArn);
        const assignment = `--instance-arn ${instance} --target-id ${last.targetId} --target-type AWS_ACCOUNT ` +
          `--permission-set-arn ${last.permissionSetArn} --principal-type ${last.principalType}`;
        const remove = `aws sso-admin delete-account-assignment ${assignment} --principal-id ${last.principalId}`;
        // The guide's issue 6 is a delete followed by a re-creation: only then does someone's access fail. A
        // principal deleted and not re-created has lost its access as intended; what is left grants nothing.
        const after = link
          ? ` The ${kind} was created again with the new ID ${link.created.id} (${str(link.created.record.eventTime) ?? 'time unknown'}; ${link.how}; confidence ${link.confidence}): assign that ID instead.`
          : ' The logs read show no re-creation of it: an orphaned assignment to remove, with nothing to re-assign.';
        const remediation = link
          ? `The ${kind} was re-created with a new internal ID, so this assignment refers to the deleted one: the name may ` +
            `still show in the console but access through it fails. Remove the assignment to the old ID (${remove}), then ` +
            `assign the re-created ${kind} again (aws sso-admin create-account-assignment ${assignment} --principal-id ${link.created.id})` +
            `${link.confidence === 'low' ? `, after confirming that ${link.created.id} is the same ${kind} (the pairing is by time only)` : ''}. ` +
            `Do the same for the ${kind}'s application assignments.`
          : `No re-creation of the ${kind} appears in the logs read: the assignment is orphaned. It grants nobody access and ` +
            `there is nothing to re-assign; remove it (${remove}). If the ${kind} was re-created where these logs do not ` +
            `reach, assign the new one too, as the linked guide section says.`;
        context.report({
          ...base,
          severity: link ? 'error' : 'warning',
          firstTime: fromRecord(last.record).time,
          principal: who,
          account: last.targetId,
          region: str(last.record.awsRegion) ?? base.region,
          eventIds: [...(assignedId ? [assignedId] : []), ...base.eventIds],
          message:
            `The ${kind} ${who} was assigned to account ${last.targetId} with the permission set ID ${psId} ` +
            `(${str(last.record.eventTime) ?? 'time unknown'}), then deleted by ${source} ${str(deletion.record.eventName)} ` +
            `(${str(deletion.record.eventTime) ?? 'time unknown'}), and no DeleteAccountAssignment for it appears in the ` +
            `logs read: it still points at the deleted ID.${after} The permission set's name: aws sso-admin ` +
            `describe-permission-set --instance-arn ${instance} --permission-set-arn ${last.permissionSetArn}.`,
          remediation,
          details: {
            principalId: last.principalId, principalType: last.principalType, name: name ?? null, targetId: last.targetId,
            permissionSetArn: last.permissionSetArn, permissionSetId: psId, instanceArn: last.instanceArn ?? null,
            assignedAt: str(last.record.eventTime) ?? null,
            deletedAt: str(deletion.record.eventTime) ?? null, deletedBy: str(deletion.record.eventSource) ?? null,
            recreatedAs: link?.created.id ?? null, recreationConfidence: link?.confidence ?? null,
          },
        });
      }
    },
  };
}

export const matcher: CorrelatingMatcher = {
  meta,
  candidates: [
    { eventSources: ['sso.amazonaws.com'], eventNames: ['CreateAccountAssignment', 'DeleteAccountAssignment'] },
    { eventSources: [...PRINCIPAL_STORES], eventNames: ['CreateUser', 'CreateGroup', 'DeleteUser', 'DeleteGroup'] },
  ],
  create,
};
