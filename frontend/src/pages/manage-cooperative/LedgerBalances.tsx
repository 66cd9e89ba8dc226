import { useTranslation } from 'react-i18next';
import type { Ledger } from '../../api/payments.ts';
import { formatVND } from '../../lib/format.ts';

/** The balances first, then the totals they come from. */
const balances = ['payable_vnd', 'receivable_vnd', 'net_vnd'] as const;
const totals = ['card_sales_vnd', 'direct_sales_vnd', 'commission_vnd', 'refunds_vnd', 'payouts_vnd', 'offsets_vnd'] as const;

/**
 * LedgerBalances shows where the cooperative and the platform stand: what
 * the platform owes it (card sales it collected), the commission it owes
 * the platform (sales paid to it directly), and the totals behind them.
 */
export function LedgerBalances({ ledger }: { ledger: Ledger }) {
  const { t } = useTranslation();
  return (
    <div className="ledger" data-testid="ledger">
      <dl className="ledger__balances">
        {balances.map((k) => (
          <div key={k} className={`ledger__balance ledger__balance--${k}`}>
            <dt>{t(`coopPayments.balance.${k}`)}</dt>
            <dd data-testid={`ledger-${k}`} data-amount={ledger[k]}>
              {formatVND(ledger[k])}
            </dd>
            <p className="ledger__hint">{t(`coopPayments.balanceHint.${k}`)}</p>
          </div>
        ))}
      </dl>
      <dl className="ledger__totals">
        {totals.map((k) => (
          <div key={k}>
            <dt>{t(`coopPayments.balance.${k}`)}</dt>
            <dd data-testid={`ledger-${k}`} data-amount={ledger[k] ?? 0}>
              {formatVND(ledger[k] ?? 0)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
