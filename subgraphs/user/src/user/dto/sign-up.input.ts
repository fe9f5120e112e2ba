import { Field, InputType } from 'type-graphql';

@InputType('SignUpInput')
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String, { description: 'At least 8 characters.' })
  password!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String, { nullable: true, defaultValue: 'en' })
  locale?: string;
}
