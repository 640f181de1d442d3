import { isObject, str, type CloudTrailRecord } from '../event.js';
import { fromRecord, timeOf } from '../match/common.js';
import { PrincipalChanges, SCIM } from '../match/principals.js';
import { pairRecreations } from '../match/recreations.js';
import { GUIDE, type CorrelatingMatcher, type EndContext, type FindingInput, type MatchOptions, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'scim-principal-activity',
  title: 'Timeline of SCIM, Identity Store and assignment events for a named user or group (--principal)',
  severity: 'info',
  docUrl: `${GUIDE}#issue6`,
  remediation:
    'Read the timeline for a delete followed by a create: the re-created user or group has a new ID, and ' +
    'assignments made to the old ID must be removed and made again for the new one.',
  shape: {
    evidence: 'partly documented',
    note: 'identitystore-scim records (IDs, names hidden) are published on AWS\'s SCIM logging page; sso-directory and account assignment records come from published examples; identitystore.amazonaws.com and Delete* shapes are inferred.',
  },
  falsePositives:
    'A name matches every principal that shows it: a group named like a user, or an earlier principal that had the name. IDs linked through a re-creation paired only by time (names hidden) may belong to someone else; the finding says so.',
  requires: 'principal',
};

const SOURCES = [SCIM, 'identitystore.amazonaws.com', 'sso-directory.amazonaws.com', 'sso.amazonaws.com'];
const ID = /^(?:[0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_KEYS = new Set(['userName', 'UserName', 'displayName', 'DisplayName']);
// Which ID belongs to whom is known only at the end (a create that shows a name, a re-creation, may come after
// the events that use the ID), so every event that references an ID is kept in brief until then, up to this many.
const MAX_KEPT = 100_000;

interface Kept {
  finding: FindingInput;
  eventSource: string;
  /** Lower case, sorted. */
  ids: string[];
  names: Set<string>;
}

interface Target {
  query: string;
  name: string | undefined;
  /** Each ID the target is followed by, with how it was linked (empty: given or listed). */
  ids: Map<string, string>;
}

/** Walks requestParameters and responseElements for strings: IDs anywhere, names under name keys. */
function references(value: unknown, ids: Set<string>, names: Set<string>, depth = 0): void {
  if (depth > 12) return;
  if (Array.isArray(value)) {
    for (const v of value) references(v, ids, names, depth + 1);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        if (ID.test(v)) ids.add(v.toLowerCase());
        if (NAME_KEYS.has(k)) names.add(v.toLowerCase());
      } else references(v, ids, names, depth + 1);
    }
  } else if (typeof value === 'string' && ID.test(value)) ids.add(value.toLowerCase());
}

