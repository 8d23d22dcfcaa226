// The priority change's confirmation: the deadlines now and after the change, as the server's SLA engine
// computes them at its now (GET /api/tickets/:id/priority-preview), before anyone confirms.
import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Clock, PriorityPreviewView, TicketFull } from '../../../src/adapters/api/contract';
import { TARGET_LABELS } from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { Note, Pending, When } from './Bits';

const CLOCK_WORDS: Readonly<Record<Clock, string>> = {
  continuous: 'continuous clock',
  'support-hours': 'support-hours clock',
  'business-days': 'business-days clock',
};

const useStyles = makeStyles({
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'grid', gap: tokens.spacingVerticalM },
  row: { display: 'grid', gap: tokens.spacingVerticalXXS, overflowWrap: 'anywhere' },
  pair: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS, alignItems: 'baseline' },
  surface: { maxWidth: 'min(560px, calc(100vw - 24px))', boxSizing: 'border-box' },
  actions: { flexWrap: 'wrap' },
});

export function PriorityChange({
  ticket,
  to,
  reason,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  readonly ticket: TicketFull;
  readonly to: string;
  readonly reason: string;
  readonly busy: boolean;
  /** The server's refusal of the change itself, shown in the dialog. */
  readonly error: string | null;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  const s = useStyles();
  const [load, retry] = useApi<PriorityPreviewView>(
    `/api/tickets/${encodeURIComponent(ticket.id)}/priority-preview?to=${encodeURIComponent(to)}`,
  );
  return (
    <Dialog
      open
      modalType="modal"
      onOpenChange={(_e, d) => {
        if (!d.open && !busy) onCancel();
      }}
    >
      <DialogSurface className={s.surface} data-testid="priority-dialog">
        <DialogBody>
          <DialogTitle>
            Change {ticket.id} from {ticket.priority} to {to}?
          </DialogTitle>
          <DialogContent>
            {load.kind !== 'ready' ? (
              <Pending load={load} label="Working out the new deadlines…" onRetry={retry} />
            ) : (
              <ul className={s.list} aria-label="Deadlines before and after the change">
                {load.data.targets.map((x) => {
                  // A target already met stays met whatever the priority: no deadline to compare.
                  const metAt = ticket.targets.find((y) => y.target === x.name)?.metAt ?? null;
                  return (
                    <li
                      key={x.name}
                      className={s.row}
                      data-testid={`preview-${x.name}`}
                      data-before={x.dueBefore ?? ''}
                      data-after={x.dueAfter ?? ''}
                    >
                      <strong>{TARGET_LABELS[x.name]}</strong>
                      {metAt !== null ? (
                        <span className={s.pair} data-testid={`preview-${x.name}-met`}>
                          <Caption1>met</Caption1> <When t={metAt} /> <Caption1>— stays met</Caption1>
                        </span>
                      ) : (
                        <>
                          <span className={s.pair}>
                            <Caption1>Now due</Caption1> <When t={x.dueBefore} />
                          </span>
                          <span className={s.pair}>
                            <Caption1>After the change</Caption1> <When t={x.dueAfter} />
                          </span>
                          <Caption1>On the {CLOCK_WORDS[x.clock]}</Caption1>
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            <p>Reason: {reason}</p>
            {error !== null && (
              <Note intent="error" testId="priority-error">
                {error}
              </Note>
            )}
          </DialogContent>
          <DialogActions className={s.actions}>
            <Button
              appearance="primary"
              disabled={load.kind !== 'ready'}
              disabledFocusable={busy}
              onClick={onConfirm}
              data-testid="priority-confirm"
            >
              {busy ? 'Changing…' : `Change to ${to}`}
            </Button>
            <Button disabled={busy} onClick={onCancel}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
