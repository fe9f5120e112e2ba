import type { UserEntity } from './user.entity';
import type { User } from './user.type';

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    displayName: entity.displayName,
    locale: entity.locale,
    roles: entity.roleList(),
    consent: { personalisation: entity.personalisationConsent, updatedAt: entity.consentUpdatedAt },
    createdAt: entity.createdAt,
  };
}
