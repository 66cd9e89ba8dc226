import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** clock writes seconds as hours, minutes and seconds: 86352 → "23:59:12". */
function clock(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/**
 * PaymentCountdown counts down, second by second, to the moment an unpaid
 * order is cancelled: "Còn 23:59:12 để chuyển khoản", then "Đã quá hạn
 * thanh toán, đơn sẽ bị hủy".
 */
export function PaymentCountdown({ deadline }: { deadline: string }) {
  const { t } = useTranslation();
  const end = new Date(deadline).getTime();
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.floor((end - now) / 1000)) || 0;
  const over = left === 0 || Number.isNaN(end);
  // The clock ticks until the deadline passes.
  useEffect(() => {
    if (over) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [over]);

  if (Number.isNaN(end)) return null;
  return !over ? (
    <p className="payment-countdown" role="timer" data-testid="payment-countdown">
      {t('bankPay.countdown', { time: clock(left) })}
    </p>
  ) : (
    <p className="payment-countdown payment-countdown--over" role="alert" data-testid="payment-countdown" data-expired="true">
      {t('bankPay.expired')}
    </p>
  );
}
