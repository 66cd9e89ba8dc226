import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { AdminFrame } from './AdminFrame.tsx';
import { Confirm } from './Confirm.tsx';
import { createSynonyms, deleteSynonyms, listSynonyms, updateSynonyms, type SynonymGroup } from './adminApi.ts';

/** splitTerms reads "chè, trà" as the words of a group, without blanks or repeats. */
export function splitTerms(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,;\n]/)) {
    const term = part.trim().replace(/\s+/g, ' ');
    const key = term.toLocaleLowerCase('vi');
    if (term && !seen.has(key)) {
      seen.add(key);
      out.push(term);
    }
  }
  return out;
}

/** AdminSynonymsPage is /quan-tri/tu-dong-nghia: the synonym groups search applies, to add, edit and delete. */
export function AdminSynonymsPage() {
  const { t } = useTranslation('admin');
  return <AdminFrame title={t('sections.synonyms')}>{() => <Synonyms />}</AdminFrame>;
}

function Synonyms() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const groups = useLoad('synonyms', listSynonyms);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const terms = splitTerms(text);
    setDone('');
    if (terms.length < 2) {
      setError(t('synonyms.tooFew'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const g = await createSynonyms(terms);
      if (groups.status === 'ready') groups.replace([...groups.data, g]);
      setText('');
      setDone(t('synonyms.added', { terms: g.terms.join(', ') }));
    } catch (err) {
      setError(problemMessage(err, tc));
    } finally {
      setBusy(false);
    }
  }

  const replace = (change: (items: SynonymGroup[]) => SynonymGroup[]) => {
    if (groups.status === 'ready') groups.replace(change(groups.data));
  };

  return (
    <>
      <p className="admin__intro">{t('synonyms.intro')}</p>
      <form className="admin-filters" onSubmit={(e) => void add(e)} noValidate data-testid="synonym-new">
        <div className="field admin-filters__grow">
          <label className="field__label" htmlFor="synonym-new">
            {t('synonyms.new')} — {t('synonyms.terms')}
          </label>
          <input
            id="synonym-new"
            className="field__input"
            value={text}
            maxLength={500}
            placeholder="na, mãng cầu"
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('synonyms.add')}
        </button>
      </form>
      {error && <FormMessage tone="error">{error}</FormMessage>}
      {done && <FormMessage tone="success">{done}</FormMessage>}
      {groups.status === 'loading' && <LoadingMessage>{t('synonyms.loading')}</LoadingMessage>}
      {groups.status === 'error' && <ErrorMessage title={t('synonyms.error')} error={groups.error} onRetry={groups.retry} />}
      {groups.status === 'ready' && groups.data.length === 0 && <EmptyMessage testId="synonyms-empty">{t('synonyms.empty')}</EmptyMessage>}
      {groups.status === 'ready' && groups.data.length > 0 && (
        <>
          <p className="admin-card__meta">{t('synonyms.count', { count: groups.data.length })}</p>
          <ul className="admin-list">
            {groups.data.map((g) => (
              <SynonymItem
                key={g.id}
                group={g}
                onSaved={(saved) => replace((items) => items.map((x) => (x.id === saved.id ? saved : x)))}
                onDeleted={(gone) => {
                  replace((items) => items.filter((x) => x.id !== gone.id));
                  setDone(t('synonyms.deleted', { terms: gone.terms.join(', ') }));
                }}
              />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function SynonymItem({
  group,
  onSaved,
  onDeleted,
}: {
  group: SynonymGroup;
  onSaved: (g: SynonymGroup) => void;
  onDeleted: (g: SynonymGroup) => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [text, setText] = useState(group.terms.join(', '));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const inputID = `synonym-${group.id}`;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const terms = splitTerms(text);
    if (terms.length < 2) {
      setError(t('synonyms.tooFew'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const saved = await updateSynonyms(group.id, terms);
      onSaved(saved);
      setEditing(false);
      setDone(t('synonyms.saved', { terms: saved.terms.join(', ') }));
    } catch (err) {
      setError(problemMessage(err, tc));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError('');
    try {
      await deleteSynonyms(group.id);
      onDeleted(group);
    } catch (err) {
      setError(problemMessage(err, tc));
      setBusy(false);
      setDeleting(false);
    }
  }

  return (
    <li className="admin-card" data-testid="synonym-group">
      {editing ? (
        <form className="admin-filters" onSubmit={(e) => void save(e)} noValidate>
          <div className="field admin-filters__grow">
            <label className="field__label" htmlFor={inputID}>
              {t('synonyms.terms')}
            </label>
            <input id={inputID} className="field__input" value={text} maxLength={500} onChange={(e) => setText(e.target.value)} />
          </div>
          <button type="submit" className="button button--primary button--small" disabled={busy}>
            {t('synonyms.save')}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => {
              setEditing(false);
              setText(group.terms.join(', '));
              setError('');
            }}
          >
            {t('synonyms.cancel')}
          </button>
        </form>
      ) : (
        <div className="admin-card__head">
          <ul className="chips">
            {group.terms.map((term) => (
              <li key={term} className="chip">
                {term}
              </li>
            ))}
          </ul>
          {!deleting && (
            <div className="admin-card__actions">
              <button type="button" className="button button--secondary button--small" onClick={() => setEditing(true)} data-testid="synonym-edit">
                {t('synonyms.edit')}
              </button>
              <button type="button" className="button button--danger button--small" onClick={() => setDeleting(true)} data-testid="synonym-delete">
                {t('synonyms.delete')}
              </button>
            </div>
          )}
        </div>
      )}
      {deleting && (
        <Confirm
          question={t('synonyms.confirmDelete', { terms: group.terms.join(', ') })}
          yes={t('synonyms.delete')}
          no={t('synonyms.cancel')}
          danger
          busy={busy}
          onYes={() => void remove()}
          onNo={() => setDeleting(false)}
          testId="synonym-confirm"
        />
      )}
      {error && <FormMessage tone="error">{error}</FormMessage>}
      {done && <FormMessage tone="success">{done}</FormMessage>}
    </li>
  );
}
