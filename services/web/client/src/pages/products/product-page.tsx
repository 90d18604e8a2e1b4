// One product: its details, stock with the movement ledger, unit levels and prices. Cashiers read
// it all; managers and admins also edit, delete, adjust stock and set prices.
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { call, products } from '../../api/client';
import { ConfirmButton, ErrorMessage, formatDateTime, Loading, Page, useResource } from '../../ui';
import { readDetailParams, withDetailChange, type DetailParams } from './detail-params';
import { useCanWrite, useNotice } from './hooks';
import { SuccessNotice } from './list-controls';
import { PricesSection } from './prices-section';
import { useNames } from './ref-select';
import { Refusal } from './refusal';
import { StockSection } from './stock-section';
import { UnitLevelsSection } from './unit-levels-section';

type Section = 'stock' | 'levels' | 'prices';

export function ProductPage() {
  const { id = '' } = useParams();
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const arrivedWith = useNotice();
  const [params, setParams] = useSearchParams();
  const view = readDetailParams(params);
  const changeView = (change: Partial<DetailParams>) =>
    setParams((current) => withDetailChange(current, change), { replace: true });
  const [refused, setRefused] = useState<unknown>(undefined);
  // A section's change is announced inside that section, next to the form that made it.
  const [notice, setNotice] = useState<{ section: Section; message: string } | undefined>(undefined);
  // Each change bumps this, so the ledger and the price history load again with the product.
  const [revision, setRevision] = useState(0);
  const product = useResource(
    () => call(products.GET('/api/v1/products/{id}', { params: { path: { id } } })),
    [id, revision],
  );
  const categories = useNames('categories', product.data ? [product.data.categoryId] : []);
  const changed = (section: Section) => (message: string) => {
    setNotice({ section, message });
    setRevision((n) => n + 1);
  };
  const noticeOf = (section: Section) => (notice?.section === section ? notice.message : undefined);

  const remove = async () => {
    setRefused(undefined);
    try {
      await call(products.DELETE('/api/v1/products/{id}', { params: { path: { id } } }));
      void navigate('/products', { state: { notice: `Product “${product.data?.name ?? ''}” deleted.` } });
    } catch (error) {
      setRefused(error);
    }
  };

  const p = product.data;
  if (!p) {
    return (
      <Page title="Product">
        <ErrorMessage error={product.error} retry={product.reload} />
        {product.loading ? <Loading label="Loading the product…" /> : null}
      </Page>
    );
  }
  const category = categories.get(p.categoryId);
  const baseLevel = p.unitLevels.find((level) => level.isBase);
  const baseAbbreviation = baseLevel?.unitAbbreviation ?? '';

  return (
    <Page
      title={p.name}
      actions={
        canWrite ? (
          <>
            <Link className="button" to={`/products/${p.id}/edit`}>
              Edit product
            </Link>
            <ConfirmButton question={`Delete “${p.name}”?`} confirmLabel="Yes, delete" onConfirm={remove}>
              Delete product
            </ConfirmButton>
          </>
        ) : null
      }
    >
      <p>
        <Link to="/products">← All products</Link>
      </p>
      <SuccessNotice message={arrivedWith} />
      <Refusal error={refused} />
      <ErrorMessage error={product.error} retry={product.reload} />

      <section className="card" aria-labelledby="product-details">
        <h2 id="product-details">Details</h2>
        <dl className="facts">
          <dt>SKU</dt>
          <dd>
            <code>{p.sku}</code>
          </dd>
          <dt>Barcode</dt>
          <dd>{p.barcode ?? <span className="muted">none</span>}</dd>
          <dt>Category</dt>
          <dd>{category ? <Link to={`/products?categoryId=${category.id}`}>{category.name}</Link> : '…'}</dd>
          <dt>Base unit</dt>
          <dd>{baseLevel ? `${baseLevel.unitName} (${baseLevel.unitAbbreviation})` : '—'}</dd>
          <dt>Status</dt>
          <dd>{p.active ? 'Active' : 'Inactive (not for sale)'}</dd>
          <dt>Changed</dt>
          <dd>{formatDateTime(p.updatedAt)}</dd>
        </dl>
        {p.description ? <p className="description">{p.description}</p> : null}
      </section>

      <StockSection
        product={p}
        baseAbbreviation={baseAbbreviation}
        canWrite={canWrite}
        page={view.ledgerPage}
        reason={view.ledgerReason}
        revision={revision}
        onView={changeView}
        notice={noticeOf('stock')}
        onChanged={changed('stock')}
      />
      <UnitLevelsSection
        product={p}
        baseAbbreviation={baseAbbreviation}
        canWrite={canWrite}
        notice={noticeOf('levels')}
        onChanged={changed('levels')}
      />
      <PricesSection
        product={p}
        baseAbbreviation={baseAbbreviation}
        canWrite={canWrite}
        page={view.pricesPage}
        level={view.pricesLevel}
        revision={revision}
        onView={changeView}
        notice={noticeOf('prices')}
        onChanged={changed('prices')}
      />
    </Page>
  );
}
