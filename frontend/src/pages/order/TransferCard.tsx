import { useTranslation } from 'react-i18next';
import type { BankTransfer } from '../../api/payments.ts';
import { bankName } from '../../lib/banks.ts';
import { formatVND } from '../../lib/format.ts';
import { CopyButton } from './CopyButton.tsx';

/**
 * TransferCard is one transfer the buyer makes, to one cooperative: its
 * VietQR code to scan with a banking app, and the same details to type by
 * hand (bank, account, holder, amount, content), each with a copy button.
 * Once the cooperative has the money it says so instead.
 */
export function TransferCard({ transfer: tr }: { transfer: BankTransfer }) {
  const { t } = useTranslation();
  const { t: td } = useTranslation('deposit');
  const waiting = tr.status === 'pending_payment' && tr.qr_svg !== '';
  return (
    <section
      className="transfer"
      aria-labelledby={`tr-${tr.sub_order_id}`}
      data-testid="bank-transfer"
      data-number={tr.sub_order_number}
      data-status={tr.status}
    >
      <h3 id={`tr-${tr.sub_order_id}`} className="transfer__coop">
        {tr.cooperative_name}
      </h3>
      {tr.deposit_vnd > 0 && tr.status === 'pending_payment' && (
        <p className="transfer__hint" data-testid="transfer-deposit">
          {td('transfer.deposit', { deposit: formatVND(tr.deposit_vnd), total: formatVND(tr.total_vnd), balance: formatVND(tr.balance_vnd) })}
        </p>
      )}
      {waiting ? (
        <div className="transfer__body">
          <img
            className="transfer__qr"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(tr.qr_svg)}`}
            alt={t('bankPay.qrAlt', { amount: formatVND(tr.amount_vnd), coop: tr.cooperative_name })}
            width={240}
            height={240}
            data-testid="vietqr"
          />
          <dl className="transfer__details">
            <div>
              <dt>{t('bankPay.bank')}</dt>
              <dd data-testid="transfer-bank">{bankName(tr.bank_bin)}</dd>
            </div>
            <div>
              <dt>{t('bankPay.account')}</dt>
              <dd>
                <span className="transfer__value" data-testid="transfer-account">
                  {tr.account_number}
                </span>
                <CopyButton text={tr.account_number} label={t('bankPay.copyAccount')} testId="copy-account" />
              </dd>
            </div>
            <div>
              <dt>{t('bankPay.holder')}</dt>
              <dd>
                <span className="transfer__value" data-testid="transfer-holder">
                  {tr.account_name}
                </span>
                <CopyButton text={tr.account_name} label={t('bankPay.copyHolder')} testId="copy-holder" />
              </dd>
            </div>
            <div>
              <dt>{t('bankPay.amount')}</dt>
              <dd>
                <span className="transfer__value transfer__value--amount" data-testid="transfer-amount">
                  {formatVND(tr.amount_vnd)}
                </span>
                <CopyButton text={String(tr.amount_vnd)} label={t('bankPay.copyAmount')} testId="copy-amount" />
              </dd>
            </div>
            <div>
              <dt>{t('bankPay.content')}</dt>
              <dd>
                <span className="transfer__value transfer__value--content" data-testid="transfer-content">
                  {tr.content}
                </span>
                <CopyButton text={tr.content} label={t('bankPay.copyContent')} testId="copy-content" />
              </dd>
            </div>
          </dl>
          <p className="transfer__hint">{t('bankPay.contentHint')}</p>
        </div>
      ) : (
        <p className="transfer__done" data-testid="transfer-done">
          {tr.status === 'pending_payment' ? t('bankPay.checking') : t('bankPay.received')}
        </p>
      )}
    </section>
  );
}
