// Runs the built CLI like bin/sso-logs.js, and at exit writes the process's peak RSS in KiB (every thread
// included) to the file named by SSO_LOGS_TEST_RSS: a bound on memory that does not depend on /usr/bin/time.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.SSO_LOGS_TEST_RSS, String(process.resourceUsage().maxRSS)));
await import('../../bin/sso-logs.js');
