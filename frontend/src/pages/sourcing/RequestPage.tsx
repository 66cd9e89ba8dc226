import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { User } from '../../api/identity.ts';
import { newIdempotencyKey } from '../../api/orders.ts';
import {
  acceptQuotes,
  closeRequest,
  getMatches,
  getRequest,
  listQuotes,
  type SourcingMatch,
  type SourcingMatches,
  type SourcingQuote,
  type SourcingRequest,
} from '../../api/sourcing.ts';
import { orderPath } from '../../cart/paths.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { formatDayMonthYear, formatVND } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { useSession } from '../../session/SessionContext.ts';
import { AddressFields, type AddressValues } from '../checkout/AddressFields.tsx';
import '../checkout/checkout.css';
import { formatQuantity, RequestStatusBadge, RequestSummary } from './common.tsx';
import { coopSourcingPath, sourcingBoardPath } from './paths.ts';
import { depositOf } from './depositAmount.ts';
import { MatchViews } from './MatchMap.tsx';
import { QuoteForm } from './QuoteForm.tsx';
import './sourcing.css';

/** RequestPage is /nguon-hang/yeu-cau/:id: a request; for its buyer, the matches, combinations and quotes to accept. */
export function RequestPage() {
  const { t } = useTranslation('sourcing');
  const { id = '' } = useParams();
  const session = useSession();
  const user = session.status === 'signed-in' ? session.user : undefined;
  const request = useLoad(`sourcing-request:${id}:${user?.id ?? ''}`, (signal) => getRequest(id, signal));
  if (request.status === 'loading') {
    return (
      <div className="sourcing">
        <LoadingMessage>{t('loading')}</LoadingMessage>
      </div>
    );
  }
  if (request.status === 'error') {
    const missing = request.error instanceof ApiError && request.error.status === 404;
    return (
      <div className="sourcing">
        {missing ? (
          <EmptyMessage testId="request-missing">
            <p>{t('request.missing')}</p>
            <Link to={sourcingBoardPath}>{t('board.title')}</Link>
          </EmptyMessage>
        ) : (
          <ErrorMessage title={t('loadError')} error={request.error} onRetry={request.retry} />
        )}
      </div>
    );
  }
  const r = request.data;
  const live = r.status === 'open' || r.status === 'quoting';
  const coops = user?.memberships ?? [];
  return (
    <div className="sourcing">
      <nav className="breadcrumb" aria-label={t('breadcrumb')}>
        <Link to={sourcingBoardPath}>{t('board.title')}</Link>
      </nav>
      <header className="sourcing__header">
        <h1 className="sourcing__title" data-testid="request-title">
          {r.text}
        </h1>
        <RequestStatusBadge status={r.status} />
      </header>
      <RequestSummary request={r} />
      {r.mine && live && (
        <button
          type="button"
          className="button button--small sourcing__close"
          onClick={() => {
            void closeRequest(r.id).then(request.replace, () => request.retry());
          }}
        >
          {t('request.close')}
        </button>
      )}
      {r.mine && <BuyerView request={r} onChanged={request.retry} />}
      {!r.mine && user && live && coops.length > 0 && <MemberQuotes request={r} user={user} />}
      {!user && live && <p className="sourcing__hint">{t('request.signInToQuote')}</p>}
    </div>
  );
}

/** MemberQuotes lets a cooperative's member quote on the request, for each cooperative of theirs. */
function MemberQuotes({ request, user }: { request: SourcingRequest; user: User }) {
  const { t } = useTranslation('sourcing');
  const quotes = useLoad(`sourcing-quotes:${request.id}:${user.id}`, (signal) => listQuotes(request.id, signal));
  const coops = user.memberships.filter((m) => m.role === 'coop_manager' || m.role === 'coop_staff' || m.role === 'coop_delegate');
  return (
    <section className="sourcing-section" aria-labelledby="member-quotes">
      <h2 id="member-quotes" className="sourcing-section__title">
        {t('quote.title')}
      </h2>
      {coops.map((m) => {
        const own = quotes.status === 'ready' ? quotes.data.find((q) => q.cooperative.id === m.cooperative_id) : undefined;
        return (
          <div key={m.cooperative_id} className="sourcing-card sourcing-card--block">
            <p>
              <strong>{m.cooperative_name}</strong> · <Link to={coopSourcingPath(m.cooperative_slug)}>{t('inbox.title')}</Link>
            </p>
            {own && <QuoteLine quote={own} />}
            {own?.status !== 'accepted' && (
              <QuoteForm request={request} coop={m.cooperative_slug} onSent={quotes.retry} />
            )}
          </div>
        );
      })}
    </section>
  );
}

