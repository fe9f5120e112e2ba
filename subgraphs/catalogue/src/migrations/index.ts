import { CreateCatalogue1764374400000 } from './1764374400000-create-catalogue';

export const migrations = [CreateCatalogue1764374400000];
