import { Directive, Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('Consent', { description: 'What the shopper allows Serendip to do with their behaviour.' })
export class Consent {
  @Field(() => Boolean, { description: 'Personalised recommendations and an interest profile.' })
  personalisation!: boolean;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType('User')
export class User {
  @Field(() => ID)
  id!: string;

  /** Resolved by UserResolver.email: visible to the shopper themselves and to admins only. */
  email!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String, { description: 'BCP 47 language tag, e.g. `en` or `zh-CN`.' })
  locale!: string;

  /** Resolved by UserRolesResolver (admin/): private like email. */
  roles!: string[];

  /** Resolved by UserResolver.consent: private like email. */
  consent!: Consent;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType('AuthPayload', {
  description: 'A session: a short-lived access token for requests, and a refresh token that trades for new ones (refreshSession) until the session ends.',
})
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`. Refused once expired or revoked (UNAUTHENTICATED): refresh it then.' })
  token!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => String, {
    description: 'Keep it secret (not in URLs or logs). Each refreshSession replaces it; using a replaced one again ends the session.',
  })
  refreshToken!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the session ends unless refreshed before.' })
  refreshExpiresAt!: Date;

  @Field(() => User)
  user!: User;
}

@ObjectType('ForgetMeResult', { description: 'What was deleted: the account, and every row, vector, log and job of the shopper.' })
export class ForgetMeResult {
  @Field(() => ID)
  userId!: string;

  @Field(() => Int)
  events!: number;

  @Field(() => Int)
  interestProfiles!: number;

  @Field(() => Int, { description: 'Logged recommendation slates.' })
  slates!: number;

  @Field(() => Int, { description: 'Reviews, with their analyses and embeddings.' })
  reviews!: number;

  @Field(() => Int, { description: 'Queued or kept jobs.' })
  jobs!: number;
}
