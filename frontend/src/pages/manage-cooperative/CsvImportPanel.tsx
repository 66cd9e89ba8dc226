import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { importCatalog, type ImportReport } from '../../api/catalog.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { ImportReportTable } from './ImportReportTable.tsx';

/**
 * CsvImportPanel imports the cooperative's catalog from a CSV file: a dry
 * run ("Kiểm tra") reports every bad row without saving; "Nhập" saves the
 * whole file, or nothing when a row is bad.
 */
export function CsvImportPanel({ coop, coopName }: { coop: string; coopName: string }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'check' | 'apply' | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState('');

  async function send(dryRun: boolean) {
    if (!file) {
      setError(t('csvImport.chooseFile'));
      return;
    }
    setBusy(dryRun ? 'check' : 'apply');
    setError('');
    setReport(null);
    try {
      setReport(await importCatalog(coop, file, dryRun));
    } catch (err) {
      // A rejected file (422) answers with its report of bad rows.
      if (err instanceof ApiError && isReport(err.body)) setReport(err.body);
      else setError(problemMessage(err, t));
    } finally {
      setBusy(null);
    }
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send(true);
  };

  return (
    <section className="dashboard__panel" aria-labelledby="csv-title">
      <h2 id="csv-title" className="dashboard__heading">
        {t('csvImport.title')}
      </h2>
      <p className="dashboard__muted">{t('csvImport.intro', { name: coopName })}</p>
      <form className="csv-form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="csv-file" className="field__label">
            {t('csvImport.file')}
          </label>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
              setError('');
            }}
            data-testid="csv-file"
          />
          <p className="field__hint">{t('csvImport.hint')}</p>
        </div>
        <div className="csv-form__buttons">
          <button type="submit" className="button button--secondary" disabled={busy !== null} data-testid="csv-dry-run">
            {busy === 'check' ? t('csvImport.checking') : t('csvImport.check')}
          </button>
          <button type="button" className="button button--primary" disabled={busy !== null} onClick={() => void send(false)} data-testid="csv-apply">
            {busy === 'apply' ? t('csvImport.applying') : t('csvImport.apply')}
          </button>
        </div>
      </form>
      {error && <FormMessage tone="error">{error}</FormMessage>}
      {report && <ImportSummary report={report} />}
    </section>
  );
}

/** ImportSummary says what the import did or would do, with the table of bad rows. */
function ImportSummary({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const counts = { rows: report.rows, created: report.created, updated: report.updated };
  let text: string;
  if (report.error_count > 0) text = t('csvImport.rejected', { count: report.error_count });
  else if (report.applied) text = t('csvImport.applied', counts);
  else text = t('csvImport.checked', counts);
  return (
    <div className="import-summary" data-testid="import-report" data-applied={report.applied}>
      <FormMessage tone={report.error_count > 0 ? 'error' : 'success'}>{text}</FormMessage>
      {report.error_count === 0 && <PackagingCounts report={report} />}
      {report.errors.length > 0 && <ImportReportTable errors={report.errors} total={report.error_count} />}
    </div>
  );
}

/** PackagingCounts says how many products the lines are packagings of, and how many products were merged into others. */
function PackagingCounts({ report }: { report: ImportReport }) {
  const { t } = useTranslation('packaging');
  if (report.products === report.rows && report.merged === 0) return null;
  return (
    <p className="import-summary__packagings" data-testid="import-packagings">
      {t('importCounts', { products: report.products, rows: report.rows })}
      {report.merged > 0 && ` ${t('importMerged', { count: report.merged })}`}
    </p>
  );
}

function isReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as ImportReport).errors) && 'rows' in value;
}
