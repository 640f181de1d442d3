import type { AccountAssignment, ApplicationAssignment, AssignmentState } from '../assignments.js';
import { str, type CloudTrailRecord } from '../event.js';
import type { DirectoryEntry, Listing, PrincipalKind } from '../identity-store.js';
import { byTime, fromRecord } from '../match/common.js';
import { permissionSetName, PRINCIPAL_CHANGES, PRINCIPAL_STORES, PrincipalChanges, type PrincipalEvent } from '../match/principals.js';
import { pairRecreations, type Recreation } from '../match/recreations.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type MatchOptions, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'orphaned-assignment',
  title: 'A current assignment points at a user or group that no longer exists',
  severity: 'warning',
  docUrl: `${GUIDE}#issue6`,
  remediation:
    'Remove the assignment (each finding gives the aws sso-admin command with its IDs). Where the user or group was ' +
    're-created (the finding says so, with the new ID), assign the new one: the re-created principal has a new ' +
    'internal ID and the old assignment grants it nothing. Where the finding cannot tell, check whether a user or ' +
    'group of that name exists now and assign it if it should have the access.',
  shape: {
    evidence: 'documented',
    note: 'Reads no CloudTrail field of its own: the state comes from aws sso-admin list-account-assignments / list-account-assignments-for-principal (AccountAssignments[].AccountId, PermissionSetArn, PrincipalType, PrincipalId), list-application-assignments (ApplicationAssignments[].ApplicationArn, PrincipalType, PrincipalId) and describe-permission-set (PermissionSet.Name, PermissionSetArn) output given with --assignments, as the IAM Identity Center API reference documents them, and aws identitystore list-users / list-groups output given with --identity-store. The re-creation is read from the SCIM and Identity Store events stale-assignment reads.',
  },
  falsePositives:
    'A principal ID missing from an --identity-store listing that is incomplete (one page of a paginated listing, a listing of another identity store) is reported although the principal exists: give complete list-users / list-groups output of the instance\'s identity store. The listings cover only the accounts, permission sets and applications they were taken for: what they do not cover is not checked (the report says what they covered).',
};

/** An assignment of either kind, as the matcher reports it. */
type Assignment = (AccountAssignment & { target: 'AWS_ACCOUNT' }) | (ApplicationAssignment & { target: 'APPLICATION' });

