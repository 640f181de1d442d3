import { matcher as externalIdpSigninFailure } from '../matchers/external-idp-signin-failure.js';
import { matcher as orphanedAssignment } from '../matchers/orphaned-assignment.js';
import { matcher as passwordResetFailure } from '../matchers/password-reset-failure.js';
import { matcher as protectedRoleModification } from '../matchers/protected-role-modification.js';
import { matcher as scimPrincipalActivity } from '../matchers/scim-principal-activity.js';
import { matcher as scimRecreatedPrincipal } from '../matchers/scim-recreated-principal.js';
import { matcher as scimSyncError } from '../matchers/scim-sync-error.js';
import { matcher as signinFailure } from '../matchers/signin-failure.js';
import { matcher as staleAssignment } from '../matchers/stale-assignment.js';
import type { Matcher } from './types.js';

/** Every matcher, by id, in id order. Explicit: a matcher exists when it is listed here, not when a file does. */
export const MATCHERS: Readonly<Record<string, Matcher>> = {
  'external-idp-signin-failure': externalIdpSigninFailure,
  'orphaned-assignment': orphanedAssignment,
  'password-reset-failure': passwordResetFailure,
  'protected-role-modification': protectedRoleModification,
  'scim-principal-activity': scimPrincipalActivity,
  'scim-recreated-principal': scimRecreatedPrincipal,
  'scim-sync-error': scimSyncError,
  'signin-failure': signinFailure,
  'stale-assignment': staleAssignment,
};

export const MATCHER_IDS = Object.keys(MATCHERS);
