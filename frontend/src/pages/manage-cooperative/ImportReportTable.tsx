import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../api/catalog.ts';

/** ImportReportTable lists the bad cells of a CSV file: line, column and what is wrong. */
export function ImportReportTable({ errors, total }: { errors: ImportReport['errors']; total: number }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="import-errors">
        <caption className="import-errors__caption">
          {total > errors.length ? t('csvImport.someErrors', { shown: errors.length, total }) : t('csvImport.errorsCaption')}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="data-table__num">
              {t('csvImport.line')}
            </th>
            <th scope="col">{t('csvImport.column')}</th>
            <th scope="col">{t('csvImport.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={`${e.line}-${e.column ?? ''}-${i}`} data-testid="import-error-row">
              <td className="data-table__num">{e.line}</td>
              <td>
                <code>{e.column || '—'}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
