import { CreateUser1764288000000 } from './1764288000000-create-user';

export const migrations = [CreateUser1764288000000];
