import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listCooperativeProducts } from '../../api/catalog.ts';
import { createOffer, listCoopOffers, listInbox, listUnits, withdrawOffer, type SourcingOffer } from '../../api/sourcing.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { formatDayMonthYear, formatVND } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { formatQuantity, pageOf, RequestStatusBadge, RequestSummary } from './common.tsx';
import { requestPath } from './paths.ts';
import { QuoteForm } from './QuoteForm.tsx';
import { QuoteLine } from './RequestPage.tsx';
import './sourcing.css';

/** CoopSourcing is a cooperative's side of sourcing: the requests it was matched with (quote on each) and its offers. */
export function CoopSourcing({ coop }: { coop: string }) {
  const { t } = useTranslation('sourcing');
  const [view, setView] = useState<'inbox' | 'offers'>('inbox');
  return (
    <div className="sourcing-coop">
      <div className="sourcing-coop__switch" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={view === 'inbox'}
          className={view === 'inbox' ? 'button button--primary' : 'button'}
          onClick={() => setView('inbox')}
        >
          {t('inbox.title')}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={view === 'offers'}
          className={view === 'offers' ? 'button button--primary' : 'button'}
          onClick={() => setView('offers')}
          data-testid="offers-tab"
        >
          {t('offers.own')}
        </button>
      </div>
      {view === 'inbox' ? <Inbox coop={coop} /> : <Offers coop={coop} />}
    </div>
  );
}

