// The DuckDB side of the benchmark, in a process of its own so that its time and memory are its own. It does the
// work sso-logs does before its matchers: the summary (records, first and last eventTime, distinct accounts and
// regions) and the candidate filter, with the matchers' own conditions (the SQL of `sso-logs athena query`).
// usage: node duckdb-query.mjs tree|records|jsonl|lookup PATH  -> prints the summary and the candidate count as JSON
import { DuckDBInstance } from '@duckdb/node-api';
import { candidatesWhere } from '../../dist/athena/query.js';
import { IdentityDirectory } from '../../dist/identity-store.js';
import { MATCHER_IDS } from '../../dist/match/registry.js';
import { MatchRunner } from '../../dist/match/runner.js';

const [kind, path] = process.argv.slice(2);
const candidates = new MatchRunner(MATCHER_IDS, { principals: [], recreateWindowMs: 0, directory: new IdentityDirectory() }, () => undefined).candidates();
// Only the columns the summary and the conditions read (DuckDB's fastest way, and no 16 MB schema sampling);
// names compare without case in DuckDB, so the conditions' lower-case names find them.
const fields = { eventSource: 'VARCHAR', eventName: 'VARCHAR', errorCode: 'VARCHAR', errorMessage: 'VARCHAR', eventTime: 'VARCHAR', recipientAccountId: 'VARCHAR', awsRegion: 'VARCHAR', requestParameters: 'JSON' };
const struct = `STRUCT(${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(', ')})`;
const columns = `{${Object.entries(fields).map(([k, v]) => `${k}: '${v}'`).join(', ')}}`;
const rows = {
  tree: `SELECT unnest(Records, recursive := true) FROM read_json('${path}/**/*.json.gz', columns={Records: '${struct}[]'}, format='unstructured')`,
  records: `SELECT unnest(Records, recursive := true) FROM read_json('${path}', columns={Records: '${struct}[]'}, format='unstructured', maximum_object_size=4000000000)`,
  jsonl: `SELECT * FROM read_json('${path}', columns=${columns}, format='newline_delimited')`,
  lookup: `SELECT ${Object.keys(fields).map((k) => `json_extract_string(e.CloudTrailEvent, '$.${k}') AS ${k}`).join(', ')} FROM (SELECT unnest(Events) AS e FROM read_json('${path}', columns={Events: 'STRUCT(CloudTrailEvent VARCHAR)[]'}, format='auto'))`,
}[kind];
const query = `SELECT count(*) AS records, min(eventTime) AS first, max(eventTime) AS last, count(DISTINCT recipientAccountId) AS accounts,
  count(DISTINCT awsRegion) AS regions, count(*) FILTER (WHERE ${candidatesWhere(candidates).replaceAll('strpos(requestparameters,', 'strpos(CAST(requestparameters AS VARCHAR),')}) AS candidates
  FROM (${rows}) AS t`;
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await db.connect();
const result = await connection.runAndReadAll(query);
const [records, first, last, accounts, regions, matched] = result.getRows()[0];
console.log(JSON.stringify({ records: Number(records), first, last, accounts: Number(accounts), regions: Number(regions), candidates: Number(matched) }));
