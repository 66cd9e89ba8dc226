import { useTranslation } from 'react-i18next';

/** CartProblems lists what stands in the way of ordering the cart (a packaging sold out, too few left…). */
export function CartProblems({ problems }: { problems: string[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <div className="cart-problems" role="alert" data-testid="cart-problems">
      <p className="cart-problems__title">{t('cart.problems')}</p>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}
