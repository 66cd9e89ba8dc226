import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { CartLine } from '../../api/orders.ts';
import { ProductThumb } from '../../components/product-card/ProductThumb.tsx';
import { QuantityStepper } from '../../components/quantity-stepper/QuantityStepper.tsx';
import { formatVND } from '../../lib/format.ts';
import '../../components/product-card/product-card.css';

/**
 * CartLineItem is one packaging in the cart: its picture and name, the unit
 * price (the wholesale tier it reached, or how many more reach the next),
 * the quantity to change, the line's amount and a button to remove it.
 */
export function CartLineItem({
  line,
  busy,
  disabled,
  error,
  onQuantity,
  onRemove,
}: {
  line: CartLine;
  busy: boolean;
  disabled: boolean;
  error: string | undefined;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  return (
    <li className={line.available ? 'cart-line' : 'cart-line cart-line--unavailable'} data-testid="cart-line" data-sku={line.sku} aria-busy={busy}>
      <Link to={`/san-pham/${line.product_slug}`} className="cart-line__thumb" tabIndex={-1} aria-hidden="true">
        <ProductThumb url={line.thumb_url} />
      </Link>
      <div className="cart-line__about">
        <Link to={`/san-pham/${line.product_slug}`} className="cart-line__name">
          {line.product_name}
        </Link>
        <p className="cart-line__unit">
          {t('cart.unitPrice', { price: formatVND(line.unit_price_vnd), unit: line.unit })}
          {line.unit_price_vnd < line.retail_price_vnd && (
            <>
              {' '}
              <s className="cart-line__retail">{formatVND(line.retail_price_vnd)}</s>
            </>
          )}
        </p>
        {line.tier && (
          <p className="cart-line__tier" data-testid="line-tier">
            {t('cart.tierApplied', { count: line.tier.min_qty, unit: line.unit })}
          </p>
        )}
        {line.next_tier && (
          <p className="cart-line__next" data-testid="line-next-tier">
            {t('buy.nextTier', {
              count: line.next_tier.more_qty ?? line.next_tier.min_qty - line.quantity,
              unit: line.unit,
              price: formatVND(line.next_tier.unit_price_vnd),
            })}
          </p>
        )}
        {line.problem && (
          <p className="cart-line__problem" data-testid="line-problem">
            {line.problem}
          </p>
        )}
      </div>
      <div className="cart-line__controls">
        <QuantityStepper
          id={`qty-${line.id}`}
          label={t('cart.quantityOf', { name: line.product_name, unit: line.unit })}
          hideLabel
          value={line.quantity}
          max={line.stock > 0 ? line.stock : undefined}
          onChange={onQuantity}
          disabled={disabled}
          testId="line-qty"
        />
        <p className="cart-line__amount" data-testid="line-amount">
          {formatVND(line.line_vnd)}
        </p>
        <button
          type="button"
          className="cart-line__remove"
          onClick={onRemove}
          disabled={disabled}
          aria-label={t('cart.removeNamed', { name: line.product_name })}
          data-testid="line-remove"
        >
          {t('cart.remove')}
        </button>
      </div>
      {error && (
        <p className="cart-line__error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