const LISTING_OF: Record<PrincipalKind, string> = { USER: 'aws identitystore list-users', GROUP: 'aws identitystore list-groups' };
const WORD: Record<PrincipalKind, string> = { USER: 'user', GROUP: 'group' };

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function some(items: readonly string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** What the --assignments listings covered, in one sentence every report format can show. */
export function coverage(state: AssignmentState): { text: string; accounts: string[]; permissionSets: string[]; applications: string[] } {
  const accounts = [...new Set(state.accounts.map((a) => a.accountId))].sort();
  const permissionSets = [...new Map(state.accounts.map((a) => [a.permissionSetArn.toLowerCase(), a.permissionSetArn])).values()]
    .map((arn) => state.permissionSetName(arn) ?? permissionSetName(arn)).sort();
  const applications = [...new Set(state.applications.map((a) => a.applicationArn))].sort();
  const parts = [
    `${plural(state.accounts.length, 'account assignment')} in ${plural(accounts.length, 'account')}` +
      (accounts.length ? ` (${some(accounts)}) over ${plural(permissionSets.length, 'permission set')} (${some(permissionSets)})` : ''),
    `${plural(state.applications.length, 'application assignment')} in ${plural(applications.length, 'application')}` +
      (applications.length ? ` (${some(applications, 3)})` : ''),
  ];
  return {
    text: `the --assignments listings hold ${parts.join(' and ')}; accounts, permission sets and applications they do not list were not checked`,
    accounts, permissionSets, applications,
  };
}

/** The re-creation of a principal that is gone, as the logs or the listings show it. */
interface Successor {
  id: string;
  name: string | undefined;
  /** The create's eventTime as the logs give it, where they hold it. */
  at: string | undefined;
  /** The same, normalised as every finding's time is. */
  time: string | null;
  how: string;
  confidence: 'high' | 'low';
  eventIds: string[];
}

export function create({ directory, recreateWindowMs, assignments }: MatchOptions) {
  const changes = new PrincipalChanges();
  const { creates, deletes } = changes;
  return {
    record(record: CloudTrailRecord) {
      changes.record(record);
    },
    end(context: EndContext) {
      if (!assignments?.given) return;
      const covered = coverage(assignments);
      context.note(covered.text);
      const all: Assignment[] = [
        ...assignments.accounts.map((a) => ({ ...a, target: 'AWS_ACCOUNT' as const })),
        ...assignments.applications.map((a) => ({ ...a, target: 'APPLICATION' as const })),
      ];
      // The logs' deletes and re-creations, by the deleted ID (the latest delete of an ID counts).
      const recreated = new Map<string, Recreation>();
      for (const r of pairRecreations(deletes, creates, directory, recreateWindowMs).sort((a, b) => byTime(a.deleted.record, b.deleted.record))) recreated.set(r.deleted.id, r);
      const deletedAt = new Map<string, PrincipalEvent>();
      for (const d of [...deletes].sort((a, b) => byTime(a.record, b.record))) deletedAt.set(d.id, d);
      const createdAs = new Map<string, PrincipalEvent>();
      for (const c of creates) createdAs.set(c.id, c);

      const unchecked: Record<PrincipalKind, number> = { USER: 0, GROUP: 0 };
      const disabled = new Map<string, { entry: DirectoryEntry; listing: Listing; count: number }>();
      for (const a of all) {
        const listings = directory.listings.filter((l) => l.kinds.has(a.principalType));
        if (listings.length === 0) {
          unchecked[a.principalType]++;
          continue;
        }
        const id = a.principalId.toLowerCase();
        const holding = listings.filter((l) => l.entries.has(id));
        let oldName: string | undefined;
        let newer: { entry: DirectoryEntry; listing: Listing; older: Listing } | undefined;
        if (holding.length) {
          const older = holding[0]!;
          const entry = older.entries.get(id)!;
          oldName = entry.name;
          // A listing that holds the name under another ID and not this one was taken after the principal was
          // deleted and made again: a name belongs to one user (or group) of a store at a time.
          for (const l of listings) {
            if (l.entries.has(id)) continue;
            for (const e of l.entries.values()) {
              if (e.name.toLowerCase() === entry.name.toLowerCase() && e.id.toLowerCase() !== id) newer = { entry: e, listing: l, older };
            }
          }
          if (!newer) {
            const status = holding.map((l) => l.entries.get(id)!.status).find((s) => s !== undefined);
            if (status?.toUpperCase() === 'DISABLED') {
              const seen = disabled.get(id);
              if (seen) seen.count++;
              else disabled.set(id, { entry, listing: holding[0]!, count: 1 });
            }
            continue;
          }
        }
        // Gone: in no listing of its kind, or superseded by a newer principal of the same name.
        const link = recreated.get(id);
        let successor: Successor | undefined;
        if (link) {
          successor = {
            id: link.created.id, name: link.name ?? directory.nameOf(link.created.id), at: str(link.created.record.eventTime), time: fromRecord(link.created.record).time,
            how: `the logs read show it deleted (${str(link.deleted.record.eventName)}, ${str(link.deleted.record.eventTime) ?? 'time unknown'}) and created again; ${link.how}`,
            confidence: link.confidence,
            eventIds: [str(link.deleted.record.eventID), str(link.created.record.eventID)].filter((e): e is string => e !== undefined),
          };
        } else if (newer) {
          const made = createdAs.get(newer.entry.id.toLowerCase());
          successor = {
            id: newer.entry.id, name: newer.entry.name, at: made ? str(made.record.eventTime) : undefined, time: made ? fromRecord(made.record).time : null,
            how: `the listing ${newer.older.path} holds the old ID as ${oldName ?? newer.entry.name} and the listing ${newer.listing.path} holds that name under the new ID` +
              (made ? '' : ' (the listings carry no time, and the logs read hold no create of the new ID: when is not known)'),
            confidence: 'high',
            eventIds: made ? [str(made.record.eventID)].filter((e): e is string => e !== undefined) : [],
          };
        }
        const deletion = deletedAt.get(id);
        context.report(finding(a, oldName ?? successor?.name, successor, deletion, listings, covered.text, assignments));
      }
      for (const kind of ['USER', 'GROUP'] as const) {
        if (!unchecked[kind]) continue;
        context.note(
          `${plural(unchecked[kind], `assignment`)} to ${WORD[kind]}s not checked: no ${LISTING_OF[kind]} output was given with ` +
          `--identity-store, so whether those ${WORD[kind]}s still exist is not known (no finding claims they do not)`,
        );
      }
      for (const { entry, listing, count } of disabled.values()) {
        context.note(
          `the user ${entry.name} (${entry.id}) holds ${plural(count, 'assignment')} and is DISABLED in ${listing.path}: not an ` +
          'orphaned assignment (the user exists), but the user cannot sign in until enabled again',
        );
      }
    },
  };
}

function finding(a: Assignment, name: string | undefined, successor: Successor | undefined, deletion: PrincipalEvent | undefined, listings: readonly Listing[], covered: string, state: AssignmentState) {
  const kind = WORD[a.principalType];
  const who = name ? `${name} (${a.principalId})` : a.principalId;
  const psName = a.target === 'AWS_ACCOUNT' ? state.permissionSetName(a.permissionSetArn) : undefined;
  const where = a.target === 'AWS_ACCOUNT'
    ? `account ${a.accountId} with the permission set ${psName ?? a.permissionSetArn}`
    : `the application ${a.applicationArn}`;
  const named = listings.map((l) => l.path).join(', ');
  const gone = successor && listings.some((l) => l.entries.has(a.principalId.toLowerCase()))
    ? `is in an older ${LISTING_OF[a.principalType]} listing but not in the one that holds its name now`
    : `is in no ${LISTING_OF[a.principalType]} listing given (${named})`;
  const recreation = successor
    ? ` It was re-created: ${successor.name ?? `the ${kind}`} has the new ID ${successor.id}` +
      `${successor.at ? ` (created ${successor.at})` : ''}; ${successor.how}; confidence ${successor.confidence}.`
    : deletion
      ? ` The logs read show it deleted (${str(deletion.record.eventName)}, ${str(deletion.record.eventTime) ?? 'time unknown'}) and no re-creation: sso-logs cannot tell whether it was re-created elsewhere.`
      : ` Whether it was re-created sso-logs cannot tell: no log read shows its delete and no listing given names the old ID (${LISTING_OF[a.principalType]} output taken before the delete would).`;
  const principal = `--principal-type ${a.principalType} --principal-id`;
  const target = a.target === 'AWS_ACCOUNT'
    ? `--instance-arn <instance-arn> --target-id ${a.accountId} --target-type AWS_ACCOUNT --permission-set-arn ${a.permissionSetArn}`
    : `--application-arn ${a.applicationArn}`;
  const verb = a.target === 'AWS_ACCOUNT' ? 'account-assignment' : 'application-assignment';
  const remove = `aws sso-admin delete-${verb} ${target} ${principal} ${a.principalId}`;
  const remediation = successor
    ? `Remove the assignment to the old ID (${remove}), then assign the re-created ${kind} (aws sso-admin create-${verb} ${target} ${principal} ${successor.id})` +
      `${successor.confidence === 'low' ? `, after confirming that ${successor.id} is the same ${kind} (the pairing is by time only)` : ''}.`
    : `Remove the assignment (${remove}): it grants nobody access. If the ${kind} was re-created, assign the new one too.`;
  const eventIds = successor?.eventIds ?? (deletion ? [str(deletion.record.eventID)].filter((e): e is string => e !== undefined) : []);
  const deletedAt = deletion ? fromRecord(deletion.record).time : null;
  // The re-creation's time, else the delete's; a finding from the state alone has none (--since / --until drop it).
  const time = successor ? successor.time ?? deletedAt : deletedAt;
  return {
    severity: successor ? 'error' as const : 'warning' as const,
    time,
    firstTime: deletedAt ?? time,
    principal: who,
    account: a.target === 'AWS_ACCOUNT' ? a.accountId : null,
    region: null,
    eventName: null,
    sourceIp: null,
    eventIds,
    message: `The ${kind} ${who}, assigned to ${where}, ${gone}: the assignment points at a ${kind} that no longer exists.${recreation} ` +
      `Coverage: ${covered}.`,
    remediation,
    details: {
      principalId: a.principalId, principalType: a.principalType, name: name ?? null, targetType: a.target,
      accountId: a.target === 'AWS_ACCOUNT' ? a.accountId : null,
      permissionSetArn: a.target === 'AWS_ACCOUNT' ? a.permissionSetArn : null, permissionSetName: psName ?? null,
      applicationArn: a.target === 'APPLICATION' ? a.applicationArn : null,
      recreatedAs: successor?.id ?? null, recreatedName: successor?.name ?? null, recreatedAt: successor?.at ?? null,
      recreationConfidence: successor?.confidence ?? null, deletedAt: deletion ? str(deletion.record.eventTime) ?? null : null,
      coverage: covered,
    },
  };
}

export const matcher: CorrelatingMatcher = {
  meta,
  candidates: [{ eventSources: [...PRINCIPAL_STORES], eventNames: [...PRINCIPAL_CHANGES] }],
  create,
};
