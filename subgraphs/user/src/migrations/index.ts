import { CreateUser1764288000000 } from './1764288000000-create-user';
import { Sessions1765411200000 } from './1765411200000-sessions';

export const migrations = [CreateUser1764288000000, Sessions1765411200000];
