import { ConsoleCategoriesDocument } from '@serendip/client';
import { client } from './api';
import { useQuery } from '@serendip/app-kit';

export interface CategoryOption {
  id: string;
  /** From the root, e.g. "Beauty › Skin care". */
  path: string;
  productCount: number;
}

/** A category as ConsoleCategories reads it: three levels, the deepest without children. */
interface Tree {
  id: string;
  name: string;
  productCount: number;
  children?: readonly Tree[];
}

function flatten(nodes: readonly Tree[], parent: string): CategoryOption[] {
  return nodes.flatMap((node) => {
    const path = parent ? `${parent} › ${node.name}` : node.name;
    return [{ id: node.id, path, productCount: node.productCount }, ...flatten(node.children ?? [], path)];
  });
}

/** The taxonomy as one list of pickable categories, each named by its path. */
export function useCategories() {
  return useQuery(async () => flatten((await client.request(ConsoleCategoriesDocument)).categories, ''), []);
}

export function CategorySelect({ value, onChange, label, allowAll }: { value: string; onChange: (id: string) => void; label: string; allowAll?: string }) {
  const categories = useCategories();
  return (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{allowAll ?? 'Pick a category…'}</option>
        {categories.data?.map((category) => (
          <option key={category.id} value={category.id}>
            {category.path} ({category.productCount})
          </option>
        ))}
      </select>
      {categories.error && <span className="error">{categories.error}</span>}
    </label>
  );
}
