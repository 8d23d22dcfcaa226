// Files for a reply: chosen or dropped, checked in the browser by the same rules as the server (type, size,
// the ticket's room), uploaded one by one with progress when the reply is sent. The reply goes only when
// every file went; a file that failed says why and the reply waits, so it never names a file that is not there.
import { Button, Caption1, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState, type DragEvent } from 'react';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from '../../../src/domain/attachments/model';
import { formatSize } from '../../../src/domain/attachments/names';
import { checkFile } from '../../../src/domain/attachments/rules';
import { ALLOWED } from '../../../src/domain/attachments/types';
import { uploadFile } from '../api/files';
import { Note } from './Bits';

type State =
  | { readonly kind: 'ready' }
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'uploading'; readonly sent: number }
  | { readonly kind: 'failed'; readonly why: string }
  | { readonly kind: 'sent'; readonly id: string };

interface Item {
  readonly key: number;
  readonly file: File;
  /** The name it is stored under (cleaned as the server cleans it). */
  readonly name: string;
  readonly state: State;
}

/** A ticket's room for files: how many it has now and the desk's limits. */
export interface FileRoom {
  readonly ticketId: string;
  readonly count: number;
  readonly limits?: AttachmentLimits | undefined;
}

export interface ReplyFiles {
  readonly room: FileRoom;
  readonly items: readonly Item[];
  readonly problem: string | null;
  add(files: readonly File[]): void;
  remove(key: number): void;
  clear(): void;
  /**
   * Uploads what is not sent yet: the ids of all the reply's files and the ticket's version after the uploads
   * when nobody else changed it meanwhile (`seen` is the version the viewer saw); null when a file failed.
   */
  upload(seen: number): Promise<{ ids: string[]; version: number } | null>;
}

