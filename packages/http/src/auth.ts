/**
 * @module The one authentication hook a host gives every @byok handler: who is calling, for which
 * tenant, with which role. Owners and admins may operate credentials; members and viewers read.
 */
import { z } from 'zod';

/** Roles, from most to least privileged. */
export const roleSchema = z.enum(['owner', 'admin', 'member', 'viewer']);
/** A role. */
export type Role = z.infer<typeof roleSchema>;

/** Who is calling: the host's answer to "who is this request from?". */
export const principalSchema = z.object({
  tenantId: z.string().min(1).max(128),
  actorId: z.string().min(1).max(128),
  role: roleSchema,
});
/** The caller of a request. */
export type Principal = z.infer<typeof principalSchema>;

/**
 * The host's authentication hook: reads the session cookie or token off the request and returns
 * the principal, or `null`/`undefined` when the request is not authenticated.
 *
 * @example
 * const authenticate: Authenticate = async (request) => {
 *   const session = await sessions.read(request.headers.get('cookie'));
 *   return session ? { tenantId: session.orgId, actorId: session.userId, role: session.role } : null;
 * };
 */
export type Authenticate = (request: Request) => Principal | null | undefined | Promise<Principal | null | undefined>;

/** Whether a role may connect, test, rotate, revoke, disable or enable credentials. */
export function canOperateCredentials(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}
