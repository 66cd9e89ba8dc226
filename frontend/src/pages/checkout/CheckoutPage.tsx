import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { checkout, getCart, listAddresses, newIdempotencyKey, type Cart, type CheckoutInput, type PaymentMethod, type SavedAddress } from '../../api/orders.ts';
import type { User } from '../../api/identity.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useCart } from '../../cart/CartContext.ts';
import { cartPath, orderPath } from '../../cart/paths.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { useSession } from '../../session/SessionContext.ts';
import { CartProblems } from '../cart/CartProblems.tsx';
import { AddressFields, type AddressValues } from './AddressFields.tsx';
import { PaymentChoice } from './PaymentChoice.tsx';
import { CheckoutSummary } from './CheckoutSummary.tsx';
import '../cart/cart.css';
import './checkout.css';

export type CheckoutField = keyof AddressValues | 'payment' | 'note' | 'email';

const fieldMap: Record<string, CheckoutField> = {
  'shipping_address.recipient': 'recipient',
  'shipping_address.phone': 'phone',
  'shipping_address.province': 'province',
  'shipping_address.commune': 'commune',
  'shipping_address.street': 'street',
  payment_method: 'payment',
  note: 'note',
  email: 'email',
};

/** localPhone writes an account's +84 number as the ten digits people type (0912345678). */
function localPhone(phone: string | undefined): string {
  if (!phone) return '';
  const m = /^\+84(\d{9})$/.exec(phone);
  return m ? `0${m[1]}` : phone;
}

function fromSaved(a: SavedAddress): AddressValues {
  return { recipient: a.recipient, phone: a.phone, province: a.province, commune: a.commune, street: a.street };
}

function initialAddress(user: User | null): AddressValues {
  return { recipient: user?.full_name ?? '', phone: localPhone(user?.phone), province: '', commune: '', street: '' };
}

/**
 * CheckoutPage is /thanh-toan: where to deliver (province, commune or ward,
 * street), a note, a guest's e-mail, how to pay, and the order's summary
 * with each cooperative's shipping fee to the province chosen. One
 * Idempotency-Key serves every retry of the same order, so a retry after a
 * lost answer never places it twice.
 */
export function CheckoutPage() {
  const session = useSession();
  if (session.status === 'loading') return null;
  return <CheckoutForm user={session.status === 'signed-in' ? session.user : null} />;
}

