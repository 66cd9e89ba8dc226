import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useCart } from '../../cart/CartContext.ts';
import { cartPath } from '../../cart/paths.ts';
import './cart-link.css';

/** CartLink is the header's way to the cart, with the number of units in it. */
export function CartLink() {
  const { t } = useTranslation();
  const { count } = useCart();
  return (
    <Link to={cartPath} className="cart-link" data-testid="nav-cart" aria-label={t('nav.cartLabel', { count })}>
      <svg className="cart-link__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          d="M3 4h2.2l2.1 10.3a1.5 1.5 0 0 0 1.5 1.2h8.4a1.5 1.5 0 0 0 1.5-1.1L20.5 8H6.3"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.9"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
        <circle cx="9.5" cy="19.5" r="1.5" fill="currentColor" />
        <circle cx="17" cy="19.5" r="1.5" fill="currentColor" />
      </svg>
      <span className="cart-link__text">{t('nav.cart')}</span>
      <span className={count > 0 ? 'cart-link__count' : 'cart-link__count cart-link__count--empty'} data-testid="nav-cart-count">
        {count}
      </span>
    </Link>
  );
}
