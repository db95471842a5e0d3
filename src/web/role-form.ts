import { roleNotNamed, type RoleRequest } from '../issuance/role-request.js';
import { durationFromForm } from './durations.js';

/**
 * The picker's form (`role`, `duration` in seconds as text, `justification`) as a role request.
 * Only the shape is checked here; whether the user may have the role is `checkRoleRequest`'s job.
 */
export function roleRequestFromForm(body: unknown): RoleRequest {
  const form = (body ?? {}) as Record<string, unknown>;
  // A body can send anything as `role`; only a string names a role.
  if (typeof form.role !== 'string') throw roleNotNamed();
  return {
    roleId: form.role,
    durationSeconds: durationFromForm(form.duration),
    justification: typeof form.justification === 'string' ? form.justification : undefined,
  };
}