/** QuoteLine shows one quote: who, how much, at what price, by when. */
export function QuoteLine({ quote }: { quote: SourcingQuote }) {
  const { t } = useTranslation('sourcing');
  const { t: td } = useTranslation('deposit');
  return (
    <div className="sourcing-quote" data-testid="quote" data-coop={quote.cooperative.slug}>
      <p className="sourcing-quote__who">
        <strong>{quote.cooperative.name}</strong> · {quote.product_name}
        <span className={`sourcing-badge sourcing-badge--${quote.status}`}>{t(`quoteStatus.${quote.status}`)}</span>
      </p>
      <p>
        {formatQuantity(quote.quantity, quote.unit)} × {formatVND(quote.unit_price_vnd)} = <strong>{formatVND(quote.total_vnd)}</strong>
      </p>
      <p className="sourcing-quote__meta">
        {t('quote.delivery', { date: formatDayMonthYear(quote.delivery_date) })} ·{' '}
        {t('quote.validUntil', { date: formatDayMonthYear(quote.valid_until) })} ·{' '}
        <span data-testid="quote-deposit" data-percent={quote.deposit_percent}>
          {quote.deposit_percent > 0 ? td('quote.badge', { percent: quote.deposit_percent }) : td('quote.none')}
        </span>
      </p>
      {quote.note && <p className="sourcing-quote__meta">{quote.note}</p>}
    </div>
  );
}

/** BuyerView is what the request's buyer sees: quotes to accept, ranked offers and combinations. */
function BuyerView({ request, onChanged }: { request: SourcingRequest; onChanged: () => void }) {
  const { t } = useTranslation('sourcing');
  const quotes = useLoad(`sourcing-quotes:${request.id}:buyer`, (signal) => listQuotes(request.id, signal));
  const matches = useLoad(`sourcing-matches:${request.id}`, (signal) => getMatches(request.id, signal));
  return (
    <>
      <section className="sourcing-section" aria-labelledby="quotes-title">
        <h2 id="quotes-title" className="sourcing-section__title">
          {t('quotes.title')}
        </h2>
        {quotes.status === 'loading' && <LoadingMessage>{t('loading')}</LoadingMessage>}
        {quotes.status === 'error' && <ErrorMessage title={t('loadError')} error={quotes.error} onRetry={quotes.retry} />}
        {quotes.status === 'ready' && quotes.data.length === 0 && (
          <EmptyMessage testId="quotes-empty">
            <p>{t('quotes.empty')}</p>
          </EmptyMessage>
        )}
        {quotes.status === 'ready' && quotes.data.length > 0 && (
          <AcceptForm
            request={request}
            quotes={quotes.data}
            onAccepted={() => {
              quotes.retry();
              onChanged();
            }}
          />
        )}
      </section>
      <section className="sourcing-section" aria-labelledby="matches-title">
        <h2 id="matches-title" className="sourcing-section__title">
          {t('matches.title')}
        </h2>
        {matches.status === 'loading' && <LoadingMessage>{t('loading')}</LoadingMessage>}
        {matches.status === 'error' && <ErrorMessage title={t('loadError')} error={matches.error} onRetry={matches.retry} />}
        {matches.status === 'ready' && (
          <MatchViews request={request} data={matches.data}>
            <MatchesView request={request} data={matches.data} />
          </MatchViews>
        )}
      </section>
    </>
  );
}

