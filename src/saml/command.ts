import { open } from 'node:fs/promises';
import { describeSystemError, formatProblem, systemCode, UsageError, type InputProblem } from '../errors.js';
import { failsOn } from '../filters.js';
import { loadDirectory } from '../identity-store.js';
import type { Finding, Severity } from '../match/types.js';
import { EXIT } from '../run.js';
import { safeText } from '../text.js';
import { samlFacts, type SamlFacts } from './assertion.js';
import { checkResponse, SAML_CHECK_IDS } from './checks.js';
import { MAX_INPUT_BYTES, readCapture } from './input.js';
import { renderSaml, type SamlSummary } from './report.js';
import { parseXml, SamlInputError } from './xml.js';

export interface SamlOptions {
  /** A path, or `-` for standard input. */
  input: string;
  format: string;
  color: boolean;
  width: number;
  identityStores: string[];
  failOn?: Severity;
}

export interface SamlIO {
  stdin: AsyncIterable<Buffer>;
  stderr: (line: string) => void;
}

export interface SamlResult {
  summary: SamlSummary | null;
  findings: Finding[];
  output: string;
  exitCode: number;
}

class TooLarge extends Error {}

/** At most MAX_INPUT_BYTES + 1 bytes: enough to know the input is too large, without holding a 100 MB file. */
async function readBounded(path: string, stdin: AsyncIterable<Buffer>): Promise<Buffer> {
  const limit = MAX_INPUT_BYTES + 1;
  if (path !== '-') {
    const file = await open(path, 'r');
    try {
      const info = await file.stat();
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (info.isFile() && info.size >= limit) throw new TooLarge(String(info.size));
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of file.createReadStream({ start: 0, end: limit - 1, autoClose: false })) {
        chunks.push(chunk as Buffer);
        total += (chunk as Buffer).length;
        if (total >= limit) throw new TooLarge(String(total));
      }
      return Buffer.concat(chunks);
    } finally {
      await file.close();
    }
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    chunks.push(chunk);
    total += chunk.length;
    if (total >= limit) throw new TooLarge(`more than ${total}`);
  }
  return Buffer.concat(chunks);
}

function problemOf(input: string, error: unknown): InputProblem | undefined {
  if (error instanceof TooLarge) {
    return { input, code: 'SAML_TOO_LARGE', message: `the input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB: refused (a HAR of a sign-in is a few MB; save it without content, or give the SAMLResponse value alone)` };
  }
  if (error instanceof SamlInputError) return { input, code: error.code, message: error.message };
  if (typeof error === 'object' && error !== null && 'code' in error && /^E[A-Z]+$/.test(String(error.code))) {
    return { input, code: systemCode(error), message: describeSystemError(error) };
  }
  return undefined;
}

/** read -> decode -> parse -> check -> render; the exit code as scan decides it (2 for input that cannot be read). */
export async function saml(options: SamlOptions, io: SamlIO): Promise<SamlResult> {
  if (!options.input) throw new UsageError('no input: give a HAR, a SAML-tracer export, a SAMLResponse value or its XML (a file, or - for standard input)', 'NO_INPUT');
  const directory = await loadDirectory(options.identityStores);
  const name = options.input === '-' ? '(stdin)' : options.input;
  const responses: SamlFacts[] = [];
  let kind: SamlSummary['kind'];
  let otherResponses: number;
  try {
    const capture = readCapture(await readBounded(options.input, io.stdin));
    kind = capture.kind;
    otherResponses = capture.otherResponses;
    for (const response of capture.responses) responses.push(samlFacts(parseXml(response.xml), response.xml, response.postedTo));
  } catch (error) {
    const problem = problemOf(name, error);
    if (!problem) throw error;
    io.stderr(`sso-logs: ${safeText(formatProblem(problem))}`);
    return { summary: null, findings: [], output: '', exitCode: EXIT.inputProblems };
  }
  if (otherResponses) io.stderr(`sso-logs: note: ${safeText(name)}: ${otherResponses} SAML response${otherResponses === 1 ? '' : 's'} posted to other service providers than IAM Identity Center: left out`);
  const findings = responses.flatMap((facts) => checkResponse(facts, { directory }));
  const summary: SamlSummary = {
    input: name, kind, responses, otherResponses, checks: SAML_CHECK_IDS,
    notRun: directory.given ? [] : [{ check: 'saml-nameid-unknown-user', reason: 'give --identity-store listings (aws identitystore list-users) to check the NameID against user names' }],
  };
  const output = renderSaml(options.format, summary, findings, { color: options.color, width: options.width });
  return { summary, findings, output, exitCode: failsOn(findings, options.failOn) ? EXIT.findings : EXIT.ok };
}
