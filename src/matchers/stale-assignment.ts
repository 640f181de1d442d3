import { str, type CloudTrailRecord } from '../event.js';
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
    'The assignment refers to the internal ID of a user or group that no longer exists, so the name may still show ' +
    'in the console but access fails. Remove the old user or group from the AWS account assignment (and from ' +
    'application assignments), then assign the re-created user or group again.',
  shape: {
    evidence: 'partly documented',
    note: 'Create/DeleteAccountAssignment are named on AWS\'s CloudTrail page for IAM Identity Center and their requestParameters come from a published record; the ID field of DeleteUser / DeleteGroup is inferred.',
  },
  falsePositives:
    'A user or group deleted on purpose and never re-created is reported too (the assignment is then only clutter), and an assignment removed in logs that were not read (another trail, region or time) is still called never removed.',
};

export function create({ directory, recreateWindowMs }: MatchOptions) {
  const assignments: AssignmentEvent[] = [];
  const deletions = new Map<string, PrincipalEvent[]>();
  const creates: PrincipalEvent[] = [];
  return {
    record(record: CloudTrailRecord) {
      const assignment = accountAssignment(record);
      if (assignment) {
        assignments.push(assignment);
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
      const byTriple = new Map<string, AssignmentEvent[]>();
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
        const after = link
          ? ` The ${kind} was created again with the new ID ${link.created.id} (${str(link.created.record.eventTime) ?? 'time unknown'}; ${link.how}; confidence ${link.confidence}): assign that ID instead.`
          : ' The logs read show no re-creation of it.';
        context.report({
          ...base,
          firstTime: fromRecord(last.record).time,
          principal: who,
          account: last.targetId,
          region: str(last.record.awsRegion) ?? base.region,
          eventIds: [...(assignedId ? [assignedId] : []), ...base.eventIds],
          message:
            `The ${kind} ${who} was assigned to account ${last.targetId} with permission set ` +
            `${permissionSetName(last.permissionSetArn)} (${str(last.record.eventTime) ?? 'time unknown'}), then deleted ` +
            `by ${source} ${str(deletion.record.eventName)} (${str(deletion.record.eventTime) ?? 'time unknown'}), ` +
            `and the assignment was never removed: it still points at the deleted ID.${after}`,
          details: {
            principalId: last.principalId, principalType: last.principalType, name: name ?? null, targetId: last.targetId,
            permissionSetArn: last.permissionSetArn, assignedAt: str(last.record.eventTime) ?? null,
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
