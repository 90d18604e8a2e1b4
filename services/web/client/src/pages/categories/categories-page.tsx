// Categories: a searchable, sortable, paged list; managers and admins create, rename and delete
// (a category that products still use is refused with a way to find those products).
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { call, products } from '../../api/client';
import { ConfirmButton, ErrorMessage, Field, formatDateTime, Loading, Page, Pager, useResource } from '../../ui';
import type { Category, CategorySort } from '../products/api-types';
import { FormProblems, useFormSubmit } from '../products/form-state';
import { useCanWrite, useQueryState } from '../products/hooks';
import { ListEmpty, PageSizeSelect, SearchForm, SelectControl, SuccessNotice } from '../products/list-controls';
import { changeList, listQuery, readListState, sortsOf, writeListState, type ListState } from '../products/list-state';
import { Refusal } from '../products/refusal';
import { parseCategory } from './category-form';

const spec = { sorts: sortsOf(['name', 'createdAt', 'updatedAt']), defaultSort: 'name' };
const sortOptions = [
  ['name', 'Name A–Z'],
  ['-name', 'Name Z–A'],
  ['-createdAt', 'Newest first'],
  ['createdAt', 'Oldest first'],
  ['-updatedAt', 'Recently changed'],
] as const;
const read = (params: URLSearchParams) => readListState(params, spec);
const write = (state: ListState) => writeListState(state, spec);

export function CategoriesPage() {
  const canWrite = useCanWrite();
  const [state, setState] = useQueryState(read, write);
  const [editing, setEditing] = useState<Category | 'new' | undefined>(undefined);
  const [done, setDone] = useState('');
  const [refused, setRefused] = useState<{ error: unknown; category: Category } | undefined>(undefined);
  const list = useResource(
    () =>
      call(
        products.GET('/api/v1/categories', {
          params: { query: { ...listQuery(state), sort: state.sort as CategorySort } },
        }),
      ),
    [state],
  );

  const saved = (message: string) => {
    setEditing(undefined);
    setDone(message);
    list.reload();
  };
  const remove = async (category: Category) => {
    setDone('');
    setRefused(undefined);
    try {
      await call(products.DELETE('/api/v1/categories/{id}', { params: { path: { id: category.id } } }));
      setDone(`Category “${category.name}” deleted.`);
      list.reload();
    } catch (error) {
      setRefused({ error, category });
    }
  };

  return (
    <Page
      title="Categories"
      actions={
        canWrite && editing === undefined ? (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New category
          </button>
        ) : null
      }
    >
      <SuccessNotice message={done} />
      {refused ? (
        <Refusal error={refused.error}>
          <p>
            <Link to={`/products?categoryId=${refused.category.id}`}>
              Show the products in “{refused.category.name}”
            </Link>
          </p>
        </Refusal>
      ) : null}
      {editing !== undefined ? (
        <CategoryEditor
          key={editing === 'new' ? 'new' : editing.id}
          category={editing === 'new' ? undefined : editing}
          onSaved={saved}
          onCancel={() => setEditing(undefined)}
        />
      ) : null}

      <div className="list-controls">
        <SearchForm label="Search categories" value={state.q} onSearch={(q) => setState(changeList(state, { q }))} />
        <SelectControl
          id="category-sort"
          label="Sort by"
          value={state.sort}
          options={sortOptions}
          onChange={(sort) => setState(changeList(state, { sort }))}
        />
        <PageSizeSelect value={state.pageSize} onChange={(pageSize) => setState(changeList(state, { pageSize }))} />
      </div>

      <ErrorMessage error={list.error} retry={list.reload} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <ListEmpty page={state.page} onFirstPage={() => setState(changeList(state, {}))}>
          {state.q ? `No category matches “${state.q}”.` : 'No categories yet.'}
        </ListEmpty>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-busy={list.loading}>
            <caption className="visually-hidden">Categories</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Changed</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((category) => (
                <tr key={category.id}>
                  <th scope="row">{category.name}</th>
                  <td className="description">{category.description ?? <span className="muted">—</span>}</td>
                  <td>{formatDateTime(category.updatedAt)}</td>
                  <td>
                    <div className="row-actions">
                      <Link to={`/products?categoryId=${category.id}`}>
                        Products<span className="visually-hidden"> in {category.name}</span>
                      </Link>
                      {canWrite ? (
                        <>
                          <button type="button" className="secondary" onClick={() => setEditing(category)}>
                            Edit<span className="visually-hidden"> {category.name}</span>
                          </button>
                          <ConfirmButton
                            question={`Delete category “${category.name}”?`}
                            confirmLabel="Yes, delete"
                            onConfirm={() => remove(category)}
                          >
                            Delete<span className="visually-hidden"> {category.name}</span>
                          </ConfirmButton>
                        </>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.data ? (
        <Pager
          page={state.page}
          pageSize={state.pageSize}
          total={list.data.total}
          onPage={(page) => setState(changeList(state, { page }))}
        />
      ) : null}
    </Page>
  );
}

function CategoryEditor({
  category,
  onSaved,
  onCancel,
}: {
  category: Category | undefined;
  onSaved(message: string): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(category?.name ?? '');
  const [description, setDescription] = useState(category?.description ?? '');
  const form = useFormSubmit();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await form.submit(parseCategory({ name, description }), (body) =>
      category
        ? call(products.PATCH('/api/v1/categories/{id}', { params: { path: { id: category.id } }, body }))
        : call(products.POST('/api/v1/categories', { body })),
    );
    if (ok) onSaved(category ? `Category “${name.trim()}” saved.` : `Category “${name.trim()}” created.`);
  };

  const title = category ? `Edit category “${category.name}”` : 'New category';
  return (
    <form ref={form.formRef} className="card editor" aria-label={title} noValidate onSubmit={(e) => void save(e)}>
      <h2>{title}</h2>
      <FormProblems errors={form.errors} failure={form.failure} />
      <Field label="Name" error={form.errors['name']}>
        <input value={name} maxLength={120} autoFocus onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Description" hint="Optional." error={form.errors['description']}>
        <textarea value={description} rows={3} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {category ? 'Save category' : 'Create category'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
