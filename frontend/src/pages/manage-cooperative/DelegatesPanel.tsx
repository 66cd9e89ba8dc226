import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listDelegates, revokeDelegate, type CooperativeDelegate } from '../../api/cooperatives.ts';
import { inviteDelegate } from '../../api/invitations.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { useSession } from '../../session/SessionContext.ts';
import { hiddenFromViewer, PendingInvitations, PeopleList, PeopleListStatus, RemoveButton } from './PeopleList.tsx';
import { useRemoval } from './useRemoval.ts';

/**
 * DelegatesPanel lists the trade staff managing the cooperative's products
 * on its behalf (assisted selling). Its managers invite a staff member by
 * e-mail or phone (the delegation starts when they accept), withdraw an
 * unanswered invitation and end a delegation; a delegate may step down.
 * The server decides who may do what: the viewer's role only hides what it
 * would refuse.
 */
export function DelegatesPanel({ coop, coopID }: { coop: string; coopID: string }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('members');
  const navigate = useNavigate();
  const session = useSession();
  const me = session.status === 'signed-in' ? session.user : null;
  const role = me?.memberships.find((m) => m.cooperative_id === coopID)?.role;
  const manager = role === 'coop_manager';

  const delegates = useLoad(`delegates:${coop}`, (signal) => listDelegates(coop, signal));
  const [login, setLogin] = useState('');
  // done is the last change, announced politely.
  const [done, setDone] = useState('');
  // version reloads the unanswered invitations after one is sent.
  const [version, setVersion] = useState(0);

  const submit = useSubmit(
    async () => {
      setDone('');
      const sent = await inviteDelegate(coop, login.trim());
      setLogin('');
      setDone(tm('delegates.sent', { login: sent.login }));
      setVersion((v) => v + 1);
    },
    { login: 'login' } as Record<string, 'login'>,
  );

  const removal = useRemoval(async (delegate: CooperativeDelegate) => {
    setDone('');
    await revokeDelegate(coop, delegate.user_id);
    if (delegate.user_id === me?.id) {
      // A delegate who steps down no longer sees this dashboard.
      session.reload();
      await navigate('/quan-ly', { replace: true });
      return;
    }
    setDone(t('delegates.removed', { name: delegate.full_name }));
    if (delegates.status === 'ready') delegates.replace(delegates.data.filter((d) => d.user_id !== delegate.user_id));
  });

  function action(d: CooperativeDelegate) {
    if (manager) {
      return (
        <RemoveButton
          label={t('delegates.removeNamed', { name: d.full_name })}
          busy={removal.pending === d.user_id}
          onClick={() => void removal.remove(d, t('delegates.confirmRemove', { name: d.full_name }))}
        >
          {t('delegates.remove')}
        </RemoveButton>
      );
    }
    if (d.user_id === me?.id) {
      return (
        <RemoveButton
          label={t('delegates.stepDown')}
          busy={removal.pending === d.user_id}
          onClick={() => void removal.remove(d, t('delegates.confirmStepDown'))}
        >
          {t('delegates.stepDown')}
        </RemoveButton>
      );
    }
    return null;
  }

  const forbidden = hiddenFromViewer(delegates);

  return (
    <section className="dashboard__panel" aria-labelledby="delegates-title" data-testid="delegates-panel">
      <h2 id="delegates-title" className="dashboard__heading">
        {t('delegates.title')}
      </h2>
      <div className="delegates-intro">
        <p className="dashboard__muted">{t('delegates.intro')}</p>
        {/* Present from the start, so that screen readers announce what it says next. */}
        <p role="status" className={done ? 'form-message form-message--success' : undefined} data-testid="delegates-status">
          {done}
        </p>
      </div>
      <PeopleListStatus
        load={delegates}
        testId="delegates"
        messages={{
          loading: t('delegates.loading'),
          forbidden: t('delegates.forbidden'),
          error: t('delegates.error'),
          empty: t('delegates.empty'),
        }}
      />
      {removal.error && <FormMessage tone="error">{removal.error}</FormMessage>}
      {delegates.status === 'ready' && delegates.data.length > 0 && (
        <PeopleList
          people={delegates.data}
          testId="delegates"
          badge={() => t('delegates.scope')}
          detail={(d) => t('delegates.since', { date: formatDate(d.since, currentLanguage()) })}
          action={action}
        />
      )}
      {!forbidden && manager && (
        <PendingInvitations coop={coop} kind="delegate" version={version} onCancelled={(l) => setDone(tm('pending.cancelled', { login: l }))} />
      )}
      {!forbidden && !manager && <p className="dashboard__muted">{t('delegates.managersOnly')}</p>}
      {!forbidden && manager && (
        <form className="form member-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="delegate-form">
          <h3 className="dashboard__subheading">{tm('delegates.invite')}</h3>
          <TextField
            id="delegate-login"
            name="login"
            label={tm('delegates.login')}
            hint={tm('delegates.loginHint')}
            value={login}
            onChange={setLogin}
            autoComplete="off"
            required
            error={submit.errors.fields.login}
          />
          {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
          <SubmitButton busy={submit.busy} busyLabel={tm('delegates.sending')}>
            {tm('delegates.submit')}
          </SubmitButton>
        </form>
      )}
    </section>
  );
}
