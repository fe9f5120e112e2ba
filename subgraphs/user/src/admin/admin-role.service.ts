import { AppError, badInput, ErrorCode, type Role } from '@serendip/federation';
import { isEmail, normaliseEmail } from '../user/email';
import type { UserEntity } from '../user/user.entity';
import type { UserStore } from '../user/user.store';
import type { TokenVersions } from '../session/token-versions';

export type RoleChange = 'grant' | 'revoke';

export interface RoleChangeResult {
  user: UserEntity;
  /** False when the account already had (grant) or lacked (revoke) the role: nothing was written. */
  changed: boolean;
}

/**
 * The two ways to the admin role: the operator's command (`pnpm admin:grant`, straight on the
 * database) and an existing admin's `grantAdmin`. Signing up never grants it. A change takes
 * effect at once: it revokes the account's access tokens, and the next refresh issues one with
 * the roles as they are now.
 */
export class AdminRoleService {
  constructor(
    private readonly users: UserStore,
    private readonly versions: Pick<TokenVersions, 'announce'>,
  ) {}

  grant(email: string): Promise<RoleChangeResult> {
    return this.change('grant', email);
  }

  revoke(email: string): Promise<RoleChangeResult> {
    return this.change('revoke', email);
  }

  list(): Promise<UserEntity[]> {
    return this.users.listAdmins();
  }

  /**
   * The caller's roles as stored now, not as their token says: an admin revoked since signing in
   * still carries the role in their token, but can no longer hand it out or take it away.
   */
  async requireStoredAdmin(userId: string): Promise<void> {
    const caller = await this.users.findById(userId);
    if (!caller?.roleList().includes('admin')) throw new AppError(ErrorCode.Forbidden, 'Only an admin may do this');
  }

  private async change(change: RoleChange, emailInput: string): Promise<RoleChangeResult> {
    const email = normaliseEmail(emailInput);
    if (!isEmail(email)) throw badInput('email is not a valid address', 'email');
    const user = await this.users.findByEmail(email);
    if (!user) throw new AppError(ErrorCode.NotFound, `No account has the email ${email}`, { field: 'email' });
    const current = user.roleList();
    const roles: Role[] = change === 'grant' ? [...new Set<Role>([...current, 'admin'])] : current.filter((role) => role !== 'admin');
    if (roles.length === current.length) {
      // Nothing to change, but an earlier change may not have reached the gateways.
      await this.versions.announce(user.id);
      return { user, changed: false };
    }
    await this.users.setRoles(user.id, roles);
    user.roles = roles.join(',');
    await this.versions.announce(user.id);
    return { user, changed: true };
  }
}
