import type { ReactNode } from 'react';
import './form-card.css';

/**
 * FormCard is the narrow, centred card of the account forms (log in, sign
 * up, password reset): a heading, a short introduction, the form, and
 * links to the other forms underneath.
 */
export function FormCard({
  title,
  intro,
  children,
  footer,
}: {
  title: string;
  intro?: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="form-card" aria-labelledby="form-card-title">
      <h1 id="form-card-title" className="form-card__title">
        {title}
      </h1>
      {intro && <p className="form-card__intro">{intro}</p>}
      {children}
      {footer && <div className="form-card__footer">{footer}</div>}
    </section>
  );
}
