import { matcher as externalIdpSigninFailure } from './external-idp-signin-failure.js';
import { matcher as passwordResetFailure } from './password-reset-failure.js';
import { matcher as protectedRoleModification } from './protected-role-modification.js';
import { matcher as scimPrincipalActivity } from './scim-principal-activity.js';
import { matcher as scimRecreatedPrincipal } from './scim-recreated-principal.js';
import { matcher as scimSyncError } from './scim-sync-error.js';
import { matcher as signinFailure } from './signin-failure.js';
import { matcher as staleAssignment } from './stale-assignment.js';
import type { Matcher } from './types.js';

/** Every matcher, by id, in id order. Explicit: a matcher exists when it is listed here, not when a file does. */
export const MATCHERS: Readonly<Record<string, Matcher>> = {
  'external-idp-signin-failure': externalIdpSigninFailure,
  'password-reset-failure': passwordResetFailure,
  'protected-role-modification': protectedRoleModification,
  'scim-principal-activity': scimPrincipalActivity,
  'scim-recreated-principal': scimRecreatedPrincipal,
  'scim-sync-error': scimSyncError,
  'signin-failure': signinFailure,
  'stale-assignment': staleAssignment,
};

export const MATCHER_IDS = Object.keys(MATCHERS);
