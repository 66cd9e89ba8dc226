import { Fragment } from 'react';

/**
 * Highlighted shows a text the server marked up: the matches wrapped in
 * <mark>, everything else HTML-escaped. It splits on the mark tags and
 * decodes the escapes itself, so nothing the server sends is parsed as
 * HTML. Without a marked-up text it shows the plain one.
 */
export function Highlighted({ marked, plain }: { marked: string | undefined; plain: string }) {
  if (!marked) return <>{plain}</>;
  return (
    <>
      {splitMarks(marked).map((part, i) =>
        part.mark ? <mark key={i}>{part.text}</mark> : <Fragment key={i}>{part.text}</Fragment>,
      )}
    </>
  );
}

/** splitMarks cuts "a <mark>b</mark> c" into [{a}, {b, mark}, {c}], unescaping each part. */
export function splitMarks(marked: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  let inside = false;
  for (const piece of marked.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') inside = true;
    else if (piece === '</mark>') inside = false;
    else if (piece !== '') parts.push({ text: unescapeHTML(piece), mark: inside });
  }
  return parts;
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function unescapeHTML(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[ref.toLowerCase()] ?? whole;
  });
}
