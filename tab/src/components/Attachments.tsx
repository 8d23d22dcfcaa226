// A ticket's files on its page: name, kind, size, who added it, when and where from; a download through the
// API with the viewer's token; for managers a delete with a reason. A deep link may point at one file.
import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { AttachmentView } from '../../../src/adapters/api/contract';
import { formatSize } from '../../../src/domain/attachments/names';
import { LIMITS } from '../../../src/domain/tickets/limits';
import { deleteFile, downloadFile } from '../api/files';
import { Note, When } from './Bits';
import { kindWord, SOURCE_WORDS } from './file-words';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    alignItems: 'center',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
  },
  highlighted: { border: `2px solid ${tokens.colorBrandStroke1}` },
  info: { display: 'grid', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  meta: { overflowWrap: 'anywhere' },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  surface: { maxWidth: 'min(480px, calc(100vw - 24px))', boxSizing: 'border-box' },
  wide: { width: '100%', minWidth: 0 },
  full: { gridColumn: '1 / -1' },
  oneLine: { whiteSpace: 'nowrap', flexShrink: 0 },
});

function FileRow({
  file: f,
  canDelete,
  highlighted,
  onDelete,
}: {
  readonly file: AttachmentView;
  readonly canDelete: boolean;
  readonly highlighted: boolean;
  readonly onDelete: () => void;
}) {
  const s = useStyles();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const row = useRef<HTMLLIElement>(null);
  // The file a deep link points at: scrolled to, its Download button focused.
  useEffect(() => {
    if (!highlighted) return;
    row.current?.scrollIntoView({ block: 'center' });
    row.current?.querySelector('button')?.focus();
  }, [highlighted]);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadFile(f.href, f.name);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li
      ref={row}
      className={highlighted ? `${s.row} ${s.highlighted}` : s.row}
      data-testid={`file-${f.id}`}
      aria-current={highlighted ? 'true' : undefined}
    >
      <div className={s.info}>
        <Text weight="semibold" className={s.name} title={f.name}>
          {f.name}
        </Text>
        <Caption1 className={s.meta}>
          {kindWord(f.contentType)} · {formatSize(f.size)} · {SOURCE_WORDS[f.source]} by {f.addedBy}
        </Caption1>
        {/* When it was added: the viewer's time over the support zone's, as elsewhere on the page. */}
        <When t={f.addedAt} small />
      </div>
      <div className={s.buttons}>
        <Button
          size="small"
          aria-label={`Download ${f.name}`}
          disabledFocusable={busy}
          onClick={() => void save()}
        >
          {busy ? 'Downloading…' : 'Download'}
        </Button>
        {canDelete && (
          <Button size="small" aria-label={`Delete ${f.name}`} onClick={onDelete}>
            Delete
          </Button>
        )}
      </div>
      {error !== null && (
        <div role="alert" className={s.full}>
          <Note intent="error" testId="file-error">
            {error}
          </Note>
        </div>
      )}
    </li>
  );
}

/** Asks a manager why a file goes, then deletes it; the timeline records the removal with the reason. */
function DeleteFile({
  file,
  onDone,
  onCancel,
}: {
  readonly file: AttachmentView;
  readonly onDone: () => void;
  readonly onCancel: () => void;
}) {
  const s = useStyles();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteFile(file.href, reason.trim());
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Dialog open modalType="modal" onOpenChange={(_e, d) => !d.open && !busy && onCancel()}>
      <DialogSurface className={s.surface} data-testid="delete-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim() !== '' && !busy) void confirm();
          }}
        >
          <DialogBody>
            <DialogTitle>Delete {file.name}?</DialogTitle>
            <DialogContent>
              <Field
                label="Why it is deleted (shown in the timeline)"
                required
                hint="The file is gone for everyone. Staff see its name, who deleted it and why in the timeline; the customer reads that it was removed by support."
              >
                <Input
                  className={s.wide}
                  maxLength={LIMITS.reason}
                  value={reason}
                  autoFocus
                  onChange={(_e, d) => setReason(d.value)}
                  data-testid="delete-reason"
                />
              </Field>
              {error !== null && (
                <div role="alert">
                  <Note intent="error">{error}</Note>
                </div>
              )}
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                type="submit"
                disabled={reason.trim() === ''}
                disabledFocusable={busy}
                className={s.oneLine}
                data-testid="delete-confirm"
              >
                {busy ? 'Deleting…' : 'Delete the file'}
              </Button>
              <Button disabled={busy} className={s.oneLine} onClick={onCancel}>
                Keep it
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

/** The ticket's files; `highlight` is the file a deep link points at. */
export function Attachments({
  files,
  canDelete,
  highlight,
  onChanged,
}: {
  readonly files: readonly AttachmentView[];
  readonly canDelete: boolean;
  readonly highlight?: string | undefined;
  readonly onChanged: () => void;
}) {
  const s = useStyles();
  const [deleting, setDeleting] = useState<AttachmentView | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const missing = highlight !== undefined && !files.some((f) => f.id === highlight);
  const gone = useRef<HTMLDivElement>(null);
  // A deep link to a file no longer there: the notice saying so is scrolled to and focused, as the file
  // would have been.
  useEffect(() => {
    if (!missing) return;
    gone.current?.scrollIntoView({ block: 'center' });
    gone.current?.focus();
  }, [missing]);
  return (
    <section aria-labelledby="files-title" data-testid="files">
      <h3 id="files-title">Files ({files.length})</h3>
      {missing && (
        <div ref={gone} tabIndex={-1} role="status" data-testid="file-gone">
          <Note intent="error">The file this link points to is no longer available.</Note>
        </div>
      )}
      {deleted !== null && (
        <Note intent="success" testId="file-deleted">
          {deleted} deleted; the timeline records why.
        </Note>
      )}
      {files.length === 0 ? (
        <Caption1>No files on this ticket.</Caption1>
      ) : (
        <ul className={s.list}>
          {files.map((f) => (
            <FileRow
              key={f.id}
              file={f}
              canDelete={canDelete}
              highlighted={f.id === highlight}
              onDelete={() => setDeleting(f)}
            />
          ))}
        </ul>
      )}
      {deleting !== null && (
        <DeleteFile
          file={deleting}
          onCancel={() => setDeleting(null)}
          onDone={() => {
            setDeleted(deleting.name);
            setDeleting(null);
            onChanged();
          }}
        />
      )}
    </section>
  );
}