function Inbox({ coop }: { coop: string }) {
  const { t } = useTranslation('sourcing');
  const list = usePaged(`sourcing-inbox:${coop}`, (cursor, signal) => pageOf(cursor, (page) => listInbox(coop, page, signal)));
  const [open, setOpen] = useState('');
  return (
    <section aria-label={t('inbox.title')}>
      <p className="sourcing__hint">{t('inbox.lead')}</p>
      {list.status === 'loading' && <LoadingMessage>{t('loading')}</LoadingMessage>}
      {list.status === 'error' && <ErrorMessage title={t('loadError')} error={list.error} onRetry={list.retry} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <EmptyMessage testId="inbox-empty">
          <p>{t('inbox.empty')}</p>
        </EmptyMessage>
      )}
      <ul className="sourcing__list">
        {list.items.map(({ request, quote }) => {
          const live = request.status === 'open' || request.status === 'quoting';
          return (
            <li key={request.id} className="sourcing-card sourcing-card--block" data-testid="inbox-item">
              <div className="sourcing__header">
                <Link to={requestPath(request.id)} className="sourcing-card__title">
                  {request.text}
                </Link>
                <RequestStatusBadge status={request.status} />
              </div>
              <RequestSummary request={request} />
              {quote && <QuoteLine quote={quote} />}
              {live && quote?.status !== 'accepted' && (
                <>
                  <button
                    type="button"
                    className="button button--small"
                    aria-expanded={open === request.id}
                    onClick={() => setOpen(open === request.id ? '' : request.id)}
                    data-testid="open-quote"
                  >
                    {quote ? t('inbox.requote') : t('inbox.quote')}
                  </button>
                  {open === request.id && (
                    <QuoteForm
                      request={request}
                      coop={coop}
                      onSent={() => {
                        list.retry();
                        setOpen('');
                      }}
                    />
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
      <LoadMoreButton list={list} />
    </section>
  );
}

/** OfferRow is one offer: what, how much, when, at what price, from where. */
export function OfferRow({ offer, onWithdraw }: { offer: SourcingOffer; onWithdraw?: () => void }) {
  const { t } = useTranslation('sourcing');
  return (
    <li className="sourcing-card" data-testid="offer">
      <div className="sourcing-card__main">
        <p className="sourcing-card__title">{offer.text}</p>
        <p className="sourcing-card__meta">
          {offer.cooperative.name} · {offer.province_name} · {formatQuantity(offer.quantity, offer.unit)}
          {offer.kind === 'seasonal' ? ` ${t('offers.perMonth')}` : ''} · {formatVND(offer.unit_price_vnd)} / {offer.unit}
        </p>
        <p className="sourcing-card__meta">
          {offer.kind === 'surplus' && offer.available_until
            ? t('offers.surplusUntil', { date: formatDayMonthYear(offer.available_until) })
            : offer.months.length > 0
              ? t('offers.months', { months: offer.months.join(', ') })
              : t('offers.allYear')}
          {offer.min_quantity > 0 && ` · ${t('offers.min', { qty: formatQuantity(offer.min_quantity, offer.unit) })}`}
        </p>
      </div>
      <div className="sourcing-card__side">
        {offer.status === 'withdrawn' ? (
          <span className="sourcing-badge sourcing-badge--closed">{t('offers.withdrawn')}</span>
        ) : (
          onWithdraw && (
            <button type="button" className="button button--small" onClick={onWithdraw}>
              {t('offers.withdraw')}
            </button>
          )
        )}
      </div>
    </li>
  );
}

function Offers({ coop }: { coop: string }) {
  const { t } = useTranslation('sourcing');
  const list = usePaged(`sourcing-coop-offers:${coop}`, (cursor, signal) => pageOf(cursor, (page) => listCoopOffers(coop, page, signal)));
  return (
    <section aria-label={t('offers.own')}>
      <NewOfferForm coop={coop} onCreated={list.retry} />
      {list.status === 'loading' && <LoadingMessage>{t('loading')}</LoadingMessage>}
      {list.status === 'error' && <ErrorMessage title={t('loadError')} error={list.error} onRetry={list.retry} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <EmptyMessage testId="offers-empty">
          <p>{t('offers.empty')}</p>
        </EmptyMessage>
      )}
      <ul className="sourcing__list">
        {list.items.map((o) => (
          <OfferRow key={o.id} offer={o} onWithdraw={() => void withdrawOffer(coop, o.id).then(list.retry, list.retry)} />
        ))}
      </ul>
      <LoadMoreButton list={list} />
    </section>
  );
}

type OfferField = 'product_id' | 'text' | 'kind' | 'quantity' | 'min_quantity' | 'unit' | 'months' | 'available_until' | 'unit_price_vnd';
const offerFields: Record<string, OfferField> = {
  product_id: 'product_id',
  text: 'text',
  kind: 'kind',
  quantity: 'quantity',
  min_quantity: 'min_quantity',
  unit: 'unit',
  months: 'months',
  available_until: 'available_until',
  unit_price_vnd: 'unit_price_vnd',
};

function NewOfferForm({ coop, onCreated }: { coop: string; onCreated: () => void }) {
  const { t } = useTranslation('sourcing');
  const products = useLoad(`offer-products:${coop}`, (signal) => listCooperativeProducts(coop, undefined, signal));
  const units = useLoad('sourcing-units', (signal) => listUnits(signal));
  const [product, setProduct] = useState('');
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'seasonal' | 'surplus'>('seasonal');
  const [quantity, setQuantity] = useState('');
  const [minimum, setMinimum] = useState('');
  const [unit, setUnit] = useState('kg');
  const [months, setMonths] = useState<number[]>([]);
  const [until, setUntil] = useState('');
  const [price, setPrice] = useState('');
  const [done, setDone] = useState(false);
  const submit = useSubmit(async () => {
    setDone(false);
    await createOffer({
      cooperative: coop,
      product_id: product || null,
      text,
      kind,
      quantity: Number(quantity.replace(',', '.')),
      min_quantity: minimum ? Number(minimum.replace(',', '.')) : 0,
      unit,
      months,
      ...(until ? { available_until: until } : {}),
      unit_price_vnd: Number(price.replace(/\D/g, '')),
    });
    setDone(true);
    setQuantity('');
    setPrice('');
    onCreated();
  }, offerFields);
  const err = submit.errors.fields;
  const active = products.status === 'ready' ? products.data.items.filter((p) => p.status === 'active') : [];
  return (
    <form ref={submit.formRef} onSubmit={submit.onSubmit} className="sourcing-form sourcing-card sourcing-card--block" noValidate data-testid="offer-form">
      <h3 className="sourcing-section__subtitle">{t('offers.new')}</h3>
      {done && <FormMessage tone="success">{t('offers.created')}</FormMessage>}
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      <SelectField
        id={`of-product-${coop}`}
        name="product_id"
        label={t('offers.product')}
        value={product}
        onChange={setProduct}
        placeholder={t('offers.noProduct')}
        options={active.map((p) => ({ value: p.id, label: p.name }))}
        error={err.product_id}
      />
      <TextField id={`of-text-${coop}`} name="text" label={t('offers.text')} hint={t('offers.textHint')} value={text} onChange={setText} error={err.text} />
      <SelectField
        id={`of-kind-${coop}`}
        name="kind"
        label={t('offers.kind')}
        value={kind}
        onChange={(v) => setKind(v === 'surplus' ? 'surplus' : 'seasonal')}
        options={[
          { value: 'seasonal', label: t('offers.seasonal') },
          { value: 'surplus', label: t('offers.surplus') },
        ]}
      />
      <div className="sourcing-form__row">
        <TextField id={`of-qty-${coop}`} name="quantity" label={t('offers.quantity')} value={quantity} onChange={setQuantity} inputMode="decimal" error={err.quantity} required />
        <SelectField
          id={`of-unit-${coop}`}
          name="unit"
          label={t('field.unit')}
          value={unit}
          onChange={setUnit}
          error={err.unit}
          options={(units.status === 'ready' ? units.data : [{ name: unit, dimension: '', base: 1 }]).map((u) => ({ value: u.name, label: u.name }))}
        />
      </div>
      <div className="sourcing-form__row">
        <TextField id={`of-min-${coop}`} name="min_quantity" label={t('offers.minimum')} value={minimum} onChange={setMinimum} inputMode="decimal" error={err.min_quantity} />
        <TextField id={`of-price-${coop}`} name="unit_price_vnd" label={t('offers.price', { unit })} value={price} onChange={setPrice} inputMode="numeric" error={err.unit_price_vnd} required />
      </div>
      {kind === 'seasonal' ? (
        <fieldset className="sourcing-form__checks">
          <legend>{t('offers.season')}</legend>
          {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
            <label key={m} className="sourcing-form__check">
              <input
                type="checkbox"
                checked={months.includes(m)}
                onChange={(e) => setMonths(e.target.checked ? [...months, m].sort((a, b) => a - b) : months.filter((x) => x !== m))}
              />
              {t('offers.month', { m })}
            </label>
          ))}
          {err.months && <p className="field__error">{err.months}</p>}
        </fieldset>
      ) : (
        <TextField id={`of-until-${coop}`} name="available_until" type="date" label={t('offers.until')} value={until} onChange={setUntil} error={err.available_until} required />
      )}
      <SubmitButton busy={submit.busy} busyLabel={t('form.sending')}>
        {t('offers.submit')}
      </SubmitButton>
    </form>
  );
}
