import { CreateBehaviourEvent1764374400000 } from './1764374400000-create-behaviour-event';

export const migrations = [CreateBehaviourEvent1764374400000];