function CheckoutForm({ user }: { user: User | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const shared = useCart();
  const [address, setAddress] = useState<AddressValues>(() => initialAddress(user));
  const [payment, setPayment] = useState<PaymentMethod>('cod');
  const [note, setNote] = useState('');
  const [email, setEmail] = useState('');
  const attempt = useRef<{ key: string; body: string } | null>(null);
  // A signed-in buyer starts from the address they used last.
  const [book, setBook] = useState<SavedAddress[]>([]);
  useEffect(() => {
    if (!user) return;
    const ctl = new AbortController();
    listAddresses(ctl.signal)
      .then((list) => {
        setBook(list);
        const last = list[0];
        if (last) setAddress((cur) => (cur.province === '' && cur.street === '' ? fromSaved(last) : cur));
      })
      .catch(() => {
        // The book is a convenience: the form works without it.
      });
    return () => ctl.abort();
  }, [user]);

  const load = useLoad(`checkout:${address.province}`, (signal) => getCart(address.province || undefined, signal));
  // While the fees to a newly chosen province are on their way, the last cart stays.
  const last = useRef<Cart | undefined>(undefined);
  if (load.status === 'ready') last.current = load.data;
  const cart = load.status === 'ready' ? load.data : last.current;

  const submit = useSubmit(async () => {
    const input: CheckoutInput = {
      shipping_address: {
        recipient: address.recipient.trim(),
        phone: address.phone.trim(),
        province: address.province,
        commune: address.commune.trim(),
        street: address.street.trim(),
      },
      payment_method: payment,
    };
    if (note.trim()) input.note = note.trim();
    if (!user && email.trim()) input.email = email.trim();
    // A retry of the same order keeps its key; a changed order is a new attempt.
    const body = JSON.stringify(input);
    if (attempt.current?.body !== body) attempt.current = { key: newIdempotencyKey(), body };
    try {
      const order = await checkout(input, attempt.current.key);
      shared.refresh();
      await navigate(orderPath(order.id), { state: { placed: true } });
    } catch (err) {
      // Out of stock or a changed cart: show the cart as it is now.
      if (err instanceof ApiError && err.status === 409) load.retry();
      throw err;
    }
  }, fieldMap);
  // A field's error goes once the buyer changes that field, until the next attempt.
  const [edited, setEdited] = useState<{ of: unknown; fields: ReadonlySet<CheckoutField> }>({ of: null, fields: new Set() });
  const fixed = edited.of === submit.errors ? edited.fields : new Set<CheckoutField>();
  const err = Object.fromEntries(
    Object.entries(submit.errors.fields).filter(([f]) => !fixed.has(f as CheckoutField)),
  ) as Partial<Record<CheckoutField, string>>;
  const allFixed = Object.keys(submit.errors.fields).length > 0 && Object.keys(err).length === 0;
  const touch = (field: CheckoutField) => {
    if (submit.errors.fields[field] && !fixed.has(field)) setEdited({ of: submit.errors, fields: new Set([...fixed, field]) });
  };
  const changeAddress = (next: AddressValues) => {
    for (const f of Object.keys(next) as (keyof AddressValues)[]) if (next[f] !== address[f]) touch(f);
    setAddress(next);
  };

  if (!cart) {
    return (
      <div className="checkout-page">
        <h1 className="checkout-page__title">{t('checkout.title')}</h1>
        {load.status === 'error' ? (
          <ErrorMessage title={t('cart.error')} error={load.error} onRetry={load.retry} />
        ) : (
          <LoadingMessage>{t('cart.loading')}</LoadingMessage>
        )}
      </div>
    );
  }
  if (cart.lines.length === 0) {
    return (
      <div className="checkout-page">
        <h1 className="checkout-page__title">{t('checkout.title')}</h1>
        <EmptyMessage testId="checkout-empty">
          <p>{t('cart.empty')}</p>
          <Link to="/san-pham" className="button button--primary">
            {t('cart.browse')}
          </Link>
        </EmptyMessage>
      </div>
    );
  }

  return (
    <div className="checkout-page">
      <nav className="breadcrumb" aria-label={t('product.breadcrumb')}>
        <Link to={cartPath}>{t('cart.back')}</Link>
      </nav>
      <h1 className="checkout-page__title">{t('checkout.title')}</h1>
      <CartProblems problems={cart.problems} />
      <form className="checkout" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="checkout-form">
        <div className="checkout__main">
          {book.length > 1 && (
            <label className="checkout__saved" data-testid="saved-addresses">
              {t('checkout.savedAddress')}
              <select
                onChange={(e) => {
                  const chosen = book.find((a) => a.id === e.target.value);
                  if (chosen) setAddress(fromSaved(chosen));
                }}
              >
                {book.map((a) => (
                  <option key={a.id} value={a.id}>
                    {`${a.recipient} — ${a.street}, ${a.commune}, ${a.province_name}`}
                  </option>
                ))}
              </select>
            </label>
          )}
          <AddressFields values={address} onChange={changeAddress} errors={err} />
          <fieldset className="checkout__group">
            <legend className="checkout__legend">{t('checkout.more')}</legend>
            <TextAreaField
              id="checkout-note"
              name="note"
              label={t('checkout.note')}
              hint={t('checkout.noteHint')}
              value={note}
              onChange={(v) => {
                touch('note');
                setNote(v);
              }}
              rows={3}
              error={err.note}
            />
            {!user && (
              <TextField
                id="checkout-email"
                name="email"
                type="email"
                label={t('checkout.email')}
                hint={t('checkout.emailHint')}
                value={email}
                onChange={(v) => {
                  touch('email');
                  setEmail(v);
                }}
                autoComplete="email"
                error={err.email}
              />
            )}
          </fieldset>
          <PaymentChoice
            value={payment}
            onChange={(m) => {
              touch('payment');
              setPayment(m);
            }}
            error={err.payment}
          />
        </div>
        <aside className="checkout__aside cart-summary" aria-labelledby="checkout-summary-title">
          <h2 id="checkout-summary-title" className="cart-summary__title">
            {t('checkout.summary')}
          </h2>
          <CheckoutSummary cart={cart} updating={load.status === 'loading'} />
          {submit.errors.message && !allFixed && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
          <SubmitButton busy={submit.busy} busyLabel={t('checkout.placing')}>
            {t('checkout.place')}
          </SubmitButton>
          <p className="cart-summary__note">{t('checkout.terms')}</p>
        </aside>
      </form>
    </div>
  );
}
