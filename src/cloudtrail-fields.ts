/**
 * Every CloudTrail field sso-logs knows, once: the Athena DDL, the Athena query, the readers of Athena and
 * CloudTrail Lake results and the framer's pick-up all read this table, so that a field added, renamed or
 * re-typed changes them together. It imports nothing, so that the reader does not load the Athena command.
 *
 * The rows with a Hive type are the CloudTrail table of AWS's Athena documentation ("Create the table for
 * CloudTrail logs in Athena using partition projection",
 * docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html): its columns and types
 * in its order. Athena's JSON SerDe matches columns to fields without regard to case, so a column is named as
 * its field in lower case, and a STRING column over a JSON object holds the object's JSON text. CloudTrail Lake
 * names its columns as CloudTrail names the fields.
 */
export interface CloudTrailField {
  /** The keys from the record down to the value, in CloudTrail's spelling. */
  readonly path: readonly string[];
  /** Hive type of the documented table's column, as the AWS documentation writes it (one line). */
  readonly hive?: string;
  /**
   * An object or an array in the record: a result that holds it as text (JSON, or an engine's `{key=value}`
   * struct text) has it parsed back.
   */
  readonly nested?: true;
  /**
   * The Athena query selects it, as its column number `query` (from 1). Nested fields are selected one by one
   * (`useridentity.arn`), which Athena (Trino) and DuckDB read alike, rather than whole structs, whose text form
   * differs between engines.
   */
  readonly query?: number;
  /** The query's name for it, where that is not the path in lower case joined by `_`. */
  readonly alias?: string;
  /** A header without it is not a CloudTrail query result. */
  readonly header?: true;
  /** The Identity Center matchers read it: a Lake result without it is told so, in the order `lake` (from 1). */
  readonly lake?: number;
  /** The framer picks it up for the summary of a record no matcher wants (read/framer/fields.ts). */
  readonly summary?: true;
  /** The framer picks it up for the matchers' candidate test (candidates.ts). */
  readonly candidate?: true;
}

const STRUCT_USERIDENTITY =
  'STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, ' +
  'username: STRING, onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>, ' +
  'sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>, ' +
  'sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, ' +
  'ec2roledelivery: STRING, webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>';

// `as const`: the pick-up's field names stay a union of literals (read/framer/fields.ts types its values by them).
const ROWS = [
  { path: ['eventVersion'], hive: 'STRING', query: 1 },
  { path: ['userIdentity'], hive: STRUCT_USERIDENTITY, nested: true, lake: 7 },
  { path: ['userIdentity', 'principalId'], query: 12 },
  { path: ['userIdentity', 'arn'], query: 13 },
  { path: ['userIdentity', 'accountId'], query: 14 },
  { path: ['userIdentity', 'invokedBy'], query: 15 },
  { path: ['userIdentity', 'userName'], query: 16 },
  { path: ['userIdentity', 'onBehalfOf', 'userId'], query: 17 },
  { path: ['userIdentity', 'sessionContext', 'sessionIssuer', 'arn'], query: 18, alias: 'useridentity_sessionissuer_arn' },
  { path: ['userIdentity', 'sessionContext', 'sessionIssuer', 'userName'], query: 19, alias: 'useridentity_sessionissuer_username' },
  { path: ['eventTime'], hive: 'STRING', query: 2, header: true, lake: 1, summary: true },
  { path: ['eventSource'], hive: 'STRING', query: 3, header: true, lake: 2, summary: true, candidate: true },
  { path: ['eventName'], hive: 'STRING', query: 4, header: true, lake: 3, candidate: true },
  { path: ['awsRegion'], hive: 'STRING', query: 7, lake: 5, summary: true },
  { path: ['sourceIPAddress'], hive: 'STRING', query: 9 },
  { path: ['userAgent'], hive: 'STRING' },
  { path: ['errorCode'], hive: 'STRING', query: 10, lake: 10, candidate: true },
  { path: ['errorMessage'], hive: 'STRING', query: 11, lake: 11, candidate: true },
  { path: ['requestParameters'], hive: 'STRING', nested: true, query: 20, lake: 8 },
  { path: ['responseElements'], hive: 'STRING', nested: true, query: 21, lake: 9 },
  { path: ['additionalEventData'], hive: 'STRING', nested: true, query: 22, lake: 12 },
  { path: ['requestID'], hive: 'STRING' },
  { path: ['eventID'], hive: 'STRING', query: 5, lake: 4 },
  { path: ['readOnly'], hive: 'STRING' },
  { path: ['resources'], hive: 'ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>', nested: true },
  { path: ['eventType'], hive: 'STRING', query: 6, summary: true },
  { path: ['apiVersion'], hive: 'STRING' },
  { path: ['recipientAccountId'], hive: 'STRING', query: 8, lake: 6, summary: true },
  { path: ['serviceEventDetails'], hive: 'STRING', nested: true, query: 23, lake: 13 },
  { path: ['sharedEventID'], hive: 'STRING' },
  { path: ['vpcEndpointId'], hive: 'STRING' },
  { path: ['vpcEndpointAccountId'], hive: 'STRING' },
  { path: ['eventCategory'], hive: 'STRING' },
  { path: ['addendum'], hive: 'STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>', nested: true },
  { path: ['sessionCredentialFromConsole'], hive: 'STRING' },
  { path: ['edgeDeviceDetails'], hive: 'STRING', nested: true },
  { path: ['tlsDetails'], hive: 'STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>', nested: true },
  // Not columns of the documented table; Lake results can hold them.
  { path: ['insightDetails'], nested: true },
  { path: ['eventContext'], nested: true },
] as const satisfies readonly CloudTrailField[];

export const CLOUDTRAIL_FIELDS: readonly CloudTrailField[] = ROWS;

type PickedUpRow = Extract<(typeof ROWS)[number], { summary: true } | { candidate: true }>;

/** The top-level strings the framer picks up (read/framer/fields.ts). */
export const PICKED_UP: readonly PickedUpRow['path'][0][] = ROWS
  .filter((f): f is PickedUpRow => 'summary' in f || 'candidate' in f)
  .map((f) => f.path[0]);

export interface AthenaColumn {
  name: string;
  type: string;
  field: CloudTrailField;
}

/** The documented table's columns, in its order. */
export const ATHENA_COLUMNS: readonly AthenaColumn[] = CLOUDTRAIL_FIELDS.flatMap((field) =>
  field.hive === undefined ? [] : [{ name: field.path[0]!.toLowerCase(), type: field.hive, field }]);

/**
 * Partition columns: the documented table projects only the date (`timestamp`) of one account and region;
 * an organization's trail spans many, so the account and the region are projected too (enums of the values
 * given), and a query names the days, accounts and regions it needs.
 */
export const ATHENA_PARTITIONS = ['account', 'region', 'timestamp'] as const;

/** One column of the Athena query's result: what the matchers and the summary read, and nothing else. */
export interface SelectedColumn {
  /** The column's name in the result (its header). */
  alias: string;
  sql: string;
  field: CloudTrailField;
}

/** The Athena query's columns, in its order. */
export const ATHENA_SELECTED: readonly SelectedColumn[] = CLOUDTRAIL_FIELDS
  .filter((field) => field.query !== undefined)
  .sort((a, b) => a.query! - b.query!)
  .map((field) => {
    const lower = field.path.map((key) => key.toLowerCase());
    return { alias: field.alias ?? lower.join('_'), sql: lower.join('.'), field };
  });
