import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { CartGroup, CartLine } from '../../api/orders.ts';
import { formatVND } from '../../lib/format.ts';
import { CartLineItem } from './CartLineItem.tsx';

/**
 * CartGroupCard is what one cooperative sends: its lines, its shipping fee,
 * and from what amount it ships for free.
 */
export function CartGroupCard({
  group,
  lines,
  pending,
  errors,
  onQuantity,
  onRemove,
}: {
  group: CartGroup;
  lines: CartLine[];
  pending: string;
  errors: Record<string, string>;
  onQuantity: (line: CartLine, quantity: number) => void;
  onRemove: (line: CartLine) => void;
}) {
  const { t } = useTranslation();
  const titleID = `group-${group.cooperative_id}`;
  const missing = group.free_over_vnd !== null ? group.free_over_vnd - group.items_vnd : 0;
  return (
    <section className="cart-group" aria-labelledby={titleID} data-testid="cart-group" data-coop={group.cooperative_slug}>
      <header className="cart-group__head">
        <p className="cart-group__kicker">{t('cart.from')}</p>
        <h2 id={titleID} className="cart-group__title">
          <Link to={`/hop-tac-xa/${group.cooperative_slug}`}>{group.cooperative_name}</Link>
        </h2>
      </header>
      <ul className="cart-lines">
        {lines.map((line) => (
          <CartLineItem
            key={line.id}
            line={line}
            busy={pending === line.id}
            disabled={pending !== ''}
            error={errors[line.id]}
            onQuantity={(n) => onQuantity(line, n)}
            onRemove={() => onRemove(line)}
          />
        ))}
      </ul>
      <footer className="cart-group__foot">
        <p className="cart-group__shipping">
          <span>{t('cart.groupShipping')}</span>{' '}
          <strong data-testid="group-shipping">{group.shipping_vnd === 0 ? t('cart.free') : formatVND(group.shipping_vnd)}</strong>
        </p>
        {group.free_over_vnd !== null && (
          <p className="cart-group__free" data-testid="group-free-over">
            {t('cart.freeOver', { amount: formatVND(group.free_over_vnd) })}
            {missing > 0 && group.shipping_vnd > 0 && ` ${t('cart.freeMissing', { amount: formatVND(missing) })}`}
          </p>
        )}
      </footer>
    </section>
  );
}
