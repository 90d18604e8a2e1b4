// Creating and editing a product. A new product comes with its base unit level and empty stock;
// the product page then adds further levels (a box of 12), prices and stock.
import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { call, products } from '../../api/client';
import { ErrorMessage, Field, Loading, Page, useResource } from '../../ui';
import type { ProductDetail } from './api-types';
import { FormProblems, useFormSubmit } from './form-state';
import { RefSelect } from './ref-select';
import { parseProductCreate, parseProductUpdate, type ProductFormValues } from './product-forms';

const blank: ProductFormValues = {
  sku: '',
  barcode: '',
  name: '',
  description: '',
  categoryId: '',
  baseUnitId: '',
  lowStockThreshold: '0',
  active: true,
};

const valuesOf = (p: ProductDetail): ProductFormValues => ({
  sku: p.sku,
  barcode: p.barcode ?? '',
  name: p.name,
  description: p.description ?? '',
  categoryId: p.categoryId,
  baseUnitId: p.baseUnitId,
  lowStockThreshold: String(p.lowStockThreshold),
  active: p.active,
});

export function NewProductPage() {
  const navigate = useNavigate();
  return (
    <Page title="New product">
      <ProductForm
        initial={blank}
        cancelTo="/products"
        onSubmit={async (values, submit) => {
          let id = '';
          const ok = await submit(parseProductCreate(values), async (body) => {
            id = (await call(products.POST('/api/v1/products', { body }))).id;
          });
          if (ok) void navigate(`/products/${id}`, { state: { notice: `Product “${values.name.trim()}” created.` } });
        }}
      />
    </Page>
  );
}

export function EditProductPage() {
  const { id = '' } = useParams();
  const product = useResource(() => call(products.GET('/api/v1/products/{id}', { params: { path: { id } } })), [id]);
  const navigate = useNavigate();
  return (
    <Page title={product.data ? `Edit ${product.data.name}` : 'Edit product'}>
      <ErrorMessage error={product.error} retry={product.reload} />
      {product.loading && !product.data ? <Loading /> : null}
      {product.data ? (
        <ProductForm
          initial={valuesOf(product.data)}
          baseUnit={baseUnitOf(product.data)}
          editing
          cancelTo={`/products/${id}`}
          onSubmit={async (values, submit) => {
            const ok = await submit(parseProductUpdate(values), (body) =>
              call(products.PATCH('/api/v1/products/{id}', { params: { path: { id } }, body })),
            );
            if (ok) void navigate(`/products/${id}`, { state: { notice: 'Product saved.' } });
          }}
        />
      ) : null}
    </Page>
  );
}

/** The base unit as the edit form shows it (it cannot change). */
function baseUnitOf(p: ProductDetail): string {
  const base = p.unitLevels.find((level) => level.isBase);
  return base ? `${base.unitName} (${base.unitAbbreviation})` : '—';
}

type Submit = ReturnType<typeof useFormSubmit>['submit'];

function ProductForm({
  initial,
  baseUnit,
  editing = false,
  cancelTo,
  onSubmit,
}: {
  initial: ProductFormValues;
  baseUnit?: string;
  editing?: boolean;
  cancelTo: string;
  onSubmit(values: ProductFormValues, submit: Submit): Promise<void>;
}) {
  const [values, setValues] = useState(initial);
  const form = useFormSubmit();
  const set =
    <K extends keyof ProductFormValues>(key: K) =>
    (value: ProductFormValues[K]) =>
      setValues((v) => ({ ...v, [key]: value }));
  const setCategory = useCallback((categoryId: string) => setValues((v) => ({ ...v, categoryId })), []);
  const setBaseUnit = useCallback((baseUnitId: string) => setValues((v) => ({ ...v, baseUnitId })), []);
  const save = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit(values, form.submit);
  };

  return (
    <form
      ref={form.formRef}
      className="card editor product-form"
      aria-label={editing ? 'Edit product' : 'New product'}
      noValidate
      onSubmit={save}
    >
      <p className="muted form-intro">
        A product needs a category and a base unit: <Link to="/categories">create categories</Link> and{' '}
        <Link to="/units">units</Link> first if they are missing.
      </p>
      <FormProblems errors={form.errors} failure={form.failure} />
      <div className="form-grid">
        <Field label="Name" error={form.errors['name']}>
          <input value={values.name} maxLength={200} autoFocus onChange={(e) => set('name')(e.target.value)} />
        </Field>
        <Field label="SKU" hint="Your stock-keeping code; unique." error={form.errors['sku']}>
          <input value={values.sku} maxLength={64} onChange={(e) => set('sku')(e.target.value)} />
        </Field>
        <Field label="Barcode" hint="Optional; unique." error={form.errors['barcode']}>
          <input
            value={values.barcode}
            maxLength={64}
            inputMode="numeric"
            onChange={(e) => set('barcode')(e.target.value)}
          />
        </Field>
        <RefSelect
          kind="categories"
          label="Category"
          findLabel="Find category"
          emptyLabel="Choose a category…"
          value={values.categoryId}
          onChange={setCategory}
          error={form.errors['categoryId']}
        />
        {editing ? (
          <div className="field">
            <span className="label">Base unit</span>
            <span>{baseUnit}</span>
            <small className="hint">Stock is counted in it; it cannot change.</small>
          </div>
        ) : (
          <RefSelect
            kind="units"
            label="Base unit"
            findLabel="Find base unit"
            emptyLabel="Choose a unit…"
            value={values.baseUnitId}
            onChange={setBaseUnit}
            hint="Stock is counted in this unit (e.g. Piece); it cannot change later."
            error={form.errors['baseUnitId']}
          />
        )}
        <Field
          label="Low-stock threshold"
          hint="In base units: at or below it the product counts as low on stock."
          error={form.errors['lowStockThreshold']}
        >
          <input
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={values.lowStockThreshold}
            onChange={(e) => set('lowStockThreshold')(e.target.value)}
          />
        </Field>
      </div>
      <Field label="Description" hint="Optional." error={form.errors['description']}>
        <textarea
          value={values.description}
          rows={3}
          maxLength={4000}
          onChange={(e) => set('description')(e.target.value)}
        />
      </Field>
      <div className="field checkbox">
        <input
          id="product-active"
          type="checkbox"
          checked={values.active}
          onChange={(e) => set('active')(e.target.checked)}
        />
        <label htmlFor="product-active">Active (can be sold)</label>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {editing ? 'Save product' : 'Create product'}
        </button>
        <Link className="button" to={cancelTo}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
