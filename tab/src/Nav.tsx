// The views' navigation: links drawn as tabs on wide screens; on phones one button naming the current view
// that opens the list of views (a disclosure: Enter or Space opens it, arrow keys, Home and End move, Escape
// closes it). Plain links to hash routes, so no menu or positioning library is loaded for it.
import { Button, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { usePhone } from './components/media';

export type Views = readonly (readonly [view: string, label: string])[];

const useStyles = makeStyles({
  nav: { position: 'relative', minWidth: 0, maxWidth: '100%' },
  tabs: {
    display: 'flex',
    flexWrap: 'wrap',
    listStyle: 'none',
    margin: 0,
    padding: 0,
    columnGap: tokens.spacingHorizontalXXS,
  },
  link: {
    display: 'block',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalMNudge}`,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    textDecoration: 'none',
    borderBottom: `3px solid transparent`,
    borderRadius: tokens.borderRadiusMedium,
    ':hover': { color: tokens.colorNeutralForeground1, backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-visible': {
      outline: `2px solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '-2px',
    },
  },
  current: {
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    borderBottomColor: tokens.colorCompoundBrandStroke,
    // Forced colours: the mark stays visible in the system's text colour.
    '@media (forced-colors: active)': { borderBottomColor: 'CanvasText' },
  },
  list: {
    position: 'absolute',
    zIndex: 10,
    top: '100%',
    left: 0,
    minWidth: '200px',
    maxWidth: 'calc(100vw - 24px)',
    margin: `${tokens.spacingVerticalXXS} 0 0`,
    padding: tokens.spacingVerticalXS,
    listStyle: 'none',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow16,
  },
  item: { borderBottom: 'none', borderLeft: '3px solid transparent', borderRadius: 0 },
  itemCurrent: {
    borderLeftColor: tokens.colorCompoundBrandStroke,
    '@media (forced-colors: active)': { borderLeftColor: 'CanvasText' },
  },
  chevron: { width: '12px', height: '12px', fill: 'currentColor' },
});

function Chevron({ className }: { readonly className: string }) {
  return (
    <svg className={className} viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2.15 4.65a.5.5 0 0 1 .7 0L6 7.79l3.15-3.14a.5.5 0 1 1 .7.7l-3.5 3.5a.5.5 0 0 1-.7 0l-3.5-3.5a.5.5 0 0 1 0-.7z" />
    </svg>
  );
}

export function Nav({ views, current }: { readonly views: Views; readonly current: string }) {
  const s = useStyles();
  const phone = usePhone();
  return (
    <nav aria-label="Views" className={s.nav}>
      {phone ? (
        <PhoneNav views={views} current={current} />
      ) : (
        <ul className={s.tabs}>
          {views.map(([v, label]) => (
            <li key={v}>
              <a
                href={`#/${v}`}
                className={mergeClasses(s.link, v === current && s.current)}
                {...(v === current ? { 'aria-current': 'page' as const } : {})}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

function PhoneNav({ views, current }: { readonly views: Views; readonly current: string }) {
  const s = useStyles();
  const id = useId();
  const [open, setOpen] = useState(false);
  // Fluent's Button takes no typed ref here; it is found by id.
  const button = (): HTMLElement | null => document.getElementById(`${id}-button`);
  const list = useRef<HTMLUListElement>(null);
  const label = views.find(([v]) => v === current)?.[1] ?? current;
  const links = (): HTMLAnchorElement[] => Array.from(list.current?.querySelectorAll('a') ?? []);

  // Opening puts focus on the current view; a route change closes the list.
  useEffect(() => {
    if (open) (links().find((a) => a.getAttribute('aria-current') === 'page') ?? links()[0])?.focus();
  }, [open]);
  useEffect(() => setOpen(false), [current]);
  // A click or focus anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      const t = e.target as Node | null;
      if (t !== null && !list.current?.contains(t) && !button()?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('focusin', away);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('focusin', away);
    };
  }, [open]);

  const onKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    const to =
      e.key === 'ArrowDown'
        ? (at + 1) % all.length
        : e.key === 'ArrowUp'
          ? (at - 1 + all.length) % all.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? all.length - 1
              : undefined;
    if (to !== undefined) {
      e.preventDefault();
      all[to]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      button()?.focus();
    }
  };

  return (
    <>
      <Button
        id={`${id}-button`}
        appearance="subtle"
        aria-expanded={open}
        aria-controls={id}
        data-testid="nav-menu"
        icon={<Chevron className={s.chevron} />}
        iconPosition="after"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label}
      </Button>
      <ul ref={list} id={id} className={s.list} hidden={!open} onKeyDown={onKey}>
        {views.map(([v, name]) => (
          <li key={v}>
            <a
              href={`#/${v}`}
              className={mergeClasses(
                s.link,
                s.item,
                v === current && s.current,
                v === current && s.itemCurrent,
              )}
              {...(v === current ? { 'aria-current': 'page' as const } : {})}
              onClick={() => setOpen(false)}
            >
              {name}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
