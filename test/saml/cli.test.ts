import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../src/report/csv.js';
import { tempDir } from '../support/read.js';
import { AUTH_SECRET, COOKIE_SECRET, formValue, har, samlResponse, samlTracerExport } from '../support/saml-samples.js';

const ROOT = join(import.meta.dirname, '../..');
const FORMATS = ['table', 'csv', 'markdown', 'json', 'ndjson'] as const;
const LISTING = 'samples/identity-store/list-users.json';

function cli(args: string[], input?: Buffer | string, nodeArgs: string[] = []) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [...nodeArgs, join(ROOT, 'bin/sso-logs.js'), ...args], {
    cwd: ROOT, input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe('sso-logs saml on the samples', () => {
  it('the right response: no finding, exit 0, what it carries shown', () => {
    const r = cli(['saml', 'samples/saml/signin.har', '--identity-store', LISTING]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const shown of ['NameID:         jdoe@example.com', 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'Audience:       https://us-east-1.signin.aws/platform/saml/d-9067a1b2c3',
      'Valid:          2024-10-10T13:19:30Z .. 2024-10-10T13:25:00Z', 'Signature:      response signed, assertion signed', 'Department: data-engineering', 'No findings']) {
      expect(r.stdout).toContain(shown);
    }
    // 80 columns when not a terminal, as scan's table
    for (const file of ['signin.har', 'signin-nameid-not-email.har']) {
      const lines = cli(['saml', `samples/saml/${file}`, '--identity-store', LISTING]).stdout.split('\n');
      expect(lines.filter((l) => [...l].length > 80 && !l.startsWith('Guide: '))).toEqual([]);
    }
  });

  it('a NameID that is not an address: the finding in every format, exit 1 only with --fail-on', () => {
    const args = ['saml', 'samples/saml/signin-nameid-not-email.har', '--identity-store', LISTING];
    const json = JSON.parse(cli([...args, '-f', 'json']).stdout);
    expect(json.findings.map((f: { matcher: string; principal: string }) => [f.matcher, f.principal])).toEqual([['saml-nameid-not-email', 'jdoe'], ['saml-nameid-unknown-user', 'jdoe']]);
    expect(json.summary).toMatchObject({ kind: 'har', otherResponses: 0, notRun: [] });
    const rows: string[][] = parse(cli([...args, '-f', 'csv']).stdout);
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.slice(1).map((r) => r[2])).toEqual(['saml-nameid-not-email', 'saml-nameid-unknown-user']);
    const lines = cli([...args, '-f', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(json.findings);
    const md = cli([...args, '-f', 'markdown']).stdout;
    expect(md).toContain('## saml-nameid-not-email');
    expect(md).toContain('(https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue8)');
    const table = cli(args);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('saml-nameid-not-email (error): The NameID is not an email address');
    expect(cli([...args, '--fail-on', 'error']).code).toBe(1);
    expect(cli([...args, '--fail-on', 'warning', '-f', 'json']).code).toBe(1);
  });

  it('reads standard input: the SAMLResponse value, URL-encoded', () => {
    const r = cli(['saml', '-', '-f', 'json'], formValue(samlResponse({ nameId: 'jdoe' })));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings.map((f: { matcher: string }) => f.matcher)).toEqual(['saml-nameid-not-email']);
    expect(cli(['saml', '-f', 'json'], samlResponse()).code).toBe(0);
    // the whole form body as the browser posted it, copied from the developer tools: RelayState is not read
    const body = `RelayState=relay-secret-42&SAMLResponse=${encodeURIComponent(Buffer.from(samlResponse({ nameId: 'jdoe' })).toString('base64'))}`;
    const whole = cli(['saml', '-', '-f', 'json'], body);
    expect([whole.code, whole.stderr]).toEqual([0, '']);
    expect(JSON.parse(whole.stdout).findings.map((f: { matcher: string }) => f.matcher)).toEqual(['saml-nameid-not-email']);
    expect(whole.stdout).not.toContain('relay-secret-42');
  });

  it('usage errors exit 3', () => {
    expect(cli(['saml', 'samples/saml/signin.har', '-f', 'xml']).code).toBe(3);
    expect(cli(['saml', 'samples/saml/signin.har', '--identity-store', 'samples/saml/signin.har']).stderr).toContain('[BAD_LISTING]');
    expect(cli(['saml', '']).code).toBe(3);
  });

  it('input that cannot be read exits 2 with a problem code', () => {
    const dir = tempDir();
    const cases: [string, string][] = [
      [JSON.stringify({ log: { entries: [] } }), 'SAML_NOT_FOUND'],
      ['<html><body>sign in</body></html>', 'SAML_NOT_RESPONSE'],
      ['<samlp:Response><oops></samlp:Response>', 'SAML_NOT_XML'],
      [Buffer.from('hello').toString('base64'), 'SAML_NOT_XML'],
    ];
    for (const [text, code] of cases) {
      writeFileSync(join(dir, 'in'), text);
      const r = cli(['saml', join(dir, 'in')]);
      expect(r.code, code).toBe(2);
      expect(r.stderr).toContain(`[${code}]`);
      expect(r.stdout).toBe('');
    }
    const missing = cli(['saml', join(dir, 'nothing-here.har')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[PATH_NOT_FOUND]');
  });
});

describe('a HAR holds cookies and tokens: never printed', () => {
  const secrets = [COOKIE_SECRET, COOKIE_SECRET.split('=')[1]!, AUTH_SECRET, AUTH_SECRET.split(' ')[1]!, 'relaystatesecret'];
  for (const [name, make] of [['HAR', har], ['SAML-tracer', samlTracerExport]] as const) {
    it(`${name}: in no format, nor on stderr, with findings or problems`, () => {
      const capture = make(samlResponse({ nameId: 'jdoe' }));
      for (const secret of secrets) expect(capture).toContain(secret);
      for (const format of FORMATS) {
        for (const extra of [[], ['--identity-store', LISTING]]) {
          const r = cli(['saml', '-', '-f', format, ...extra], capture);
          expect(r.code).toBe(0);
          expect(r.stdout).toContain('jdoe');
          for (const secret of secrets) {
            expect(r.stdout, format).not.toContain(secret);
            expect(r.stderr).not.toContain(secret);
          }
        }
      }
      // a capture whose response is broken: the problem names no secret either
      const r = cli(['saml', '-'], make('not XML'));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[SAML_NOT_XML]');
      for (const secret of secrets) expect(r.stderr).not.toContain(secret);
    });
  }
});

describe('hostile XML: a clear error, exit 2, bounded time and memory, no stack trace', () => {
  const dir = tempDir();
  const noTrace = (stderr: string) => {
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('internal error');
  };
  // small heap: a parser that expanded or held what it should refuse would run out of it
  const heap = ['--max-old-space-size=96'];

  it('entity expansion (billion laughs): the DTD is refused unread', () => {
    const lol = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`), ']>',
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><x>&lol9;</x></samlp:Response>'].join('\n');
    for (const input of [lol, Buffer.from(lol).toString('base64'), har(lol)]) {
      const r = cli(['saml', '-', '-f', 'json'], input, heap);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[SAML_DTD]');
      expect(r.stdout).toBe('');
      expect(r.ms).toBeLessThan(10_000);
      noTrace(r.stderr);
    }
  });

  it('an external entity: /etc/passwd is never read', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&xxe;</saml:Issuer></samlp:Response>';
    for (const format of FORMATS) {
      const r = cli(['saml', '-', '-f', format], xxe);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[SAML_DTD]');
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/root:|\/bin\/(ba)?sh/);
      noTrace(r.stderr);
    }
    // without a DTD the reference stays a reference: nothing is expanded or fetched
    const bare = samlResponse().replace('https://idp.example.com/saml2/metadata</saml:Issuer>', '&xxe;</saml:Issuer>');
    const r = cli(['saml', '-', '-f', 'json'], bare);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.responses[0].issuer).toBe('&xxe;');
  });

  it('deep nesting', () => {
    const deep = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</samlp:Response>`;
    for (const input of [deep, Buffer.from(deep).toString('base64')]) {
      const r = cli(['saml', '-'], input, heap);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[SAML_TOO_DEEP]');
      expect(r.ms).toBeLessThan(10_000);
      noTrace(r.stderr);
    }
  });

  it('a 100 MB file, and 100 MB on standard input', () => {
    const big = join(dir, 'big.xml');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 100 * 1024 * 1024);
    closeSync(fd);
    const r = cli(['saml', big], undefined, heap);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[SAML_TOO_LARGE]');
    expect(r.ms).toBeLessThan(10_000);
    noTrace(r.stderr);
    const piped = cli(['saml', '-'], readFileSync(big), heap);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('[SAML_TOO_LARGE]');
    noTrace(piped.stderr);
    // a decoded message over 2 MiB inside a smaller input
    const wide = samlResponse({ attributes: [['description', ['x'.repeat(3 * 1024 * 1024)]]] });
    const decoded = cli(['saml', '-'], wide);
    expect(decoded.code).toBe(2);
    expect(decoded.stderr).toContain('[SAML_TOO_LARGE]');
  });
});

describe('scan and the SAML samples', () => {
  it('scan says once per capture that it is one, and reads on', () => {
    const r = cli(['scan', 'samples/saml', '-f', 'json']);
    expect(r.stderr.split('\n').filter((l) => l.includes('a SAML capture, not events: skipped (give it to sso-logs saml)'))).toHaveLength(3);
    expect(r.stderr).not.toContain('NOT_CLOUDTRAIL');
    expect(JSON.parse(r.stdout).summary.notes).toHaveLength(3);
  });
});