export function create({ directory, principals, recreateWindowMs }: MatchOptions) {
  const wanted = new Set(principals.filter((p) => !ID.test(p)).map((p) => p.toLowerCase()));
  const kept: Kept[] = [];
  let dropped = 0;
  const changes = new PrincipalChanges();
  const { creates, deletes } = changes;
  return {
    record(record: CloudTrailRecord) {
      changes.record(record);
      const ids = new Set<string>();
      const names = new Set<string>();
      references(record.requestParameters, ids, names);
      references(record.responseElements, ids, names);
      // An event that names no ID matters only if it shows a name asked for.
      if (!ids.size && ![...names].some((n) => wanted.has(n))) return;
      if (kept.length >= MAX_KEPT) {
        dropped++;
        return;
      }
      const code = str(record.errorCode);
      kept.push({
        finding: { ...fromRecord(record), principal: null, message: '', details: { errorCode: code ?? null } },
        eventSource: str(record.eventSource)!, ids: [...ids].sort(), names,
      });
    },
    end(context: EndContext) {
      const targets: Target[] = principals.map((query) => {
        if (ID.test(query)) {
          const id = query.toLowerCase();
          return { query, name: directory.nameOf(id), ids: new Map([[id, '']]) };
        }
        return { query, name: query, ids: new Map(directory.idsOf(query).map((e) => [e.id.toLowerCase(), ''])) };
      });
      // An ID whose create shows the name asked for is that principal's.
      for (const target of targets) {
        for (const c of creates) {
          if (target.name && c.name?.toLowerCase() === target.name.toLowerCase() && !target.ids.has(c.id)) target.ids.set(c.id, 'named in its create event');
        }
      }
      // A user or group deleted and re-created has two IDs (the guide's issue 6): follow both, as far as the
      // chain goes, and say how each was linked.
      const recreations = pairRecreations(deletes, creates, directory, recreateWindowMs);
      const followed: string[] = [];
      for (const target of targets) {
        for (let changed = true; changed;) {
          changed = false;
          for (const r of recreations) {
            const [from, to, which] = target.ids.has(r.deleted.id) ? [r.deleted.id, r.created.id, 'new'] : [r.created.id, r.deleted.id, 'old'];
            if (!target.ids.has(from) || target.ids.has(to)) continue;
            target.ids.set(to, `the ${which} ID: ${r.deleted.id} was deleted and ${r.created.id} created in its place, ${r.how}; confidence ${r.confidence}`);
            followed.push(`--principal ${target.query}: followed both ${r.deleted.id} (deleted ${str(r.deleted.record.eventTime) ?? 'at an unknown time'}) and ${r.created.id} (created ${str(r.created.record.eventTime) ?? 'at an unknown time'}): ${r.how}; confidence ${r.confidence}.`);
            changed = true;
          }
        }
      }
      // IDs in the order they first appear, so that a label reads old before new.
      const firstSeen = new Map<string, number>();
      for (const k of kept) {
        const t = timeOf({ eventTime: k.finding.time });
        for (const id of k.ids) if (!(firstSeen.get(id)! <= t)) firstSeen.set(id, t);
      }
      const label = (target: Target) => {
        const ids = [...target.ids.keys()].sort((a, b) => (firstSeen.get(a) ?? Infinity) - (firstSeen.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
        if (target.name) return ids.length ? `${target.name} (${ids.join(', ')})` : target.name;
        return ids.length > 1 ? ids.join(', ') : target.query;
      };
      const matched = new Set<Target>();
      for (const k of kept) {
        const matches: { target: Target; how: string }[] = [];
        for (const target of targets) {
          // A name the event shows is the plainest evidence; else the first ID of the target it references.
          if (target.name && k.names.has(target.name.toLowerCase())) matches.push({ target, how: 'visible name' });
          else {
            const id = k.ids.find((i) => target.ids.has(i));
            if (id) matches.push({ target, how: `ID ${id}${target.ids.get(id) ? ` (${target.ids.get(id)})` : ''}` });
          }
        }
        if (!matches.length) continue;
        for (const m of matches) matched.add(m.target);
        const code = k.finding.details?.errorCode;
        context.report({
          ...k.finding,
          principal: matches.map((m) => label(m.target)).join('; '),
          message: `${k.eventSource} ${k.finding.eventName ?? ''} references ${matches.map((m) => `${m.target.query} by ${m.how}`).join(', and ')}` +
            `${code ? `; it failed with ${String(code)}` : ''}.`,
          details: { eventSource: k.eventSource, errorCode: code ?? null, matches: matches.map((m) => ({ query: m.target.query, matchedBy: m.how })) },
        });
      }
      for (const line of [...new Set(followed)].sort()) context.note(line);
      for (const target of targets) {
        if (matched.has(target)) continue;
        if (target.ids.size === 0) {
          context.note(
            `--principal ${target.query}: no event shows this name, and no --identity-store listing maps it to an ID. ` +
            'SCIM events hide user and group names, so give the ID, or pass the output of aws identitystore list-users / list-groups with --identity-store.',
          );
        } else {
          context.note(`--principal ${target.query}: no SCIM, Identity Store or assignment event references ${[...target.ids.keys()].join(', ')}.`);
        }
      }
      if (dropped) context.note(`--principal: ${dropped} events past the first ${MAX_KEPT} that reference an ID were not kept; which events are reported may then depend on the order the records were read in.`);
    },
  };
}

export const matcher: CorrelatingMatcher = { meta, candidates: [{ eventSources: SOURCES }], create };