/** AcceptForm lists the quotes with a box each, and turns the chosen ones into one order. */
function AcceptForm({ request, quotes, onAccepted }: { request: SourcingRequest; quotes: SourcingQuote[]; onAccepted: () => void }) {
  const { t } = useTranslation('sourcing');
  const { t: td } = useTranslation('deposit');
  const [pay, setPay] = useState<'full' | 'deposit'>('full');
  const navigate = useNavigate();
  const [chosen, setChosen] = useState<string[]>([]);
  const [method, setMethod] = useState<'bank_transfer' | 'card'>('bank_transfer');
  const [address, setAddress] = useState<AddressValues>({ recipient: '', phone: '', province: request.province, commune: '', street: '' });
  const [key] = useState(newIdempotencyKey);
  const open = quotes.filter((q) => q.status === 'submitted');
  const picked = quotes.filter((q) => chosen.includes(q.id));
  const total = picked.reduce((n, q) => n + q.total_vnd, 0);
  // A deposit only when every chosen quote accepts one; each is the quote's percent of its total.
  const canDeposit = picked.length > 0 && picked.every((q) => q.deposit_percent > 0);
  const deposit = canDeposit ? picked.reduce((n, q) => n + depositOf(q.total_vnd, q.deposit_percent), 0) : 0;
  const payNow = canDeposit && pay === 'deposit' ? 'deposit' : 'full';
  const submit = useSubmit(
    async () => {
      const a = await acceptQuotes(request.id, { quote_ids: chosen, payment_method: method, shipping_address: address, pay: payNow }, key);
      onAccepted();
      navigate(orderPath(a.order_id));
    },
    {
      quote_ids: 'quote_ids',
      'shipping_address.recipient': 'recipient',
      'shipping_address.phone': 'phone',
      'shipping_address.province': 'province',
      'shipping_address.commune': 'commune',
      'shipping_address.street': 'street',
      payment_method: 'payment_method',
      pay: 'pay',
    },
  );
  const err = submit.errors.fields as Partial<Record<keyof AddressValues | 'quote_ids' | 'payment_method' | 'pay', string>>;
  return (
    <form ref={submit.formRef} onSubmit={submit.onSubmit} className="sourcing-form" noValidate data-testid="accept-form">
      <ul className="sourcing__list">
        {quotes.map((q) => (
          <li key={q.id} className="sourcing-card sourcing-card--quote">
            {q.status === 'submitted' && (
              <input
                type="checkbox"
                aria-label={t('quotes.choose', { coop: q.cooperative.name })}
                checked={chosen.includes(q.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, q.id] : chosen.filter((x) => x !== q.id))}
                data-testid="choose-quote"
              />
            )}
            <QuoteLine quote={q} />
          </li>
        ))}
      </ul>
      {open.length > 0 && (
        <>
          {err.quote_ids && <p className="field__error">{err.quote_ids}</p>}
          <p className="sourcing__total" data-testid="accept-total">
            {t('quotes.total', { count: chosen.length, total: formatVND(total) })}
          </p>
          {picked.length > 0 && (
            <fieldset className="checkout__group" data-testid="accept-pay">
              <legend className="checkout__legend">{td('accept.legend')}</legend>
              <label className="sourcing-form__check">
                <input type="radio" name="pay" checked={payNow === 'full'} onChange={() => setPay('full')} data-testid="pay-full" />
                {td('accept.full', { total: formatVND(total) })}
              </label>
              <label className="sourcing-form__check">
                <input
                  type="radio"
                  name="pay"
                  checked={payNow === 'deposit'}
                  disabled={!canDeposit}
                  onChange={() => setPay('deposit')}
                  data-testid="pay-deposit"
                />
                {canDeposit ? td('accept.deposit', { deposit: formatVND(deposit), balance: formatVND(total - deposit) }) : td('accept.unavailable')}
              </label>
              {err.pay && <p className="field__error">{err.pay}</p>}
            </fieldset>
          )}
          <fieldset className="checkout__group">
            <legend className="checkout__legend">{t('quotes.payment')}</legend>
            <label className="sourcing-form__check">
              <input type="radio" name="method" checked={method === 'bank_transfer'} onChange={() => setMethod('bank_transfer')} />
              {t('quotes.bank')}
            </label>
            <label className="sourcing-form__check">
              <input type="radio" name="method" checked={method === 'card'} onChange={() => setMethod('card')} />
              {t('quotes.card')}
            </label>
          </fieldset>
          <AddressFields values={address} onChange={setAddress} errors={err} />
          {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
          <SubmitButton busy={submit.busy} busyLabel={t('form.sending')}>
            {t('quotes.accept')}
          </SubmitButton>
        </>
      )}
    </form>
  );
}

