import { CreateBehaviourEvent1764374400000 } from './1764374400000-create-behaviour-event';
import { CreatePersonalisation1764547200000 } from './1764547200000-create-personalisation';

export const migrations = [CreateBehaviourEvent1764374400000, CreatePersonalisation1764547200000];
