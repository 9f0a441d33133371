import { useState } from 'preact/hooks';
import { call } from './api.js';
import { ErrorBox } from './Common.jsx';
import { FORMATS, format, parse, specDiff } from './specText.js';

/**
 * Edit the stored spec as JSON or YAML, review the diff against the stored spec, then apply it with
 * PUT and If-Match: a spec changed by someone else meanwhile is refused (412), not overwritten.
 */
export function SpecEditor({ path, stored, etag, onApplied }) {
  const [fmt, setFmt] = useState('json');
  const [text, setText] = useState(() => format(stored, 'json'));
  const [review, setReview] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);

  const switchFormat = (next) => {
    const value = parse(text, fmt);
    if (value instanceof Error) return setError(value);
    setFmt(next);
    setText(format(value, next));
    setError(null);
  };
  const reviewChanges = () => {
    const value = parse(text, fmt);
    setNotice(null);
    if (value instanceof Error) return setError(value);
    setError(null);
    setReview({ value, lines: specDiff(stored, value) });
  };
  const apply = async () => {
    try {
      await call('PUT', path, { body: review.value, ifMatch: etag });
      setReview(null);
      setNotice('Applied.');
      onApplied();
    } catch (e) {
      setError(e.status === 412 ? { code: e.code, message: 'the spec changed since it was loaded: reload the page and edit again' } : e);
    }
  };
  const changed = review && review.lines.some((l) => l.kind !== 'same');
  return (
    <div class="editor">
      <div class="toolbar">
        {FORMATS.map((f) => (
          <label key={f}><input type="radio" name="fmt" checked={fmt === f} onChange={() => switchFormat(f)} data-testid={`format-${f}`} /> {f.toUpperCase()}</label>
        ))}
        <button onClick={() => { setText(format(stored, fmt)); setReview(null); setError(null); }}>Reset</button>
        <button onClick={reviewChanges} data-testid="review">Review changes</button>
      </div>
      <textarea value={text} rows={Math.min(30, text.split('\n').length + 2)} spellcheck={false}
        onInput={(e) => { setText(e.currentTarget.value); setReview(null); }} data-testid="spec-text" />
      <ErrorBox error={error} />
      {notice && <p class="notice" data-testid="notice">{notice}</p>}
      {review && (
        <div class="review">
          <p class="muted">What applying changes, against the stored spec (both shown as JSON):</p>
          <pre class="diff" data-testid="diff">
            {review.lines.map((l, i) => <div key={i} class={`diff-${l.kind}`}>{{ add: '+ ', remove: '- ', same: '  ' }[l.kind]}{l.text}</div>)}
          </pre>
          {changed ? <button class="primary" onClick={apply} data-testid="apply">Apply</button>
            : <p class="muted">No change to apply.</p>}
        </div>
      )}
    </div>
  );
}
