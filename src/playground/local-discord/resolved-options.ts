// The `resolved` block Discord sends with role and user options: the full role and user objects
// (and the member, for users who are in the guild), keyed by id.
import { memberPayload, rolePayload, userPayload, type FakeRoleInput, type FakeUser, type Json } from './payloads.js';

export function resolvedOptions({ roles = [], users = [] }: { roles?: readonly FakeRoleInput[]; users?: readonly FakeUser[] }): Json {
  const joinedAt = new Date().toISOString();
  return {
    ...(roles.length ? { roles: Object.fromEntries(roles.map((role, index) => [role.id, rolePayload(role, index + 1)])) } : {}),
    ...(users.length
      ? {
          users: Object.fromEntries(users.map((user) => [user.id, userPayload(user)])),
          // Resolved members come without their user object, as on the real API.
          members: Object.fromEntries(
            users.map((user) => {
              const member: Json = { ...memberPayload(user, [], joinedAt), permissions: '0' };
              delete member['user'];
              return [user.id, member];
            }),
          ),
        }
      : {}),
  };
}
