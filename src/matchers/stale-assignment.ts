import { str } from '../event.js';
import { byTime, fromRecord, timeOf } from './common.js';
import { accountAssignment, permissionSetName, PRINCIPAL_STORES, principalDeleted, type AssignmentEvent, type PrincipalEvent } from './principals.js';
import { GUIDE, type MatchContext, type Matcher, type MatcherMeta } from './types.js';
import type { CloudTrailRecord } from '../event.js';

export const meta: MatcherMeta = {
  id: 'stale-assignment',
  title: 'Account assignment still points at a deleted user or group',
  severity: 'error',
  docUrl: `${GUIDE}#issue6`,
  remediation:
    'The assignment refers to the internal ID of a user or group that no longer exists, so the name may still show ' +
    'in the console but access fails. Remove the old user or group from the AWS account assignment (and from ' +
    'application assignments), then assign the re-created user or group again.',
  looksAt: 'sso.amazonaws.com Create/DeleteAccountAssignment against SCIM and Identity Store DeleteUser/DeleteGroup',
};

export function create(context: MatchContext) {
  const { directory } = context.options;
  const assignments: AssignmentEvent[] = [];
  const deletions = new Map<string, PrincipalEvent[]>();
  return {
    candidates: [
      { eventSources: ['sso.amazonaws.com'], eventNames: ['CreateAccountAssignment', 'DeleteAccountAssignment'] },
      { eventSources: [...PRINCIPAL_STORES], eventNames: ['DeleteUser', 'DeleteGroup'] },
    ],
    record(record: CloudTrailRecord) {
      const assignment = accountAssignment(record);
      if (assignment) {
        assignments.push(assignment);
        return;
      }
      const deleted = principalDeleted(record);
      if (!deleted) return;
      const list = deletions.get(deleted.id);
      if (list) list.push(deleted);
      else deletions.set(deleted.id, [deleted]);
    },
    end() {
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
        const who = directory.label(last.principalId);
        const kind = last.principalType === 'GROUP' ? 'group' : 'user';
        const source = deletion.scim ? 'SCIM' : str(deletion.record.eventSource);
        const base = fromRecord(deletion.record);
        const assignedId = str(last.record.eventID);
        context.report({
          ...base,
          principal: who,
          account: last.targetId,
          region: str(last.record.awsRegion) ?? base.region,
          eventIds: [...(assignedId ? [assignedId] : []), ...base.eventIds],
          message:
            `The ${kind} ${who} was assigned to account ${last.targetId} with permission set ` +
            `${permissionSetName(last.permissionSetArn)} (${str(last.record.eventTime) ?? 'time unknown'}), then deleted ` +
            `by ${source} ${str(deletion.record.eventName)} (${str(deletion.record.eventTime) ?? 'time unknown'}), ` +
            'and the assignment was never removed: it still points at the deleted ID.',
          details: {
            principalId: last.principalId, principalType: last.principalType, targetId: last.targetId,
            permissionSetArn: last.permissionSetArn, assignedAt: str(last.record.eventTime) ?? null,
            deletedAt: str(deletion.record.eventTime) ?? null, deletedBy: str(deletion.record.eventSource) ?? null,
          },
        });
      }
    },
  };
}

export const matcher: Matcher = { meta, create };
