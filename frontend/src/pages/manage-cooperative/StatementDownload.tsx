import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { statementURL } from '../../api/payments.ts';
import { TextField } from '../../components/form/TextField.tsx';
import { isoDay } from '../../lib/format.ts';

/** maxDays is the longest statement the server makes (about 13 months). */
const maxDays = 400;

/** StatementDownload downloads the cooperative's statement (CSV, for Excel) from one day to another, this month by default. */
export function StatementDownload({ coop }: { coop: string }) {
  const { t } = useTranslation();
  const today = new Date();
  const [from, setFrom] = useState(() => isoDay(new Date(today.getFullYear(), today.getMonth(), 1)));
  const [to, setTo] = useState(() => isoDay(today));
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  const problem =
    !from || !to || Number.isNaN(days) ? t('coopPayments.statementDates') : days < 0 || days >= maxDays ? t('coopPayments.statementRange') : '';

  return (
    <div className="statement" data-testid="statement">
      <div className="statement__dates">
        <TextField id="statement-from" name="from" type="date" label={t('coopPayments.from')} value={from} onChange={setFrom} />
        <TextField id="statement-to" name="to" type="date" label={t('coopPayments.to')} value={to} onChange={setTo} />
      </div>
      {problem ? (
        <p className="field__error" role="alert" data-testid="statement-problem">
          {problem}
        </p>
      ) : (
        <a className="button button--secondary statement__link" href={statementURL(coop, from, to)} download data-testid="statement-link">
          {t('coopPayments.download')}
        </a>
      )}
    </div>
  );
}
