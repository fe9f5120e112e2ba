import { hash, verify } from '@node-rs/argon2';
import { AppError, badInput, ErrorCode, requireDisplayText } from '@serendip/federation';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { isEmail, normaliseEmail } from './email';
import { UserEntity } from './user.entity';
import type { SignUpInput } from './dto/sign-up.input';
import type { ForgottenElsewhere, PrivacyClients } from '../privacy/privacy.clients';
import type { IssuedSession, SessionService } from '../session/session.service';
import type { TokenVersions } from '../session/token-versions';

const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export class UserService {
  private readonly repo: Repository<UserEntity>;

  constructor(
    dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly versions: TokenVersions,
    private readonly privacy: Pick<PrivacyClients, 'recordConsent' | 'forget'>,
  ) {
    this.repo = dataSource.getRepository(UserEntity);
  }

  async signUp(input: SignUpInput): Promise<{ user: UserEntity; session: IssuedSession }> {
    const email = normaliseEmail(input.email);
    if (!isEmail(email)) throw badInput('email is not a valid address', 'email');
    if (input.password.length < 8 || input.password.length > 256) {
      throw badInput('password must be 8 to 256 characters', 'password');
    }
    const displayName = input.displayName.trim();
    if (displayName.length < 1 || displayName.length > 100) {
      throw badInput('displayName must be 1 to 100 characters', 'displayName');
    }
    requireDisplayText(displayName, 'displayName');
    const locale = input.locale ?? 'en';
    if (!LOCALE.test(locale) || locale.length > 16) throw badInput('locale must be a BCP 47 tag such as en or zh-CN', 'locale');

    // Always a shopper: an address proves nothing about its owner, so admins are made only by
    // the operator (pnpm admin:grant) or by another admin (grantAdmin), never at sign-up.
    const user = this.repo.create({
      id: randomUUID(),
      email,
      displayName,
      locale,
      roles: 'shopper',
      passwordHash: await hash(input.password),
      personalisationConsent: true,
      consentUpdatedAt: new Date(),
    });
    try {
      await this.repo.insert(user);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw new AppError(ErrorCode.Conflict, 'An account with this email already exists', { field: 'email' });
      }
      throw error;
    }
    const saved = await this.repo.findOneByOrFail({ id: user.id });
    return { user: saved, session: await this.sessions.open(saved) };
  }

  async signIn(emailInput: string, password: string): Promise<{ user: UserEntity; session: IssuedSession }> {
    const user = await this.repo.findOneBy({ email: normaliseEmail(emailInput) });
    // One message for unknown email and wrong password, so sign-in cannot probe for accounts.
    const ok = user?.passwordHash ? await verify(user.passwordHash, password) : false;
    if (!user || !ok) throw new AppError(ErrorCode.Unauthenticated, 'Email or password is wrong');
    return { user, session: await this.sessions.open(user) };
  }

  /**
   * Where consent is enforced (the recommendation subgraph) is told first: if it cannot be told,
   * nothing changes and the shopper gets SERVICE_UNAVAILABLE, so what they see here is never
   * ahead of what is enforced.
   */
  async setConsent(userId: string, personalisation: boolean): Promise<UserEntity> {
    const user = await this.repo.findOneBy({ id: userId });
    if (!user) throw new AppError(ErrorCode.NotFound, 'This account does not exist');
    await this.privacy.recordConsent(userId, personalisation);
    await this.repo.update({ id: userId }, { personalisationConsent: personalisation, consentUpdatedAt: new Date() });
    return this.repo.findOneByOrFail({ id: userId });
  }

  /**
   * Deletes the shopper everywhere: behaviour data, interests, recommendation logs and queued jobs
   * (recommendation subgraph), reviews with their analyses and jobs (feedback subgraph), then the
   * account itself, last, so a failure part-way leaves an account the shopper can refresh a token
   * for and retry with. Every token of the account is revoked first, so nothing the shopper's open
   * sessions do can write new data behind the deletion.
   */
  async forget(userId: string): Promise<ForgottenElsewhere> {
    if (!(await this.repo.existsBy({ id: userId }))) throw new AppError(ErrorCode.Unauthenticated, 'This account no longer exists');
    const version = await this.versions.raise(userId);
    const forgotten = await this.privacy.forget(userId);
    await this.repo.delete({ id: userId });
    await this.versions.forget(userId, version);
    return forgotten;
  }
}
