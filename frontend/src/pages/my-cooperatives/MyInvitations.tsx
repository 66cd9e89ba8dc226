import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answerInvitation, myInvitations, type ReceivedInvitation } from '../../api/invitations.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { ErrorMessage } from '../../components/status/StatusMessages.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';

/**
 * MyInvitations lists the invitations to the signed-in user (to join a
 * cooperative, or to manage its products as trade staff), each to accept
 * or decline. onAccepted runs after an acceptance, for the page to show the
 * new membership. Nothing shows while there is none.
 */
export function MyInvitations({ onAccepted }: { onAccepted: () => void }) {
  const { t } = useTranslation('members');
  const { t: tc } = useTranslation();
  const invitations = useLoad('my-invitations', (signal) => myInvitations(signal));
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');

  async function answer(inv: ReceivedInvitation, accept: boolean) {
    if (busy) return;
    setBusy(inv.id);
    setError('');
    setDone('');
    try {
      await answerInvitation(inv.id, accept);
      if (invitations.status === 'ready') invitations.replace(invitations.data.filter((i) => i.id !== inv.id));
      setDone(t(accept ? 'received.accepted' : 'received.declined', { coop: inv.cooperative_name }));
      if (accept) onAccepted();
    } catch (err) {
      setError(problemMessage(err, tc));
    } finally {
      setBusy('');
    }
  }

  const items = invitations.status === 'ready' ? invitations.data : [];
  return (
    <section className="my-invitations" aria-labelledby={items.length > 0 ? 'my-invitations-title' : undefined} data-testid="my-invitations">
      {/* Present from the start, so that screen readers announce what it says next. */}
      <p role="status" className={done ? 'form-message form-message--success' : 'visually-hidden'} data-testid="my-invitations-status">
        {done}
      </p>
      {invitations.status === 'error' && <ErrorMessage title={t('received.error')} error={invitations.error} onRetry={invitations.retry} />}
      {items.length > 0 && (
        <>
          <h2 id="my-invitations-title" className="my-invitations__title">
            {t('received.title')}
          </h2>
          {error && <FormMessage tone="error">{error}</FormMessage>}
          <ul className="my-coops__list">
            {items.map((inv) => (
              <li key={inv.id} className="my-coop my-invitation" data-testid="my-invitation" data-slug={inv.cooperative_slug}>
                <p className="my-invitation__text">
                  {inv.kind === 'member' && inv.role
                    ? t('received.member', {
                        invitedBy: inv.invited_by || t('received.someone'),
                        role: t(`roles.${inv.role}`),
                        coop: inv.cooperative_name,
                      })
                    : t('received.delegate', { invitedBy: inv.invited_by || t('received.someone'), coop: inv.cooperative_name })}
                </p>
                <p className="my-coop__meta">{t('received.expires', { date: formatDate(inv.expires_at, currentLanguage()) })}</p>
                <div className="my-coop__actions">
                  <button
                    type="button"
                    className="button button--primary button--small"
                    disabled={busy !== ''}
                    aria-label={t('received.acceptNamed', { coop: inv.cooperative_name })}
                    onClick={() => void answer(inv, true)}
                  >
                    {t('received.accept')}
                  </button>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={busy !== ''}
                    aria-label={t('received.declineNamed', { coop: inv.cooperative_name })}
                    onClick={() => void answer(inv, false)}
                  >
                    {t('received.decline')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
