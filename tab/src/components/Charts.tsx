// Plain charts: bars with their values written on them, so numbers are readable without hovering. Columns
// of an SVG on wide screens; on phones one line per bar (label, bar, value), readable at 320 px.
import { makeStyles, tokens } from '@fluentui/react-components';
import { usePhone } from './media';

const useStyles = makeStyles({
  svg: { width: '100%', height: 'auto', maxHeight: '220px', display: 'block', overflow: 'visible' },
  bar: { fill: tokens.colorBrandBackground },
  miss: { fill: tokens.colorPaletteRedBackground3 },
  track: { fill: tokens.colorNeutralBackground4 },
  label: { fill: tokens.colorNeutralForeground1, fontSize: '11px' },
  target: { stroke: tokens.colorNeutralForeground1, strokeDasharray: '4 3' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', rowGap: tokens.spacingVerticalXS },
  line: {
    display: 'grid',
    gridTemplateColumns: 'minmax(3.5em, auto) minmax(0, 1fr) minmax(3.5em, auto)',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    fontSize: tokens.fontSizeBase200,
  },
  value: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  hTrack: {
    position: 'relative',
    height: '12px',
    borderRadius: '3px',
    backgroundColor: tokens.colorNeutralBackground4,
    // High contrast: the track and bars keep an outline when backgrounds are overridden.
    outline: '1px solid transparent',
  },
  hBar: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    left: 0,
    borderRadius: '3px',
    backgroundColor: tokens.colorBrandBackground,
    forcedColorAdjust: 'none',
  },
  hMiss: { backgroundColor: tokens.colorPaletteRedBackground3 },
  hTarget: {
    position: 'absolute',
    top: '-2px',
    bottom: '-2px',
    width: 0,
    borderLeft: `2px dashed ${tokens.colorNeutralForeground1}`,
  },
});

export interface Bar {
  readonly label: string;
  /** 0..1, or null for no data. */
  readonly value: number | null;
  readonly text: string;
}

/** Vertical bars of shares (0..1), with an optional target line. */
export function ShareBars({
  bars,
  title,
  target,
}: {
  readonly bars: readonly Bar[];
  readonly title: string;
  readonly target?: number;
}) {
  const s = useStyles();
  const phone = usePhone();
  if (phone) return <LineBars bars={bars} title={title} {...(target === undefined ? {} : { target })} />;
  // One width for every chart, so labels keep one size whatever the number of bars.
  const width = 680;
  const slot = width / Math.max(1, bars.length);
  const w = Math.min(40, slot - 12);
  const gap = slot - w;
  const h = 120;
  return (
    <svg className={s.svg} viewBox={`0 -16 ${width} ${h + 40}`} role="img" aria-label={title}>
      <title>{title}</title>
      {bars.map((b, i) => {
        const x = i * slot + gap / 2;
        const v = b.value ?? 0;
        const bh = Math.max(b.value === null ? 0 : 2, v * h);
        return (
          <g key={b.label}>
            <rect className={s.track} x={x} y={0} width={w} height={h} rx={3} />
            <rect
              className={target !== undefined && b.value !== null && v < target ? s.miss : s.bar}
              x={x}
              y={h - bh}
              width={w}
              height={bh}
              rx={3}
            />
            <text className={s.label} x={x + w / 2} y={-4} textAnchor="middle">
              {b.text}
            </text>
            <text className={s.label} x={x + w / 2} y={h + 16} textAnchor="middle">
              {b.label}
            </text>
          </g>
        );
      })}
      {target !== undefined && (
        <line className={s.target} x1={0} x2={width} y1={h - target * h} y2={h - target * h} />
      )}
    </svg>
  );
}

/** The phone layout: one line per bar, label and value as text beside it. */
function LineBars({
  bars,
  title,
  target,
}: {
  readonly bars: readonly Bar[];
  readonly title: string;
  readonly target?: number;
}) {
  const s = useStyles();
  const pct = (v: number): string => `${(Math.min(1, Math.max(0, v)) * 100).toFixed(2)}%`;
  return (
    <ul className={s.list} aria-label={title}>
      {bars.map((b) => {
        const miss = target !== undefined && b.value !== null && b.value < target;
        return (
          <li key={b.label} className={s.line}>
            <span>{b.label}</span>
            <span className={s.hTrack} aria-hidden="true">
              {b.value !== null && (
                <span
                  className={miss ? `${s.hBar} ${s.hMiss}` : s.hBar}
                  style={{ width: pct(Math.max(0.01, b.value)) }}
                />
              )}
              {target !== undefined && <span className={s.hTarget} style={{ left: pct(target) }} />}
            </span>
            <span className={s.value}>{b.text}</span>
          </li>
        );
      })}
    </ul>
  );
}
