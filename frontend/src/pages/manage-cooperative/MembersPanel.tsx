import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listMembers, removeMember, type CooperativeMember } from '../../api/cooperatives.ts';
import { inviteMember, leaveCooperative } from '../../api/invitations.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { useSession } from '../../session/SessionContext.ts';
import { hiddenFromViewer, PendingInvitations, PeopleList, PeopleListStatus, RemoveButton } from './PeopleList.tsx';
import { useRemoval } from './useRemoval.ts';

/**
 * MembersPanel lists the cooperative's members. Its managers invite a
 * person by e-mail or phone (the person joins on accepting), see and
 * withdraw the unanswered invitations, and remove a member; any member may
 * leave. Those the server keeps the list from (trade staff who are no
 * delegates) are told so calmly, without the form.
 */
export function MembersPanel({ coop }: { coop: string }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('members');
  const navigate = useNavigate();
  const session = useSession();
  const me = session.status === 'signed-in' ? session.user : null;
  const role = me?.memberships.find((m) => m.cooperative_slug === coop || m.cooperative_id === coop)?.role;
  const manager = role === 'coop_manager';

  const members = useLoad(`members:${coop}`, (signal) => listMembers(coop, signal));
  const [login, setLogin] = useState('');
  const [memberRole, setMemberRole] = useState<'coop_staff' | 'coop_manager'>('coop_staff');
  // done is the last change, announced politely; version reloads the invitations.
  const [done, setDone] = useState('');
  const [version, setVersion] = useState(0);

  const removal = useRemoval(async (member: CooperativeMember) => {
    setDone('');
    if (member.user_id === me?.id) {
      await leaveCooperative(coop, member.user_id);
      // A member who leaves no longer sees this dashboard.
      session.reload();
      await navigate('/quan-ly', { replace: true });
      return;
    }
    await removeMember(coop, member.user_id);
    setDone(tm('members.removed', { name: member.full_name }));
    if (members.status === 'ready') members.replace(members.data.filter((m) => m.user_id !== member.user_id));
  });

  const submit = useSubmit(
    async () => {
      setDone('');
      const sent = await inviteMember(coop, login.trim(), memberRole);
      setLogin('');
      setDone(tm('members.sent', { login: sent.login }));
      setVersion((v) => v + 1);
    },
    { login: 'login', role: 'role' } as Record<string, 'login' | 'role'>,
  );
  const forbidden = hiddenFromViewer(members);

  function action(m: CooperativeMember) {
    if (m.user_id === me?.id) {
      return (
        <RemoveButton label={tm('members.leave')} busy={removal.pending === m.user_id} onClick={() => void removal.remove(m, tm('members.confirmLeave'))}>
          {tm('members.leave')}
        </RemoveButton>
      );
    }
    if (!manager) return null;
    return (
      <RemoveButton
        label={t('members.removeNamed', { name: m.full_name })}
        busy={removal.pending === m.user_id}
        onClick={() => void removal.remove(m, t('members.confirmRemove', { name: m.full_name }))}
      >
        {t('members.remove')}
      </RemoveButton>
    );
  }

  return (
    <section className="dashboard__panel" aria-labelledby="members-title" data-testid="members-panel">
      <h2 id="members-title" className="dashboard__heading">
        {t('members.title')}
      </h2>
      {/* Present from the start, so that screen readers announce what it says next. */}
      <p role="status" className={done ? 'form-message form-message--success' : undefined} data-testid="members-status">
        {done}
      </p>
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
        <PeopleList people={members.data} testId="members" badge={(m) => t(`roles.${m.role}`)} action={action} />
      )}
      {!forbidden && manager && (
        <PendingInvitations coop={coop} kind="member" version={version} onCancelled={(l) => setDone(tm('pending.cancelled', { login: l }))} />
      )}
      {!forbidden && !manager && members.status === 'ready' && <p className="dashboard__muted">{tm('members.managersOnly')}</p>}
      {!forbidden && manager && (
        <form className="form member-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="member-form">
          <h3 className="dashboard__subheading">{tm('members.invite')}</h3>
          <p className="dashboard__muted">{tm('members.inviteIntro')}</p>
          <TextField
            id="member-login"
            name="login"
            label={tm('members.login')}
            hint={tm('members.loginHint')}
            value={login}
            onChange={setLogin}
            autoComplete="off"
            required
            error={submit.errors.fields.login}
          />
          <SelectField
            id="member-role"
            name="role"
            label={tm('members.role')}
            value={memberRole}
            options={[
              { value: 'coop_staff', label: t('roles.coop_staff') },
              { value: 'coop_manager', label: t('roles.coop_manager') },
            ]}
            onChange={(v) => setMemberRole(v === 'coop_manager' ? 'coop_manager' : 'coop_staff')}
            error={submit.errors.fields.role}
          />
          {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
          <SubmitButton busy={submit.busy} busyLabel={tm('members.sending')}>
            {tm('members.submit')}
          </SubmitButton>
        </form>
      )}
    </section>
  );
}
