/**
 * Every input problem and usage error has a stable code: scripts and tests read the code, people read the
 * message. This table is the one list of them, with what each means; docs/bad-input.md "Problem codes" shows it,
 * and a test keeps the two the same.
 */
export const PROBLEM_CODES = {
  // Paths
  PATH_NOT_FOUND: 'a path given, or found in a directory, does not exist (or was removed during the scan)',
  PERMISSION_DENIED: 'a file or directory cannot be read with the permissions sso-logs runs with',
  SYMLINK_LOOP: 'a symbolic link leads back to itself',
  DIR_REPEATED: 'a directory reached a second time (through a link, or named twice): read once',
  NOT_REGULAR_FILE: 'a FIFO, socket or device found in a directory: skipped, since reading it could wait forever',
  READ_FAILED: 'reading stopped on an I/O error; what was read before it is kept',
  // Containers
  GZIP_TRUNCATED: 'a gzip file ends early (an interrupted download); the records before the cut are kept',
  GZIP_CORRUPT: 'gzip data that cannot be inflated; the records before it are kept',
  EMPTY_INPUT: 'an input with no data, or only white space',
  NOT_JSON: 'bytes that are not JSON where a record or a container should start',
  JSON_MALFORMED: 'a record that is not valid JSON; the records around it are kept',
  JSON_TRUNCATED: 'the input ends inside a record (a cut file); the records before it are kept',
  LINE_BROKEN: 'a JSON Lines line that ends inside its value; the next line is read',
  INVALID_UTF8: 'a record with bytes that are not UTF-8: read with replacement characters, and kept',
  RECORD_TOO_LARGE: 'a record larger than --max-record-mib: skipped, so that memory stays bounded',
  RECORD_TOO_DEEP: 'a record nested more than 1000 levels deep: skipped',
  RECORD_UNCLONABLE: 'a record that cannot be passed between threads: skipped',
  NOT_CLOUDTRAIL: 'a JSON value that is not a CloudTrail record (nor a container sso-logs reads)',
  LOOKUP_EVENT_MALFORMED: 'a lookup-events Event without a readable CloudTrailEvent record',
  LAKE_ROW_MALFORMED: 'a CloudTrail Lake result row that is not a list of {"column": "value"} objects',
  CSV_NOT_ATHENA: 'a CSV file that is not an Athena result (its header does not name eventsource, eventname, eventtime)',
  CSV_ROW_MALFORMED: 'an Athena result row that is not valid CSV; the other rows are kept',
  CSV_MALFORMED: 'an Athena result that cannot be read further as CSV',
  NO_RECORDS: 'the inputs held no CloudTrail record at all',
  // sso-logs saml: the capture (exit 2)
  SAML_NOT_FOUND: 'sso-logs saml: no SAML response in the input (a HAR or SAML-tracer export without a posted SAMLResponse, or JSON of another kind)',
  SAML_NOT_XML: 'sso-logs saml: a SAMLResponse value that is not base64 of XML, or XML that is not well-formed',
  SAML_NOT_RESPONSE: 'sso-logs saml: well-formed XML whose root is neither a SAML Response nor an Assertion',
  SAML_DTD: 'sso-logs saml: XML that declares a DOCTYPE or an entity: refused unread, so no entity is expanded and no file or URL is fetched',
  SAML_TOO_DEEP: 'sso-logs saml: XML nested more than 64 elements deep: refused',
  SAML_TOO_LARGE: 'sso-logs saml: an input over 16 MiB, or a decoded SAML message over 2 MiB: refused',
  // Usage errors (exit 3)
  USAGE: 'the command line cannot be parsed: an unknown option or command, a missing value',
  NO_INPUT: 'no input given, and standard input is a terminal',
  BAD_VALUE: 'a value that is not of its form (an account ID, a region, a time, a duration, a size)',
  EMPTY_VALUE: 'an empty value (an unset shell variable), which would otherwise be ignored',
  UNKNOWN_MATCHER: 'a --matcher or --exclude that names no matcher',
  MATCHER_NEEDS_OPTION: 'a matcher asked for by name that cannot run without an option (--principal)',
  NO_MATCHER: '--matcher and --exclude leave no matcher to run',
  BAD_WINDOW: '--since is after --until',
  BAD_OUTPUT: '--output names a directory, or a file in a directory that cannot be written',
  BAD_LISTING: '--identity-store or --assignments names a file that is not a listing it takes (aws identitystore list-users / list-groups; aws sso-admin assignment or permission set output)',
  FILTER_UNMATCHED: 'a --account, --region or --since/--until value that no record of the input can match (after the scan)',
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The code of a system error met while opening or reading an input. */
export function systemProblemCode(errno: string): ProblemCode {
  switch (errno) {
    case 'ENOENT':
    case 'ENOTDIR': return 'PATH_NOT_FOUND';
    case 'EACCES':
    case 'EPERM': return 'PERMISSION_DENIED';
    case 'ELOOP': return 'SYMLINK_LOOP';
    default: return 'READ_FAILED';
  }
}
