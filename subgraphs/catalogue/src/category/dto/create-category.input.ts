import { Field, ID, InputType } from 'type-graphql';

@InputType('CreateCategoryInput')
export class CreateCategoryInput {
  @Field(() => String, { description: '1 to 100 characters; unique among its siblings.' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Omit for a root category.' })
  parentId?: string | null;
}