const termKeys = ['relevance', 'coverage', 'price', 'distance', 'stars', 'fulfilment'] as const;
const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 0 });

/** MatchesView lists the ranked offers by province, each with its score breakdown, and the combinations. */
function MatchesView({ request, data }: { request: SourcingRequest; data: SourcingMatches }) {
  const { t } = useTranslation('sourcing');
  if (data.matches.length === 0) {
    return (
      <EmptyMessage testId="matches-empty">
        <p>{t('matches.empty')}</p>
      </EmptyMessage>
    );
  }
  const byProvince = new Map<string, SourcingMatch[]>();
  for (const m of data.matches) {
    const key = m.offer.province_name;
    byProvince.set(key, [...(byProvince.get(key) ?? []), m]);
  }
  return (
    <>
      {/* Combinations matter when the cheapest cover takes several cooperatives. */}
      {(data.combinations[0]?.parts.length ?? 0) > 1 && (
        <div className="sourcing-combos" data-testid="combinations">
          <h3 className="sourcing-section__subtitle">{t('combos.title')}</h3>
          <p className="sourcing__hint">
            {t('combos.explain', { rate: formatVND(data.transport_vnd_per_tonne_km) })}{' '}
            {data.optimal ? t('combos.optimal') : t('combos.bound', { bound: formatVND(data.lower_bound_vnd) })}
          </p>
          <ol className="sourcing__list">
            {data.combinations.map((c, i) => (
              <li key={i} className="sourcing-card sourcing-card--block" data-testid="combination">
                <ul className="sourcing-combo__parts">
                  {c.parts.map((p) => (
                    <li key={p.offer_id}>
                      <strong>{p.cooperative.name}</strong>: {formatQuantity(p.quantity, p.unit)} × {formatVND(p.unit_price_vnd)}
                      <span className="sourcing-quote__meta">
                        {' '}
                        · {t('combos.transport', { km: Math.round(p.distance_km), vnd: formatVND(p.transport_vnd) })}
                      </span>
                    </li>
                  ))}
                </ul>
                <p>
                  {t('combos.total')}: <strong>{formatVND(c.total_vnd)}</strong>{' '}
                  <span className="sourcing-quote__meta">
                    ({t('combos.goods')} {formatVND(c.goods_vnd)} + {t('combos.freight')} {formatVND(c.transport_vnd)})
                  </span>
                </p>
              </li>
            ))}
          </ol>
        </div>
      )}
      {[...byProvince.entries()].map(([province, list]) => (
        <div key={province} className="sourcing-province">
          <h3 className="sourcing-section__subtitle">{province}</h3>
          <ul className="sourcing__list">
            {list.map((m) => (
              <li key={m.offer_id} className="sourcing-card sourcing-card--block" data-testid="match">
                <p>
                  <strong>{m.cooperative.name}</strong> · {m.offer.text}
                </p>
                <p className="sourcing-quote__meta">
                  {formatQuantity(m.quantity, request.unit)} · {formatVND(m.unit_price_vnd)} / {request.unit} ·{' '}
                  {t('matches.distance', { km: Math.round(m.distance_km) })}
                </p>
                <p>
                  {t('matches.score')}: <strong data-testid="match-score">{percent.format(m.score)}</strong>
                </p>
                <table className="sourcing-breakdown" data-testid="breakdown">
                  <thead>
                    <tr>
                      <th scope="col">{t('matches.term')}</th>
                      <th scope="col">{t('matches.value')}</th>
                      <th scope="col">{t('matches.weight')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.breakdown.map((b) => (
                      <tr key={b.term}>
                        <th scope="row">{termKeys.includes(b.term) ? t(`term.${b.term}`) : b.term}</th>
                        <td>
                          <meter className="sourcing-meter" min={0} max={1} value={b.value} aria-hidden="true" />
                          {percent.format(b.value)}
                        </td>
                        <td>{percent.format(b.weight)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