/** The reply form's files for a ticket. */
export function useReplyFiles(room: FileRoom): ReplyFiles {
  const [items, setItems] = useState<readonly Item[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const next = useRef(0);
  const limits = room.limits ?? DEFAULT_ATTACHMENT_LIMITS;
  const patch = (key: number, state: State) =>
    setItems((xs) => xs.map((x) => (x.key === key ? { ...x, state } : x)));

  const add = (files: readonly File[]) => {
    setProblem(null);
    setItems((xs) => {
      let taken = xs.filter((x) => x.state.kind !== 'refused').length;
      const added = files.map((file): Item => {
        const checked = checkFile(file.name, file.type, file.size, limits);
        const key = next.current++;
        if (!checked.ok)
          return { key, file, name: file.name, state: { kind: 'refused', why: checked.error.message } };
        const name = checked.value.name;
        if (room.count + taken >= limits.maxPerTicket) {
          const why =
            room.count >= limits.maxPerTicket
              ? `${room.ticketId} already has ${limits.maxPerTicket} files, the limit.`
              : `${name} would pass the limit of ${limits.maxPerTicket} files on ${room.ticketId}.`;
          return { key, file, name, state: { kind: 'refused', why } };
        }
        taken++;
        return { key, file, name, state: { kind: 'ready' } };
      });
      return [...xs, ...added];
    });
  };

  const upload = async (seen: number): Promise<{ ids: string[]; version: number } | null> => {
    setProblem(null);
    const refused = items.filter((x) => x.state.kind === 'refused');
    if (refused.length > 0) {
      const names = refused.map((x) => x.name).join(', ');
      setProblem(`Remove ${names} first: ${refused.length === 1 ? 'it' : 'they'} cannot be sent.`);
      return null;
    }
    const ids: string[] = [];
    let failed = 0;
    // Each file added is one change of the ticket; any other change meanwhile keeps `seen`, so the reply is
    // refused as stale (saying who changed it) rather than sent over a change the viewer has not seen.
    let version = seen;
    for (const item of items) {
      if (item.state.kind === 'sent') {
        ids.push(item.state.id);
        continue;
      }
      patch(item.key, { kind: 'uploading', sent: 0 });
      try {
        const added = await uploadFile(room.ticketId, item.file, (sent) =>
          patch(item.key, { kind: 'uploading', sent }),
        );
        patch(item.key, { kind: 'sent', id: added.attachment.id });
        ids.push(added.attachment.id);
        if (added.version === version + 1) version = added.version;
      } catch (e) {
        failed++;
        patch(item.key, { kind: 'failed', why: e instanceof Error ? e.message : String(e) });
      }
    }
    if (failed === 0) return { ids, version };
    setProblem(
      `${failed === 1 ? 'A file was' : `${failed} files were`} not uploaded, so the reply has not been sent. ` +
        'Remove it or try again; the files already uploaded are not sent twice.',
    );
    return null;
  };

  return {
    room,
    items,
    problem,
    add,
    remove: (key) => {
      setProblem(null);
      setItems((xs) => xs.filter((x) => x.key !== key));
    },
    clear: () => {
      setProblem(null);
      setItems([]);
    },
    upload,
  };
}

const useStyles = makeStyles({
  zone: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0,
  },
  over: { border: `1px dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  pick: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  item: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    alignItems: 'center',
    gap: tokens.spacingVerticalXXS,
    minWidth: 0,
  },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  full: { gridColumn: '1 / -1', minWidth: 0 },
});

/** What the system's file chooser offers: the accepted extensions (the server checks the type again). */
export const ACCEPT = Object.keys(ALLOWED)
  .map((ext) => `.${ext}`)
  .join(',');

/**
 * A chosen file's size, as its refusal says it: rounded up once past the limit (so it never reads as the
 * limit itself), rounded as the ticket's file list rounds it otherwise.
 */
export const chosenSize = (bytes: number, maxBytes: number): string => formatSize(bytes, bytes > maxBytes);

const STATE_WORDS: Readonly<Record<State['kind'], string>> = {
  ready: 'goes with the reply',
  refused: 'cannot be sent',
  uploading: 'uploading',
  failed: 'not uploaded',
  sent: 'uploaded',
};

/** The reply form's file chooser and drop zone, and each file's state. */
export function FilePicker({ files, busy }: { readonly files: ReplyFiles; readonly busy: boolean }) {
  const s = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const limits = files.room.limits ?? DEFAULT_ATTACHMENT_LIMITS;
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!busy) files.add(Array.from(e.dataTransfer.files));
  };
  return (
    <div
      className={over ? `${s.zone} ${s.over}` : s.zone}
      role="group"
      aria-label="Files for the reply"
      data-testid="reply-files"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <div className={s.pick}>
        <Button disabled={busy} onClick={() => input.current?.click()} data-testid="choose-files">
          Attach files
        </Button>
        <Caption1>
          or drop them here · up to {formatSize(limits.maxBytes)} each, {limits.maxPerTicket} a ticket
        </Caption1>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          data-testid="file-input"
          onChange={(e) => {
            files.add(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
      </div>
      {files.items.length > 0 && (
        <ul className={s.list} aria-label="Chosen files">
          {files.items.map((x) => (
            <li key={x.key} className={s.item} data-testid="reply-file" data-state={x.state.kind}>
              <Text className={s.name} title={x.name}>
                {x.name} · {chosenSize(x.file.size, limits.maxBytes)} · {STATE_WORDS[x.state.kind]}
              </Text>
              {x.state.kind !== 'sent' && x.state.kind !== 'uploading' && (
                <Button
                  size="small"
                  disabled={busy}
                  aria-label={`Remove ${x.name}`}
                  onClick={() => files.remove(x.key)}
                >
                  Remove
                </Button>
              )}
              {x.state.kind === 'uploading' && (
                <ProgressBar className={s.full} value={x.state.sent} aria-label={`Uploading ${x.name}`} />
              )}
              {(x.state.kind === 'refused' || x.state.kind === 'failed') && (
                <div className={s.full} role="alert">
                  <Note intent="error" testId="reply-file-error">
                    {x.state.why}
                  </Note>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {files.problem !== null && (
        <div role="alert">
          <Note intent="error" testId="reply-files-problem">
            {files.problem}
          </Note>
        </div>
      )}
    </div>
  );
}
