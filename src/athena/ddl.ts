import { ATHENA_COLUMNS } from '../cloudtrail-fields.js';

export interface DdlOptions {
  table: string;
  bucket: string;
  /** The trail's S3 key prefix, if it has one. */
  prefix?: string;
  /** An organization trail's organization ID (`o-...`): its logs sit under AWSLogs/<org-id>/<account>/. */
  orgId?: string;
  accounts: string[];
  regions: string[];
  /** First day the projection covers, yyyy/MM/dd. */
  from: string;
}

/** `s3://bucket/prefix/AWSLogs/[o-id/]`: where the trail delivers (FIELDS.md section 5). */
export function logsLocation(options: Pick<DdlOptions, 'bucket' | 'prefix' | 'orgId'>): string {
  const prefix = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  return `s3://${options.bucket}/${prefix}AWSLogs/${options.orgId ? `${options.orgId}/` : ''}`;
}

/**
 * CREATE EXTERNAL TABLE for the trail: AWS's documented CloudTrail table (cloudtrail-fields.ts) with partition
 * projection over account, region and day, so that a query reads only the S3 prefixes of the days, accounts and
 * regions it names.
 */
export function renderDdl(options: DdlOptions): string {
  const location = logsLocation(options);
  const columns = ATHENA_COLUMNS.map((c) => `  ${c.name} ${c.type}`).join(',\n');
  const props: [string, string][] = [
    ['projection.enabled', 'true'],
    ['projection.account.type', 'enum'],
    ['projection.account.values', options.accounts.join(',')],
    ['projection.region.type', 'enum'],
    ['projection.region.values', options.regions.join(',')],
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.range', `${options.from},NOW`],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['storage.location.template', `${location}\${account}/CloudTrail/\${region}/\${timestamp}`],
  ];
  return [
    `CREATE EXTERNAL TABLE ${options.table} (`,
    columns,
    ')',
    'PARTITIONED BY (',
    '  account STRING,',
    '  region STRING,',
    '  `timestamp` STRING',
    ')',
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    props.map(([k, v]) => `  '${k}'='${v}'`).join(',\n'),
    ');',
    '',
  ].join('\n');
}
