import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addMember, listMembers, removeMember, type CooperativeMember } from '../../api/cooperatives.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { hiddenFromViewer, PeopleList, PeopleListStatus, RemoveButton } from './PeopleList.tsx';
import { useRemoval } from './useRemoval.ts';

/**
 * MembersPanel lists the cooperative's members, adds one by e-mail or phone,
 * and removes one. Those the server keeps the list from (trade staff who are
 * no delegates) are told so calmly, without the form.
 */
export function MembersPanel({ coop }: { coop: string }) {
  const { t } = useTranslation();
  const members = useLoad(`members:${coop}`, (signal) => listMembers(coop, signal));
  const [login, setLogin] = useState('');
  const [role, setRole] = useState<'coop_staff' | 'coop_manager'>('coop_staff');
  const removal = useRemoval(async (member: CooperativeMember) => {
    await removeMember(coop, member.user_id);
    members.retry();
  });

  const submit = useSubmit(
    async () => {
      await addMember(coop, login.trim(), role);
      setLogin('');
      members.retry();
    },
    { login: 'login', role: 'role' } as Record<string, 'login' | 'role'>,
  );
  const forbidden = hiddenFromViewer(members);

  return (
    <section className="dashboard__panel" aria-labelledby="members-title">
      <h2 id="members-title" className="dashboard__heading">
        {t('members.title')}
      </h2>
      <PeopleListStatus
        load={members}
        testId="members"
        messages={{
          loading: t('members.loading'),
          forbidden: t('members.forbidden'),
          error: t('members.error'),
          empty: t('members.empty'),
        }}
      />
      {removal.error && <FormMessage tone="error">{removal.error}</FormMessage>}
      {members.status === 'ready' && members.data.length > 0 && (
        <PeopleList
          people={members.data}
          testId="members"
          badge={(m) => t(`roles.${m.role}`)}
          action={(m) => (
            <RemoveButton
              label={t('members.removeNamed', { name: m.full_name })}
              busy={removal.pending === m.user_id}
              onClick={() => void removal.remove(m, t('members.confirmRemove', { name: m.full_name }))}
            >
              {t('members.remove')}
            </RemoveButton>
          )}
        />
      )}
      {!forbidden && (
        <form className="form member-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="member-form">
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
      )}
    </section>
  );
}
