import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lookupOrder, type Order } from '../../api/orders.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { OrderView } from '../order/OrderView.tsx';
import '../order/order.css';
import './order-lookup.css';

type Field = 'number' | 'phone';
const fieldMap: Record<string, Field> = { number: 'number', phone: 'phone' };

/**
 * OrderLookupPage is /tra-cuu-don-hang: a guest finds an order again by its
 * number and the phone it ships to, and sees it here.
 */
export function OrderLookupPage() {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const [phone, setPhone] = useState('');
  const [found, setFound] = useState<{ order: Order; phone: string } | null>(null);

  const submit = useSubmit(async () => {
    setFound(null);
    const p = phone.trim();
    setFound({ order: await lookupOrder(number.trim().toUpperCase(), p), phone: p });
  }, fieldMap);

  return (
    <div className="order-page">
      <section className="lookup" aria-labelledby="lookup-title">
        <h1 id="lookup-title" className="order-page__title">
          {t('lookup.title')}
        </h1>
        <p className="lookup__intro">{t('lookup.intro')}</p>
        <form className="form lookup__form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="lookup-form">
          <TextField
            id="lookup-number"
            name="number"
            label={t('lookup.number')}
            hint={t('lookup.numberHint')}
            value={number}
            onChange={setNumber}
            required
            error={submit.errors.fields.number}
          />
          <TextField
            id="lookup-phone"
            name="phone"
            type="tel"
            label={t('lookup.phone')}
            value={phone}
            onChange={setPhone}
            autoComplete="tel"
            inputMode="tel"
            required
            error={submit.errors.fields.phone}
          />
          {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
          <SubmitButton busy={submit.busy} busyLabel={t('lookup.busy')}>
            {t('lookup.submit')}
          </SubmitButton>
        </form>
      </section>
      {found && (
        <OrderView
          order={found.order}
          nested
          refresh={async () => {
            const order = await lookupOrder(found.order.number, found.phone);
            setFound({ order, phone: found.phone });
          }}
        />
      )}
    </div>
  );
}
