import { useEffect, useState } from 'react';
import { formatMoney } from '../../ui';
import { parseMoney, parsePercent, parseQuantity, type CartLine, type LineDiscount, type PricedLine } from './cart';

type DiscountKind = 'amount' | 'percent';

/** One cart line: its unit, quantity and discount as the cashier types them, and what the line costs. */
export function CartLineRow({
  line,
  priced,
  currency,
  disabled,
  serverErrors,
  onQuantity,
  onLevel,
  onDiscount,
  onRemove,
}: {
  line: CartLine;
  priced: PricedLine;
  currency: string;
  disabled: boolean;
  serverErrors: string[];
  onQuantity(quantity: number): void;
  onLevel(unitLevelId: string): void;
  onDiscount(discount: LineDiscount | null): void;
  onRemove(): void;
}) {
  // Drafts as typed; the cart gets a number only when the text is one (else a value it flags).
  const [quantityText, setQuantityText] = useState(String(line.quantity));
  // A line starts without a discount; only this row sets one.
  const [discountKind, setDiscountKind] = useState<DiscountKind>('percent');
  const [discountDraft, setDiscountDraft] = useState('');
  const quantity = parseQuantity(quantityText);

  // A scan of the same product adds to the line: show the new quantity.
  useEffect(() => {
    if (!quantity.ok || quantity.value !== line.quantity) setQuantityText(String(line.quantity));
    // Only the cart's quantity changing from outside matters here.
  }, [line.quantity]);

  const changeQuantity = (text: string) => {
    setQuantityText(text);
    const parsed = parseQuantity(text);
    onQuantity(parsed.ok ? parsed.value : Number.NaN);
  };
  const step = (by: number) => {
    const next = Math.max(1, (quantity.ok ? quantity.value : line.quantity) + by);
    changeQuantity(String(next));
  };
  const changeDiscount = (text: string, kind: DiscountKind) => {
    setDiscountDraft(text);
    setDiscountKind(kind);
    if (text.trim() === '') return onDiscount(null);
    if (kind === 'percent') {
      const parsed = parsePercent(text);
      onDiscount({ kind, basisPoints: parsed.ok ? parsed.value : Number.NaN });
    } else {
      const parsed = parseMoney(text, currency);
      onDiscount({ kind, minor: parsed.ok ? parsed.value : Number.NaN });
    }
  };
  const discountProblem =
    discountDraft.trim() === ''
      ? undefined
      : discountKind === 'percent'
        ? (() => {
            const parsed = parsePercent(discountDraft);
            return parsed.ok ? undefined : parsed.message;
          })()
        : (() => {
            const parsed = parseMoney(discountDraft, currency);
            return parsed.ok ? undefined : parsed.message;
          })();
  const problems = [
    ...(quantity.ok ? [] : [quantity.message]),
    ...(discountProblem ? [discountProblem] : []),
    ...priced.problems.filter((problem) => !/quantity|not a valid/.test(problem)),
    ...serverErrors,
  ];
  const name = line.product.name;

  return (
    <tr className={problems.length > 0 ? 'invalid' : undefined}>
      <td>
        <strong>{name}</strong>
        <br />
        <span className="muted">{line.product.sku}</span>
        {problems.map((problem) => (
          <small key={problem} className="field-error">
            {problem}
          </small>
        ))}
      </td>
      <td>
        <select
          aria-label={`Unit of ${name}`}
          value={line.unitLevelId}
          disabled={disabled}
          onChange={(event) => onLevel(event.target.value)}
        >
          {line.product.levels.map((level) => (
            <option key={level.unitLevelId} value={level.unitLevelId} disabled={level.priceMinor === null}>
              {level.unitName}
              {level.factor > 1 ? ` (${level.factor})` : ''} ·{' '}
              {level.priceMinor === null ? 'no price' : formatMoney(level.priceMinor, currency)}
            </option>
          ))}
        </select>
      </td>
      <td className="number">
        <span className="pos-quantity">
          <button
            type="button"
            className="secondary"
            tabIndex={-1}
            disabled={disabled}
            onClick={() => step(-1)}
            aria-label={`One less ${name}`}
          >
            −
          </button>
          <input
            aria-label={`Quantity of ${name}`}
            inputMode="numeric"
            autoComplete="off"
            maxLength={7}
            value={quantityText}
            disabled={disabled}
            aria-invalid={!quantity.ok || undefined}
            onChange={(event) => changeQuantity(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowUp') {
                event.preventDefault();
                step(1);
              } else if (event.key === 'ArrowDown') {
                event.preventDefault();
                step(-1);
              }
            }}
          />
          <button
            type="button"
            className="secondary"
            tabIndex={-1}
            disabled={disabled}
            onClick={() => step(1)}
            aria-label={`One more ${name}`}
          >
            +
          </button>
        </span>
      </td>
      <td>
        <span className="pos-discount">
          <input
            aria-label={`Discount on ${name}`}
            inputMode="decimal"
            autoComplete="off"
            maxLength={16}
            value={discountDraft}
            disabled={disabled}
            aria-invalid={discountProblem ? true : undefined}
            onChange={(event) => changeDiscount(event.target.value, discountKind)}
          />
          <select
            aria-label={`Discount kind on ${name}`}
            value={discountKind}
            disabled={disabled}
            onChange={(event) => changeDiscount(discountDraft, event.target.value as DiscountKind)}
          >
            <option value="percent">%</option>
            <option value="amount">{currency}</option>
          </select>
        </span>
      </td>
      <td className="number">
        {formatMoney(priced.totalMinor, currency)}
        {priced.discountMinor > 0 ? (
          <>
            <br />
            <small className="muted">
              <s>{formatMoney(priced.grossMinor, currency)}</s>
            </small>
          </>
        ) : null}
      </td>
      <td>
        <button
          type="button"
          className="secondary"
          disabled={disabled}
          onClick={onRemove}
          aria-label={`Remove ${name}`}
        >
          ✕
        </button>
      </td>
    </tr>
  );
}
