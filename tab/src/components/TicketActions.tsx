// What staff can do to a ticket from its page: the channel's buttons, the same commands (POST
// /api/tickets/:id/actions). Only what the ticket's state allows is offered; each submit sends the version
// the viewer saw and a request id that a retry reuses, so a lost answer never does anything twice.
import { Button, Field, Input, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import type {
  StaffPeople,
  TicketAction,
  TicketActionName,
  TicketDetail,
  TicketFull,
} from '../../../src/adapters/api/contract';
import { LIMITS } from '../../../src/domain/tickets/limits';
import { postJson, requestId } from '../api/client';
import { useApi } from '../api/useApi';
import { Note, Pending } from './Bits';
import { Options } from './Fields';
import { DeliveryNotes, useDeliveries } from './Delivery';
import { FilePicker, useReplyFiles, type FileRoom } from './FilePicker';
import { PriorityChange } from './PriorityChange';

type Form = Exclude<TicketActionName, 'take' | 'acknowledge'>;
type TextName = 'text' | 'reason' | 'release';

interface TextSpec {
  readonly name: TextName;
  readonly label: string;
  readonly max: number;
  readonly required: boolean;
  readonly multiline: boolean;
}

interface FormSpec {
  /** The button that opens the form. */
  readonly button: string;
  /** The submit button. */
  readonly submit: string;
  /** What the success message says was done. */
  readonly done: string;
  readonly texts: readonly TextSpec[];
}

const message = (label: string, required = true): TextSpec => ({
  name: 'text',
  label,
  max: LIMITS.message,
  required,
  multiline: true,
});
const reason = (label: string, required: boolean): TextSpec => ({
  name: 'reason',
  label,
  max: LIMITS.reason,
  required,
  multiline: false,
});

const FORMS: Readonly<Record<Form, FormSpec>> = {
  assign: { button: 'Assign', submit: 'Assign', done: 'Assigned.', texts: [] },
  reply: {
    button: 'Reply',
    submit: 'Send reply',
    done: 'Reply saved.',
    texts: [message('Reply to the customer')],
  },
  ask: {
    button: 'Ask for information',
    submit: 'Ask the customer',
    done: 'Question saved; the clocks stop until the customer answers.',
    texts: [message('Question for the customer')],
  },
  priority: {
    button: 'Change priority',
    submit: 'Review the change',
    done: 'Priority changed.',
    texts: [reason('Reason for the change', true)],
  },
  workaround: {
    button: 'Work-around',
    submit: 'Send work-around',
    done: 'Work-around saved.',
    texts: [message('Work-around for the customer')],
  },
  fix: {
    button: 'Fix',
    submit: 'Record the fix',
    done: 'Permanent fix recorded.',
    texts: [
      { name: 'release', label: 'Release', max: LIMITS.release, required: true, multiline: false },
      message('What was fixed (optional)', false),
    ],
  },
  resolve: {
    button: 'Resolve',
    submit: 'Resolve',
    done: 'Resolved.',
    texts: [message('Resolution for the customer (optional)', false)],
  },
  reopen: {
    button: 'Reopen',
    submit: 'Reopen',
    done: 'Reopened.',
    texts: [reason('Why it is reopened (optional)', false)],
  },
  note: {
    button: 'Internal note',
    submit: 'Add note',
    done: 'Note added (staff only).',
    texts: [message('Internal note (staff only)')],
  },
};

const ORDER: readonly Form[] = [
  'reply',
  'ask',
  'workaround',
  'priority',
  'assign',
  'fix',
  'resolve',
  'reopen',
  'note',
];

/** What the ticket's state allows, as the commands check it. */
function allowed(action: TicketActionName, t: TicketFull): boolean {
  const ended = t.status === 'resolved' || t.status === 'closed';
  switch (action) {
    case 'take':
      // An owned ticket is taken over with Assign, as in the channel.
      return t.open && t.owner === null;
    case 'acknowledge':
      // The on-call chain is paging for this ticket and nobody has acknowledged it yet.
      return t.open && t.pageAwaitingAck !== null;
    case 'fix':
      return t.status !== 'closed';
    case 'reopen':
      return ended;
    case 'note':
      return true;
    default:
      return t.open;
  }
}

const useStyles = makeStyles({
  root: {
    display: 'grid',
    gap: tokens.spacingVerticalM,
    margin: `${tokens.spacingVerticalL} 0`,
    minWidth: 0,
  },
  bar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  form: {
    display: 'grid',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
  },
  wide: { width: '100%', minWidth: 0, boxSizing: 'border-box' },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

export function TicketActions({
  ticket: t,
  files: room,
  lastSeq,
  onChanged,
}: {
  readonly ticket: TicketFull;
  /** The newest event the viewer has seen: what an action tells the customer comes after it. */
  readonly lastSeq: number;
  /** The ticket's files now and the limits, for files sent with a reply. */
  readonly files: FileRoom;
  /** Reads the ticket again (after a change, or when the server says it changed). */
  readonly onChanged: () => void;
}) {
  const s = useStyles();
  const [form, setForm] = useState<Form | null>(null);
  const [values, setValues] = useState<Readonly<Record<string, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [watch, setWatch] = useState<{ readonly since: number } | null>(null);
  const deliveries = useDeliveries(t.id, watch, onChanged);
  // One request id per action, kept until the server has applied it: a retry after a lost answer sends the
  // same one (and is applied once); the next action of that kind gets a fresh one.
  const keys = useRef(new Map<TicketActionName, string>());
  const keyFor = (action: TicketActionName): string => {
    const known = keys.current.get(action);
    if (known !== undefined) return known;
    const made = requestId();
    keys.current.set(action, made);
    return made;
  };
  const replyFiles = useReplyFiles(room);
  const [people] = useApi<StaffPeople>(form === 'assign' ? '/api/staff' : null);
  // Where focus goes after a success (the form and its button are gone): the button of the action done; once
  // the ticket is read again and that button is no longer offered (Take, Resolve, Reopen), the bar's first.
  const bar = useRef<HTMLDivElement>(null);
  const [land, setLand] = useState<{ readonly action: TicketActionName; readonly version: number } | null>(
    null,
  );
  // Leaving the priority dialog without a change gives focus back to the button that opened it.
  const formRef = useRef<HTMLFormElement>(null);
  const [backToReview, setBackToReview] = useState(false);
  useEffect(() => {
    if (reviewing || !backToReview) return;
    formRef.current?.querySelector<HTMLElement>('button[type="submit"]')?.focus();
    setBackToReview(false);
  }, [reviewing, backToReview]);
  // A form cancelled gives focus back to the button that opened it.
  const [cancelled, setCancelled] = useState<Form | null>(null);
  useEffect(() => {
    if (cancelled === null) return;
    bar.current?.querySelector<HTMLElement>(`[data-testid="action-${cancelled}"]`)?.focus();
    setCancelled(null);
  }, [cancelled]);
  useEffect(() => {
    if (land === null || bar.current === null) return;
    const own = bar.current.querySelector<HTMLElement>(`[data-testid="action-${land.action}"]`);
    if (t.version === land.version) {
      own?.focus();
      return;
    }
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost) (own ?? bar.current.querySelector<HTMLElement>('button'))?.focus();
    setLand(null);
  }, [land, t.version]);

  const open = (f: Form | null) => {
    setForm(f);
    setValues(f === 'priority' ? { to: t.priority === 'P1' ? 'P2' : 'P1' } : {});
    setError(null);
    setDone(null);
    setReviewing(false);
    replyFiles.clear();
  };

  const send = async (action: TicketAction, said: string): Promise<void> => {
    setBusy(true);
    setError(null);
    setDone(null);
    setWatch(null);
    const since = lastSeq;
    try {
      // A reply's files go first; if one fails, the reply is not sent (the picker says which and why).
      const sent =
        action.action === 'reply' && replyFiles.items.length > 0
          ? await replyFiles.upload(t.version)
          : { ids: [], version: t.version };
      if (sent === null) return;
      const files = sent.ids;
      await postJson<TicketDetail>(`/api/tickets/${encodeURIComponent(t.id)}/actions`, {
        ...action,
        ...(files.length > 0 ? { attachments: files } : {}),
        requestId: keyFor(action.action),
        version: sent.version,
      });
      keys.current.delete(action.action);
      setForm(null);
      setValues({});
      setReviewing(false);
      replyFiles.clear();
      setDone(
        files.length > 0
          ? `${said} ${files.length === 1 ? '1 file' : `${files.length} files`} attached.`
          : said,
      );
      setLand({ action: action.action, version: t.version });
      // Whatever it tells the customer is delivered after this answer: the notes below follow it.
      setWatch({ since });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      // After a success, and after a refusal (someone else changed it): show the ticket as it is now.
      onChanged();
    }
  };

  const v = (name: string): string => values[name] ?? '';
  const set = (name: string) => (value: string) => {
    setValues((x) => ({ ...x, [name]: value }));
  };

  const actionOf = (f: Form): TicketAction => {
    switch (f) {
      case 'assign':
        return { action: 'assign', to: v('to') };
      case 'priority':
        return { action: 'priority', to: v('to') as 'P1' | 'P2' | 'P3', reason: v('reason') };
      case 'fix':
        return { action: 'fix', release: v('release'), ...(v('text') === '' ? {} : { text: v('text') }) };
      case 'resolve':
        return { action: 'resolve', ...(v('text') === '' ? {} : { text: v('text') }) };
      case 'reopen':
        return { action: 'reopen', ...(v('reason') === '' ? {} : { reason: v('reason') }) };
      default:
        return { action: f, text: v('text') };
    }
  };

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (form === null || busy) return;
    if (form === 'priority') {
      setError(null);
      setReviewing(true);
      return;
    }
    void send(actionOf(form), FORMS[form].done);
  };

  // A form whose action the ticket no longer allows (it changed meanwhile) is not offered, except the one the
  // server just refused: it stays open with its text beside the error, so nothing typed is lost.
  const spec = form === null || (!allowed(form, t) && error === null) ? undefined : FORMS[form];
  return (
    <section className={s.root} aria-label="Actions">
      <div ref={bar} className={s.bar} role="group" aria-label={`Act on ${t.id}`}>
        {allowed('take', t) && (
          <Button
            appearance="primary"
            disabledFocusable={busy}
            data-testid="action-take"
            onClick={() => {
              open(null);
              void send({ action: 'take' }, 'You own it now.');
            }}
          >
            Take ownership
          </Button>
        )}
        {allowed('acknowledge', t) && (
          <Button
            disabledFocusable={busy}
            data-testid="action-acknowledge"
            onClick={() => {
              open(null);
              void send({ action: 'acknowledge' }, 'Page acknowledged: the on-call chain stops.');
            }}
          >
            Acknowledge page
          </Button>
        )}
        {ORDER.filter((f) => allowed(f, t)).map((f) => (
          <Button
            key={f}
            disabledFocusable={busy}
            aria-expanded={form === f}
            aria-controls={form === f ? 'ticket-action-form' : undefined}
            appearance={form === f ? 'primary' : 'secondary'}
            data-testid={`action-${f}`}
            onClick={() => open(form === f ? null : f)}
          >
            {FORMS[f].button}
          </Button>
        ))}
      </div>
      {done !== null && (
        <Note intent="success" testId="action-done">
          {done}
        </Note>
      )}
      <DeliveryNotes views={deliveries} />
      {error !== null && !reviewing && (
        <div role="alert">
          <Note intent="error" testId="action-error">
            {error}
          </Note>
        </div>
      )}
      {form !== null && spec !== undefined && (
        <form
          ref={formRef}
          id="ticket-action-form"
          className={s.form}
          onSubmit={submit}
          aria-label={spec.button}
          data-testid={`form-${form}`}
        >
          {form === 'assign' &&
            (people.kind === 'ready' ? (
              <Field label="Assign to" required>
                <Select
                  className={s.wide}
                  value={v('to')}
                  autoFocus
                  onChange={(_e, d) => set('to')(d.value)}
                  data-testid="assign-to"
                >
                  <option value="">Pick someone</option>
                  <Options
                    of={people.data.people
                      .filter((p) => p.id !== t.owner?.id)
                      .map((p): readonly [string, string] => [p.id, `${p.name} (${p.role})`])}
                  />
                </Select>
              </Field>
            ) : (
              <Pending load={people} label="Loading the staff list…" onRetry={() => open('assign')} />
            ))}
          {form === 'priority' && (
            <Field label="New priority" required>
              <Select
                className={s.wide}
                value={v('to')}
                autoFocus
                onChange={(_e, d) => set('to')(d.value)}
                data-testid="priority-to"
              >
                <Options
                  of={(['P1', 'P2', 'P3'] as const)
                    .filter((p) => p !== t.priority)
                    .map((p): readonly [string, string] => [p, p])}
                />
              </Select>
            </Field>
          )}
          {/* Above the text: Tab goes from the text straight to Send. */}
          {form === 'reply' && <FilePicker files={replyFiles} busy={busy} />}
          {spec.texts.map((x, i) => (
            <Field
              key={x.name}
              label={x.label}
              required={x.required}
              hint={`${v(x.name).length.toLocaleString('en-US')} of ${x.max.toLocaleString('en-US')} characters`}
            >
              {x.multiline ? (
                <Textarea
                  className={s.wide}
                  resize="vertical"
                  rows={4}
                  maxLength={x.max}
                  value={v(x.name)}
                  autoFocus={i === 0}
                  onChange={(_e, d) => set(x.name)(d.value)}
                  data-testid={`field-${x.name}`}
                />
              ) : (
                <Input
                  className={s.wide}
                  maxLength={x.max}
                  value={v(x.name)}
                  autoFocus={i === 0 && form !== 'priority'}
                  onChange={(_e, d) => set(x.name)(d.value)}
                  data-testid={`field-${x.name}`}
                />
              )}
            </Field>
          ))}
          <div className={s.buttons}>
            <Button
              appearance="primary"
              type="submit"
              disabledFocusable={busy}
              disabled={
                spec.texts.some((x) => x.required && v(x.name).trim() === '') ||
                ((form === 'assign' || form === 'priority') && v('to') === '')
              }
              data-testid="action-submit"
            >
              {busy ? 'Sending…' : spec.submit}
            </Button>
            <Button
              disabled={busy}
              onClick={() => {
                setCancelled(form);
                open(null);
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      )}
      {form === 'priority' && reviewing && (
        <PriorityChange
          ticket={t}
          to={v('to')}
          reason={v('reason')}
          busy={busy}
          error={error}
          onConfirm={() => void send(actionOf('priority'), FORMS.priority.done)}
          onCancel={() => {
            setReviewing(false);
            setError(null);
            setBackToReview(true);
          }}
        />
      )}
    </section>
  );
}
