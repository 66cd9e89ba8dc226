import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addMember, listMembers, removeMember, type CooperativeMember } from '../../api/cooperatives.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { formatPhone } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';

/** MembersPanel lists the cooperative's members, adds one by e-mail or phone, and removes one. */
export function MembersPanel({ coop }: { coop: string }) {
  const { t } = useTranslation();
  const members = useLoad(`members:${coop}`, (signal) => listMembers(coop, signal));
  const [login, setLogin] = useState('');
  const [role, setRole] = useState<'coop_staff' | 'coop_manager'>('coop_staff');
  const [removeError, setRemoveError] = useState('');

  const submit = useSubmit(
    async () => {
      await addMember(coop, login.trim(), role);
      setLogin('');
      members.retry();
    },
    { login: 'login', role: 'role' } as Record<string, 'login' | 'role'>,
  );

  async function remove(member: CooperativeMember) {
    if (!window.confirm(t('members.confirmRemove', { name: member.full_name }))) return;
    setRemoveError('');
    try {
      await removeMember(coop, member.user_id);
      members.retry();
    } catch (err) {
      setRemoveError(problemMessage(err, t));
    }
  }

  return (
    <section className="dashboard__panel" aria-labelledby="members-title">
      <h2 id="members-title" className="dashboard__heading">
        {t('members.title')}
      </h2>
      {members.status === 'loading' && <LoadingMessage>{t('members.loading')}</LoadingMessage>}
      {members.status === 'error' && <ErrorMessage title={t('members.error')} error={members.error} onRetry={members.retry} />}
      {members.status === 'ready' && members.data.length === 0 && <EmptyMessage>{t('members.empty')}</EmptyMessage>}
      {removeError && <FormMessage tone="error">{removeError}</FormMessage>}
      {members.status === 'ready' && members.data.length > 0 && (
        <ul className="member-list" data-testid="members">
          {members.data.map((m) => (
            <li key={m.user_id} className="member-list__item">
              <div>
                <p className="member-list__name">{m.full_name}</p>
                <p className="member-list__contact">{[m.email, m.phone ? formatPhone(m.phone) : ''].filter(Boolean).join(' · ')}</p>
              </div>
              <span className="chip">{t(`roles.${m.role}`)}</span>
              <button
                type="button"
                className="button button--danger button--small"
                onClick={() => void remove(m)}
                aria-label={t('members.removeNamed', { name: m.full_name })}
              >
                {t('members.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form member-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit}>
        <h3 className="dashboard__subheading">{t('members.add')}</h3>
        <TextField
          id="member-login"
          name="login"
          label={t('members.login')}
          hint={t('members.loginHint')}
          value={login}
          onChange={setLogin}
          required
          error={submit.errors.fields.login}
        />
        <SelectField
          id="member-role"
          name="role"
          label={t('members.role')}
          value={role}
          options={[
            { value: 'coop_staff', label: t('roles.coop_staff') },
            { value: 'coop_manager', label: t('roles.coop_manager') },
          ]}
          onChange={(v) => setRole(v === 'coop_manager' ? 'coop_manager' : 'coop_staff')}
          error={submit.errors.fields.role}
        />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('members.adding')}>
          {t('members.addSubmit')}
        </SubmitButton>
      </form>
    </section>
  );
}
