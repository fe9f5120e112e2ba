import {
  ConsoleCreateCategoryDocument,
  ConsoleCreateProductDocument,
  ConsoleProductsDocument,
  ConsoleUpdateProductDocument,
  type ConsoleProductsQuery,
} from '@serendip/client';
import { useState, type FormEvent } from 'react';
import { client } from '../api';
import { CategorySelect } from '../categories';
import { describeError, useQuery } from '@serendip/app-kit';
import { field } from '../hooks';

type Product = ConsoleProductsQuery['products']['nodes'][number];

const tagsOf = (text: string): string[] =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');

/** A form's submit: runs the mutation, says what happened, and resets the form when it succeeded. */
function useSubmit(run: (form: FormData) => Promise<string>) {
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    setOutcome(null);
    try {
      setOutcome({ ok: true, message: await run(new FormData(element)) });
      element.reset();
    } catch (caught) {
      setOutcome({ ok: false, message: describeError(caught) });
    }
  };
  const message = outcome && (
    <p className={outcome.ok ? 'ok' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.message}
    </p>
  );
  return { submit: (event: FormEvent<HTMLFormElement>) => void submit(event), message };
}

export function Catalogue() {
  const [categoryId, setCategoryId] = useState('');
  const [parentId, setParentId] = useState('');
  const [productCategory, setProductCategory] = useState('');
  const [generation, setGeneration] = useState(0);
  const changed = () => setGeneration((value) => value + 1);
  const newCategory = useSubmit(async (form) => {
    const { createCategory } = await client.request(ConsoleCreateCategoryDocument, { input: { name: field(form, 'name'), parentId: parentId || null } });
    changed();
    return `Created category ${createCategory.name} (${createCategory.slug}).`;
  });
  const newProduct = useSubmit(async (form) => {
    const brand = field(form, 'brand');
    const { createProduct } = await client.request(ConsoleCreateProductDocument, {
      input: {
        sku: field(form, 'sku'),
        title: field(form, 'title'),
        categoryId: productCategory,
        price: Number(field(form, 'price')),
        currency: field(form, 'currency').toUpperCase(),
        description: field(form, 'description'),
        tags: tagsOf(field(form, 'tags')),
        ...(brand !== '' && { brand }),
      },
    });
    changed();
    return `Created product ${createProduct.title}.`;
  });
  return (
    <>
      <section>
        <h1>Catalogue</h1>
        <div className="columns">
          <form aria-label="new category" onSubmit={newCategory.submit}>
            <h2>New category</h2>
            <label>
              Category name
              <input name="name" required maxLength={100} />
            </label>
            <CategorySelect key={`parent-${generation}`} label="Parent" value={parentId} onChange={setParentId} allowAll="None (a root category)" />
            <button type="submit">Create category</button>
            {newCategory.message}
          </form>
          <form aria-label="new product" onSubmit={newProduct.submit}>
            <h2>New product</h2>
            <label>
              SKU
              <input name="sku" required maxLength={64} pattern="\S+" />
            </label>
            <label>
              Title
              <input name="title" required maxLength={500} />
            </label>
            <CategorySelect key={`product-${generation}`} label="Product category" value={productCategory} onChange={setProductCategory} />
            <div className="row">
              <label>
                Price
                <input name="price" type="number" min={0} step={0.01} required />
              </label>
              <label>
                Currency
                <input name="currency" required pattern="[A-Za-z]{3}" defaultValue="EUR" />
              </label>
            </div>
            <label>
              Brand
              <input name="brand" maxLength={200} />
            </label>
            <label>
              Tags (comma separated)
              <input name="tags" />
            </label>
            <label>
              Description
              <textarea name="description" rows={3} maxLength={20000} />
            </label>
            <button type="submit">Create product</button>
            {newProduct.message}
          </form>
        </div>
      </section>
      <section>
        <h2>Edit products</h2>
        <CategorySelect label="Products of" value={categoryId} onChange={setCategoryId} allowAll="Newest of every category" />
        <ProductList key={generation} categoryId={categoryId} />
      </section>
    </>
  );
}

function ProductList({ categoryId }: { categoryId: string }) {
  const products = useQuery(() => client.request(ConsoleProductsDocument, { categoryId: categoryId || null, first: 25 }), [categoryId]);
  const [editing, setEditing] = useState<string | null>(null);
  if (products.error) return <p className="error">{products.error}</p>;
  if (!products.data) return <p className="muted">Loading…</p>;
  return (
    <>
      <p className="muted">{products.data.products.totalCount} products (the newest 25 shown)</p>
      <ul className="cards" data-testid="catalogue-products">
        {products.data.products.nodes.map((product) => (
          <li key={product.id}>
            {editing === product.id ? (
              <EditProduct
                product={product}
                onDone={() => {
                  setEditing(null);
                  products.reload();
                }}
              />
            ) : (
              <>
                <strong>{product.title}</strong>
                <div className="muted">
                  {product.sku} · {product.category.name} · {product.price.toFixed(2)} {product.currency}
                  {product.brand ? ` · ${product.brand}` : ''}
                </div>
                <button type="button" onClick={() => setEditing(product.id)}>
                  Edit {product.title}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Sends only the fields that changed: updateProduct leaves the rest as they are. */
function EditProduct({ product, onDone }: { product: Product; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const tags = tagsOf(field(form, 'tags'));
    const next = { title: field(form, 'title'), price: Number(field(form, 'price')), brand: field(form, 'brand'), description: field(form, 'description') };
    const input = {
      ...(next.title !== product.title && { title: next.title }),
      ...(next.price !== product.price && { price: next.price }),
      ...(next.brand !== (product.brand ?? '') && { brand: next.brand }),
      ...(next.description !== product.description && { description: next.description }),
      ...(tags.join(',') !== product.tags.join(',') && { tags }),
    };
    try {
      if (Object.keys(input).length > 0) await client.request(ConsoleUpdateProductDocument, { id: product.id, input });
      onDone();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <form aria-label={`edit ${product.title}`} onSubmit={(event) => void submit(event)}>
      <label>
        Title
        <input name="title" required maxLength={500} defaultValue={product.title} />
      </label>
      <label>
        Price ({product.currency})
        <input name="price" type="number" min={0} step={0.01} required defaultValue={product.price} />
      </label>
      <label>
        Brand
        <input name="brand" maxLength={200} defaultValue={product.brand ?? ''} />
      </label>
      <label>
        Tags (comma separated)
        <input name="tags" defaultValue={product.tags.join(', ')} />
      </label>
      <label>
        Description
        <textarea name="description" rows={3} defaultValue={product.description} />
      </label>
      <div className="row">
        <button type="submit">Save</button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
