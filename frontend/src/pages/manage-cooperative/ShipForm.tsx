import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/form/TextField.tsx';

/** carriers are the delivery services most cooperatives use, offered as the carrier is typed. */
const carriers = ['Giao Hàng Nhanh (GHN)', 'Giao Hàng Tiết Kiệm (GHTK)', 'Viettel Post', 'VNPost', 'J&T Express', 'Ninja Van', 'Best Express'];

/**
 * ShipForm hands a packed sub-order to a carrier: which one (required) and
 * the tracking code it gave.
 */
export function ShipForm({
  id,
  busy,
  onShip,
}: {
  /** id makes the fields' ids unique on a board of several sub-orders. */
  id: string;
  busy: boolean;
  onShip: (carrier: string, trackingCode: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [carrier, setCarrier] = useState('');
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!carrier.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    void onShip(carrier.trim(), code.trim());
  }

  return (
    <form className="ship-form" noValidate onSubmit={submit} data-testid="ship-form">
      <div className="ship-form__fields">
        <div className={missing ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor={`${id}-carrier`}>
            {t('ship.carrier')}
          </label>
          <input
            id={`${id}-carrier`}
            name="carrier"
            className="field__input"
            list={`${id}-carriers`}
            value={carrier}
            onChange={(e) => setCarrier(e.target.value)}
            maxLength={100}
            required
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? `${id}-carrier-error` : undefined}
          />
          <datalist id={`${id}-carriers`}>
            {carriers.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          {missing && (
            <p id={`${id}-carrier-error`} className="field__error">
              {t('ship.carrierRequired')}
            </p>
          )}
        </div>
        <TextField id={`${id}-code`} name="tracking_code" label={t('ship.trackingCode')} value={code} onChange={setCode} />
      </div>
      <button type="submit" className="button button--primary button--small" disabled={busy} aria-busy={busy} data-testid="ship-submit">
        {busy ? t('buyerMove.working') : t('ship.submit')}
      </button>
    </form>
  );
}
