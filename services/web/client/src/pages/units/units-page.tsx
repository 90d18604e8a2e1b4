// Units of measure (piece, box, kilogram): a searchable, sortable, paged list; managers and admins
// create, rename and delete (a unit that products count in, or that a unit level uses, is refused
// with the reason).
import { useState, type FormEvent } from 'react';
import { call, products } from '../../api/client';
import { ConfirmButton, ErrorMessage, Field, formatDateTime, Loading, Page, Pager, useResource } from '../../ui';
import type { Unit, UnitSort } from '../products/api-types';
import { FormProblems, useFormSubmit } from '../products/form-state';
import { useCanWrite, useQueryState } from '../products/hooks';
import { ListEmpty, PageSizeSelect, SearchForm, SelectControl, SuccessNotice } from '../products/list-controls';
import { changeList, listQuery, readListState, sortsOf, writeListState, type ListState } from '../products/list-state';
import { Refusal } from '../products/refusal';
import { parseUnit } from './unit-form';

const spec = { sorts: sortsOf(['name', 'abbreviation', 'createdAt']), defaultSort: 'name' };
const sortOptions = [
  ['name', 'Name A–Z'],
  ['-name', 'Name Z–A'],
  ['abbreviation', 'Abbreviation A–Z'],
  ['-createdAt', 'Newest first'],
  ['createdAt', 'Oldest first'],
] as const;
const read = (params: URLSearchParams) => readListState(params, spec);
const write = (state: ListState) => writeListState(state, spec);

export function UnitsPage() {
  const canWrite = useCanWrite();
  const [state, setState] = useQueryState(read, write);
  const [editing, setEditing] = useState<Unit | 'new' | undefined>(undefined);
  const [done, setDone] = useState('');
  const [refused, setRefused] = useState<unknown>(undefined);
  const list = useResource(
    () =>
      call(products.GET('/api/v1/units', { params: { query: { ...listQuery(state), sort: state.sort as UnitSort } } })),
    [state],
  );

  const saved = (message: string) => {
    setEditing(undefined);
    setDone(message);
    list.reload();
  };
  const remove = async (unit: Unit) => {
    setDone('');
    setRefused(undefined);
    try {
      await call(products.DELETE('/api/v1/units/{id}', { params: { path: { id: unit.id } } }));
      setDone(`Unit “${unit.name}” deleted.`);
      list.reload();
    } catch (error) {
      setRefused(error);
    }
  };

  return (
    <Page
      title="Units"
      actions={
        canWrite && editing === undefined ? (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New unit
          </button>
        ) : null
      }
    >
      <SuccessNotice message={done} />
      <Refusal error={refused} />
      {editing !== undefined ? (
        <UnitEditor
          key={editing === 'new' ? 'new' : editing.id}
          unit={editing === 'new' ? undefined : editing}
          onSaved={saved}
          onCancel={() => setEditing(undefined)}
        />
      ) : null}

      <div className="list-controls">
        <SearchForm
          label="Search units"
          hint="Name or abbreviation."
          value={state.q}
          onSearch={(q) => setState(changeList(state, { q }))}
        />
        <SelectControl
          id="unit-sort"
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
          {state.q ? `No unit matches “${state.q}”.` : 'No units yet.'}
        </ListEmpty>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-busy={list.loading}>
            <caption className="visually-hidden">Units</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Abbreviation</th>
                <th scope="col">Changed</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((unit) => (
                <tr key={unit.id}>
                  <th scope="row">{unit.name}</th>
                  <td>{unit.abbreviation}</td>
                  <td>{formatDateTime(unit.updatedAt)}</td>
                  <td>
                    {canWrite ? (
                      <div className="row-actions">
                        <button type="button" className="secondary" onClick={() => setEditing(unit)}>
                          Edit<span className="visually-hidden"> {unit.name}</span>
                        </button>
                        <ConfirmButton
                          question={`Delete unit “${unit.name}”?`}
                          confirmLabel="Yes, delete"
                          onConfirm={() => remove(unit)}
                        >
                          Delete<span className="visually-hidden"> {unit.name}</span>
                        </ConfirmButton>
                      </div>
                    ) : null}
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

function UnitEditor({
  unit,
  onSaved,
  onCancel,
}: {
  unit: Unit | undefined;
  onSaved(message: string): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(unit?.name ?? '');
  const [abbreviation, setAbbreviation] = useState(unit?.abbreviation ?? '');
  const form = useFormSubmit();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await form.submit(parseUnit({ name, abbreviation }), (body) =>
      unit
        ? call(products.PATCH('/api/v1/units/{id}', { params: { path: { id: unit.id } }, body }))
        : call(products.POST('/api/v1/units', { body })),
    );
    if (ok) onSaved(unit ? `Unit “${name.trim()}” saved.` : `Unit “${name.trim()}” created.`);
  };

  const title = unit ? `Edit unit “${unit.name}”` : 'New unit';
  return (
    <form ref={form.formRef} className="card editor" aria-label={title} noValidate onSubmit={(e) => void save(e)}>
      <h2>{title}</h2>
      <FormProblems errors={form.errors} failure={form.failure} />
      <Field label="Name" hint="E.g. Piece, Box, Kilogram." error={form.errors['name']}>
        <input value={name} maxLength={60} autoFocus onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Abbreviation" hint="Shown beside quantities, e.g. pc, box, kg." error={form.errors['abbreviation']}>
        <input value={abbreviation} maxLength={16} onChange={(e) => setAbbreviation(e.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {unit ? 'Save unit' : 'Create unit'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
