import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Variant } from '../../api/catalog.ts';
import { addToCart } from '../../api/orders.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { QuantityStepper } from '../../components/quantity-stepper/QuantityStepper.tsx';
import { useCart } from '../../cart/CartContext.ts';
import { cartPath } from '../../cart/paths.ts';
import { formatVND } from '../../lib/format.ts';

/** priceFor is the unit price of qty units of a packaging: the best wholesale tier reached, else the retail price. */
function priceFor(v: Variant, qty: number): { unit: number; tierFrom: number | null } {
  let best: { unit: number; tierFrom: number | null } = { unit: v.price_vnd, tierFrom: null };
  for (const tier of v.price_tiers) {
    if (qty >= tier.min_qty && tier.unit_price_vnd <= best.unit) best = { unit: tier.unit_price_vnd, tierFrom: tier.min_qty };
  }
  return best;
}

/** nextTier is the next wholesale tier above qty, if there is one. */
function nextTier(v: Variant, qty: number) {
  return v.price_tiers.filter((tier) => tier.min_qty > qty).sort((a, b) => a.min_qty - b.min_qty)[0];
}

/**
 * BuyBox puts the chosen packaging of a product in the cart (the page's
 * PackagingPicker chooses it; the page keys the box by it, so that a new
 * choice starts from one unit): how many, the price that quantity gets
 * (wholesale tiers included), "Thêm vào giỏ" and "Mua ngay" (adds, then
 * opens the cart). An out-of-stock packaging cannot be bought.
 */
export function BuyBox({ productName, variant }: { productName: string; variant: Variant }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cart = useCart();
  const [qty, setQty] = useState(1);
  const [busy, setBusy] = useState<'' | 'add' | 'buy'>('');
  const [error, setError] = useState('');
  const [added, setAdded] = useState<{ qty: number; unit: string } | null>(null);

  const soldOut = variant.stock <= 0;
  const quantity = Math.max(1, Math.min(qty, Math.max(1, variant.stock)));
  const price = priceFor(variant, quantity);
  const next = nextTier(variant, quantity);

  async function add(then: 'add' | 'buy') {
    if (busy || soldOut) return;
    setBusy(then);
    setError('');
    setAdded(null);
    try {
      cart.update(await addToCart(variant.id, quantity));
      if (then === 'buy') {
        await navigate(cartPath);
        return;
      }
      setAdded({ qty: quantity, unit: variant.unit });
    } catch (err) {
      setError(problemMessage(err, t));
    } finally {
      setBusy('');
    }
  }

  return (
    <section className="buy-box" aria-labelledby="buy-box-title" data-testid="buy-box">
      <h2 id="buy-box-title" className="visually-hidden">
        {t('buy.title')}
      </h2>
      <p className="buy-box__price" data-testid="buy-price">
        <span className="buy-box__unit-price">{t('buy.unitPrice', { price: formatVND(price.unit), unit: variant.unit })}</span>
        {price.tierFrom !== null && (
          <span className="chip chip--good">{t('buy.tierApplied', { count: price.tierFrom, unit: variant.unit })}</span>
        )}
      </p>

      {soldOut ? (
        <p className="buy-box__soldout" data-testid="buy-soldout">
          <span className="chip chip--bad">{t('product.outOfStock')}</span> {t('buy.soldOutHint')}
        </p>
      ) : (
        <div className="buy-box__qty">
          <QuantityStepper
            id="buy-qty"
            label={t('buy.quantity', { unit: variant.unit })}
            value={quantity}
            max={variant.stock}
            onChange={(n) => {
              setQty(n);
              setAdded(null);
            }}
            testId="buy-qty"
          />
          <p className="buy-box__stock">{t('product.inStock', { count: variant.stock })}</p>
        </div>
      )}
      {!soldOut && next && (
        <p className="buy-box__hint" data-testid="buy-tier-hint">
          {t('buy.nextTier', { count: next.min_qty - quantity, unit: variant.unit, price: formatVND(next.unit_price_vnd) })}
        </p>
      )}
      {!soldOut && (
        <p className="buy-box__total">
          {t('buy.total')} <strong data-testid="buy-total">{formatVND(price.unit * quantity)}</strong>
        </p>
      )}

      <div className="buy-box__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => void add('add')}
          disabled={soldOut || busy !== ''}
          aria-busy={busy === 'add'}
          data-testid="add-to-cart"
        >
          {soldOut ? t('product.outOfStock') : busy === 'add' ? t('buy.adding') : t('buy.add')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void add('buy')}
          disabled={soldOut || busy !== ''}
          aria-busy={busy === 'buy'}
          data-testid="buy-now"
        >
          {soldOut ? t('product.outOfStock') : t('buy.now')}
        </button>
      </div>

      <div aria-live="polite">
        {added && (
          <p className="buy-box__added" data-testid="added-to-cart">
            {t('buy.added', { count: added.qty, unit: added.unit, name: productName })}{' '}
            <Link to={cartPath} data-testid="added-cart-link">
              {t('buy.viewCart', { count: cart.count })}
            </Link>
          </p>
        )}
      </div>
      {error && (
        <p className="buy-box__error" role="alert" data-testid="buy-error">
          {error}
        </p>
      )}
    </section>
  );
}
