// The units a product is sold and bought in: the base level (factor 1) and others such as a box
// of 12. Managers and admins add levels, change a level's factor and delete unused levels.
import { useMemo, useState, type FormEvent } from 'react';
import { call, products } from '../../api/client';
import { ConfirmButton, Field } from '../../ui';
import type { ProductDetail, UnitLevel } from './api-types';
import { FormProblems, useFormSubmit } from './form-state';
import { parseFactor, parseUnitLevel } from './product-forms';
import { SuccessNotice } from './list-controls';
import { RefSelect } from './ref-select';
import { Refusal } from './refusal';

export function UnitLevelsSection({
  product,
  baseAbbreviation,
  canWrite,
  notice,
  onChanged,
}: {
  product: ProductDetail;
  baseAbbreviation: string;
  canWrite: boolean;
  notice: string | undefined;
  onChanged(message: string): void;
}) {
  const [editing, setEditing] = useState<UnitLevel | undefined>(undefined);
  const [refused, setRefused] = useState<unknown>(undefined);
  const levels = [...product.unitLevels].sort((a, b) => a.factor - b.factor);

  const remove = async (level: UnitLevel) => {
    setRefused(undefined);
    try {
      await call(
        products.DELETE('/api/v1/products/{id}/unit-levels/{levelId}', {
          params: { path: { id: product.id, levelId: level.id } },
        }),
      );
      onChanged(`Unit level “${level.unitName}” deleted.`);
    } catch (error) {
      setRefused(error);
    }
  };

  return (
    <section className="card" aria-labelledby="product-levels">
      <h2 id="product-levels">Unit levels</h2>
      <Refusal error={refused} />
      <div className="table-wrap">
        <table aria-labelledby="product-levels">
          <thead>
            <tr>
              <th scope="col">Unit</th>
              <th scope="col" className="number">
                Base units in one
              </th>
              {canWrite ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {levels.map((level) => (
              <tr key={level.id}>
                <th scope="row">
                  {level.unitName} <span className="muted">({level.unitAbbreviation})</span>
                  {level.isBase ? <span className="tag">Base unit</span> : null}
                </th>
                <td className="number">
                  {level.factor} {baseAbbreviation}
                </td>
                {canWrite ? (
                  <td>
                    {level.isBase ? null : (
                      <div className="row-actions">
                        <button type="button" className="secondary" onClick={() => setEditing(level)}>
                          Change factor<span className="visually-hidden"> of {level.unitName}</span>
                        </button>
                        <ConfirmButton
                          question={`Delete the level “${level.unitName}”?`}
                          confirmLabel="Yes, delete"
                          onConfirm={() => remove(level)}
                        >
                          Delete<span className="visually-hidden"> level {level.unitName}</span>
                        </ConfirmButton>
                      </div>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SuccessNotice message={notice} focus={false} />
      {canWrite ? (
        <UnitLevelForm
          key={editing?.id ?? 'new'}
          product={product}
          editing={editing}
          baseAbbreviation={baseAbbreviation}
          onDone={(message) => {
            setEditing(undefined);
            if (message) onChanged(message);
          }}
        />
      ) : null}
    </section>
  );
}

/** Adds a level, or changes the factor of the one being edited (its unit stays). */
function UnitLevelForm({
  product,
  editing,
  baseAbbreviation,
  onDone,
}: {
  product: ProductDetail;
  editing: UnitLevel | undefined;
  baseAbbreviation: string;
  onDone(message?: string): void;
}) {
  const [unitId, setUnitId] = useState('');
  const [factor, setFactor] = useState(editing ? String(editing.factor) : '');
  const form = useFormSubmit();
  const taken = useMemo(() => new Set(product.unitLevels.map((level) => level.unitId)), [product.unitLevels]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (editing) {
      const ok = await form.submit(parseFactor(factor), (body) =>
        call(
          products.PATCH('/api/v1/products/{id}/unit-levels/{levelId}', {
            params: { path: { id: product.id, levelId: editing.id } },
            body,
          }),
        ),
      );
      if (ok) onDone(`“${editing.unitName}” now holds ${factor.trim()} ${baseAbbreviation}.`);
      return;
    }
    const ok = await form.submit(parseUnitLevel({ unitId, factor }), (body) =>
      call(products.POST('/api/v1/products/{id}/unit-levels', { params: { path: { id: product.id } }, body })),
    );
    if (ok) {
      setUnitId('');
      setFactor('');
      onDone(`Unit level added: one holds ${factor.trim()} ${baseAbbreviation}.`);
    }
  };

  const title = editing ? `Change the factor of “${editing.unitName}”` : 'Add a unit level';
  return (
    <form ref={form.formRef} className="inline-form" aria-label={title} noValidate onSubmit={(e) => void save(e)}>
      <h3>{title}</h3>
      <FormProblems errors={form.errors} failure={form.failure} />
      <div className="form-grid">
        {editing ? null : (
          <RefSelect
            kind="units"
            label="Unit"
            findLabel="Find unit"
            emptyLabel="Choose a unit…"
            value={unitId}
            onChange={setUnitId}
            exclude={taken}
            error={form.errors['unitId']}
          />
        )}
        <Field
          label="Factor"
          hint={`How many ${baseAbbreviation} one of this unit holds, e.g. 12 for a box of 12.`}
          error={form.errors['factor']}
        >
          <input
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={factor}
            autoFocus={editing !== undefined}
            onChange={(e) => setFactor(e.target.value)}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {editing ? 'Save factor' : 'Add unit level'}
        </button>
        {editing ? (
          <button type="button" className="secondary" onClick={() => onDone()}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
