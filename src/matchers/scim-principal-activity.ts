import { isObject, str, type CloudTrailRecord } from '../event.js';
import { fromRecord } from './common.js';
import { principalCreated, SCIM } from './principals.js';
import { GUIDE, type FindingInput, type MatchContext, type Matcher, type MatcherMeta } from './types.js';

export const meta: MatcherMeta = {
  id: 'scim-principal-activity',
  title: 'Timeline of SCIM, Identity Store and assignment events for a named user or group (--principal)',
  severity: 'info',
  docUrl: `${GUIDE}#issue6`,
  remediation:
    'Read the timeline for a delete followed by a create: the re-created user or group has a new ID, and ' +
    'assignments made to the old ID must be removed and made again for the new one.',
  looksAt: 'identitystore-scim, identitystore, sso-directory and sso.amazonaws.com events naming a --principal',
};

const SOURCES = new Set([SCIM, 'identitystore.amazonaws.com', 'sso-directory.amazonaws.com', 'sso.amazonaws.com']);
const ID = /^(?:[0-9a-f]{10}-)?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const NAME_KEYS = new Set(['userName', 'UserName', 'displayName', 'DisplayName']);
// Names are learnt from create events, which may come after the events they explain (S3 objects are not
// sorted): events that reference some ID are kept in brief until the end, up to this many.
const MAX_PENDING = 100_000;

interface Target {
  query: string;
  ids: Set<string>;
  /** IDs learnt from a create event that shows the name (the others come from the query or the listings). */
  learnt: Set<string>;
  name: string | undefined;
}

/** Walks requestParameters and responseElements for strings: IDs anywhere, names under name keys. */
function references(value: unknown, ids: Set<string>, names: Set<string>, depth = 0): void {
  if (depth > 12) return;
  if (Array.isArray(value)) {
    for (const v of value) references(v, ids, names, depth + 1);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        if (ID.test(v)) ids.add(v);
        if (NAME_KEYS.has(k)) names.add(v.toLowerCase());
      } else references(v, ids, names, depth + 1);
    }
  } else if (typeof value === 'string' && ID.test(value)) ids.add(value);
}

export function create(context: MatchContext) {
  const { directory, principals } = context.options;
  const targets: Target[] = principals.map((query) => {
    if (ID.test(query)) return { query, ids: new Set([query]), learnt: new Set<string>(), name: directory.nameOf(query) };
    return { query, ids: new Set(directory.idsOf(query).map((e) => e.id)), learnt: new Set<string>(), name: query };
  });
  const matched = new Map<Target, number>(targets.map((t) => [t, 0]));
  const pending = new Map<string, { finding: FindingInput; eventSource: string }[]>();
  let pendingCount = 0;
  let pendingFull = false;
  const unresolved = () => targets.some((t) => t.name !== undefined && t.ids.size === 0);

  // The same words whichever came first, the create that names an ID or the events that use it.
  const byId = (target: Target, id: string) => `ID ${id}${target.learnt.has(id) ? ' (named in its create event)' : ''}`;

  function report(target: Target, finding: FindingInput, eventSource: string, how: string) {
    matched.set(target, (matched.get(target) ?? 0) + 1);
    const label = target.name && target.ids.size ? `${target.name} (${[...target.ids].join(', ')})` : target.name ?? target.query;
    context.report({
      ...finding,
      principal: label,
      message: `${eventSource} ${finding.eventName ?? ''} references ${target.query} by ${how}` +
        `${finding.details?.errorCode ? `; it failed with ${String(finding.details.errorCode)}` : ''}.`,
      details: { ...finding.details, query: target.query, matchedBy: how },
    });
  }

  return {
    // Without --principal the matcher has nothing to look for. The source names are quoted so that the
    // `sso.amazonaws.com` inside every AWSReservedSSO_ role path does not count.
    candidates: targets.length ? [{ eventSources: [...SOURCES] }] : [],
    record(record: CloudTrailRecord) {
      const eventSource = str(record.eventSource);
      if (!targets.length || !eventSource || !SOURCES.has(eventSource)) return;
      const ids = new Set<string>();
      const names = new Set<string>();
      references(record.requestParameters, ids, names);
      references(record.responseElements, ids, names);
      if (!ids.size && !names.size) return;
      const code = str(record.errorCode);
      const finding: FindingInput = { ...fromRecord(record), principal: null, message: '', details: { eventSource, errorCode: code ?? null } };
      const created = principalCreated(record);
      let any = false;
      for (const target of targets) {
        const known = [...ids].find((id) => target.ids.has(id));
        if (known) {
          any = true;
          report(target, finding, eventSource, byId(target, known));
        } else if (target.name && names.has(target.name.toLowerCase())) {
          any = true;
          // A create that shows the name reveals the ID: the events that use only the ID belong to it too.
          if (created && !target.ids.has(created.id)) {
            target.ids.add(created.id);
            target.learnt.add(created.id);
            for (const p of pending.get(created.id) ?? []) report(target, p.finding, p.eventSource, byId(target, created.id));
            pending.delete(created.id);
          }
          report(target, finding, eventSource, 'visible name');
        }
      }
      if (!any && !pendingFull && unresolved()) {
        for (const id of ids) {
          pending.set(id, [...(pending.get(id) ?? []), { finding, eventSource }]);
          if (++pendingCount >= MAX_PENDING) pendingFull = true;
        }
      }
    },
    end() {
      for (const target of targets) {
        if (matched.get(target)) continue;
        if (target.ids.size === 0) {
          context.note(
            `--principal ${target.query}: no event shows this name, and no --identity-store listing maps it to an ID. ` +
            'SCIM events hide user and group names, so give the ID, or pass the output of aws identitystore list-users / list-groups with --identity-store.',
          );
        } else {
          context.note(`--principal ${target.query}: no SCIM, Identity Store or assignment event references ${[...target.ids].join(', ')}.`);
        }
      }
      if (pendingFull) context.note(`--principal: more than ${MAX_PENDING} events wait for a name to be resolved; later ones were not kept.`);
    },
  };
}

export const matcher: Matcher = { meta, create };
