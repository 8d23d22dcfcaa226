// Plain SVG charts: bars with their values written on them, so numbers are readable without hovering.
import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  svg: { width: '100%', height: 'auto', maxHeight: '220px', display: 'block', overflow: 'visible' },
  bar: { fill: tokens.colorBrandBackground },
  miss: { fill: tokens.colorPaletteRedBackground3 },
  track: { fill: tokens.colorNeutralBackground4 },
  label: { fill: tokens.colorNeutralForeground1, fontSize: '11px' },
  target: { stroke: tokens.colorNeutralForeground1, strokeDasharray: '4 3' },
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
