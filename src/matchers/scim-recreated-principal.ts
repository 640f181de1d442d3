import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { str, type CloudTrailRecord } from '../event.js';
import { byTime, fromRecord, timeOf } from './common.js';
import { PRINCIPAL_CHANGES, principalCreated, principalDeleted, SCIM, type PrincipalEvent } from './principals.js';
import { GUIDE, type MatchContext, type Matcher, type MatcherMeta } from './types.js';

export const meta: MatcherMeta = {
  id: 'scim-recreated-principal',
  title: 'User or group deleted and re-created by SCIM (new internal ID)',
  severity: 'warning',
  docUrl: `${GUIDE}#issue6`,
  remediation:
    'The re-created user or group has a new internal ID; account and application assignments made to the old one ' +
    'no longer grant access. Remove the old assignments and assign the re-created user or group again.',
  looksAt: 'identitystore-scim.amazonaws.com DeleteUser/DeleteGroup followed by CreateUser/CreateGroup',
};

type PairedBy = 'visible name' | 'identity-store listing' | 'time';
const CONFIDENCE: Record<PairedBy, 'high' | 'low'> = { 'visible name': 'high', 'identity-store listing': 'high', time: 'low' };

export function create(context: MatchContext) {
  const { directory, recreateWindowMs } = context.options;
  const deletes: PrincipalEvent[] = [];
  const creates: PrincipalEvent[] = [];
  return {
    candidates: [{ eventSources: [SCIM], eventNames: [...PRINCIPAL_CHANGES] }],
    record(record: CloudTrailRecord) {
      const deleted = principalDeleted(record);
      if (deleted?.scim) {
        deletes.push(deleted);
        return;
      }
      const created = principalCreated(record);
      if (created?.scim) creates.push(created);
    },
    end() {
      deletes.sort((a, b) => byTime(a.record, b.record));
      creates.sort((a, b) => byTime(a.record, b.record));
      // A name the logs show for an ID (from its own create), else the listing's.
      const shown = new Map<string, string>();
      for (const c of creates) if (c.name) shown.set(c.id, c.name);
      const nameOf = (id: string): [string, PairedBy] | undefined => {
        const visible = shown.get(id);
        if (visible) return [visible, 'visible name'];
        const listed = directory.nameOf(id);
        return listed ? [listed, 'identity-store listing'] : undefined;
      };
      const paired = new Set<PrincipalEvent>();
      for (const del of deletes) {
        const deletedAt = timeOf(del.record);
        const after = creates.filter((c) => !paired.has(c) && c.kind === del.kind && c.id !== del.id && !(timeOf(c.record) < deletedAt));
        const oldName = nameOf(del.id);
        let match: PrincipalEvent | undefined;
        let pairedBy: PairedBy = 'time';
        if (oldName) {
          for (const c of after) {
            const newName = nameOf(c.id);
            if (newName && newName[0].toLowerCase() === oldName[0].toLowerCase()) {
              match = c;
              pairedBy = oldName[1] === 'visible name' && newName[1] === 'visible name' ? 'visible name' : 'identity-store listing';
              break;
            }
          }
        }
        if (!match) {
          // Names are hidden in current SCIM logs: fall back to the first create of the same kind soon after,
          // unless both names are known and differ.
          match = after.find((c) => {
            if (timeOf(c.record) - deletedAt > recreateWindowMs) return false;
            const newName = nameOf(c.id);
            return !(oldName && newName && oldName[0].toLowerCase() !== newName[0].toLowerCase());
          });
        }
        if (!match) continue;
        paired.add(match);
        const kind = del.kind === 'USER' ? 'user' : 'group';
        const name = oldName?.[0] ?? nameOf(match.id)?.[0];
        const createdAt = timeOf(match.record);
        const gapSeconds = Math.round((createdAt - deletedAt) / 1000);
        const base = fromRecord(match.record);
        const deleteId = str(del.record.eventID);
        const how = pairedBy === 'time'
          ? `paired only by time (created ${Number.isFinite(gapSeconds) ? formatDistanceStrict(createdAt, deletedAt) : 'an unknown time'} after the delete, within --recreate-window); names are hidden, so this is a guess - pass --identity-store to confirm`
          : `paired by ${pairedBy}`;
        context.report({
          ...base,
          principal: name ? `${name} (${del.id} -> ${match.id})` : `${del.id} -> ${match.id}`,
          eventIds: [...(deleteId ? [deleteId] : []), ...base.eventIds],
          message:
            `SCIM deleted the ${kind} ${name ? `${name} ` : ''}with ID ${del.id} (${str(del.record.eventTime) ?? 'time unknown'}) and created a ` +
            `${kind} with the new ID ${match.id} (${str(match.record.eventTime) ?? 'time unknown'}): ${how}. Confidence: ${CONFIDENCE[pairedBy]}.`,
          details: {
            kind: del.kind, name: name ?? null, oldId: del.id, newId: match.id, pairedBy, confidence: CONFIDENCE[pairedBy],
            gapSeconds: Number.isFinite(gapSeconds) ? gapSeconds : null,
          },
        });
      }
    },
  };
}

export const matcher: Matcher = { meta, create };
