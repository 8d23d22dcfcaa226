// The backlog trend as a plain SVG: tickets filed and resolved per week as paired bars, the open backlog at
// each week's end as a line. A picture only: the view lists every number in a table beside it.
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { WeekTrend } from '../../../src/adapters/api/contract';

const useStyles = makeStyles({
  svg: { width: '100%', height: 'auto', maxHeight: '240px', display: 'block', overflow: 'visible' },
  created: { fill: tokens.colorBrandBackground },
  resolved: { fill: tokens.colorPaletteGreenForeground1 },
  backlog: { fill: 'none', stroke: tokens.colorNeutralForeground1, strokeWidth: 2 },
  dot: { fill: tokens.colorNeutralForeground1 },
  axis: { stroke: tokens.colorNeutralStroke1 },
  label: { fill: tokens.colorNeutralForeground1, fontSize: '11px' },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalL,
    margin: `${tokens.spacingVerticalXS} 0`,
  },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { width: '12px', height: '12px', display: 'inline-block', forcedColorAdjust: 'none' },
  createdSwatch: { backgroundColor: tokens.colorBrandBackground },
  resolvedSwatch: { backgroundColor: tokens.colorPaletteGreenForeground1 },
  backlogSwatch: { height: '2px', backgroundColor: tokens.colorNeutralForeground1 },
});

export function TrendChart({
  weeks,
  title,
  weekLabel,
}: {
  readonly weeks: readonly WeekTrend[];
  readonly title: string;
  /** "14 Sep": a week's start as the view names it. */
  readonly weekLabel: (start: number) => string;
}) {
  const s = useStyles();
  const width = 680;
  const h = 150;
  const top = Math.max(1, ...weeks.flatMap((w) => [w.created, w.resolved, w.backlog]));
  const slot = width / Math.max(1, weeks.length);
  const bar = Math.min(18, (slot - 10) / 2);
  const y = (v: number): number => h - (v / top) * h;
  const mid = (i: number): number => i * slot + slot / 2;
  const line = weeks.map((w, i) => `${mid(i)},${y(w.backlog)}`).join(' ');
  return (
    <figure style={{ margin: 0 }}>
      <svg className={s.svg} viewBox={`0 -14 ${width} ${h + 34}`} role="img" aria-label={title}>
        <title>{title}</title>
        <line className={s.axis} x1={0} x2={width} y1={h} y2={h} />
        {weeks.map((w, i) => (
          <g key={w.start}>
            <rect
              className={s.created}
              x={mid(i) - bar - 1}
              y={y(w.created)}
              width={bar}
              height={h - y(w.created)}
            />
            <rect
              className={s.resolved}
              x={mid(i) + 1}
              y={y(w.resolved)}
              width={bar}
              height={h - y(w.resolved)}
            />
            {(i % 2 === weeks.length % 2 || weeks.length <= 6) && (
              <text className={s.label} x={mid(i)} y={h + 16} textAnchor="middle">
                {weekLabel(w.start)}
              </text>
            )}
          </g>
        ))}
        <polyline className={s.backlog} points={line} />
        {weeks.map((w, i) => (
          <circle key={w.start} className={s.dot} cx={mid(i)} cy={y(w.backlog)} r={3} />
        ))}
        <text className={s.label} x={0} y={-4}>
          {top}
        </text>
      </svg>
      <figcaption className={s.legend}>
        <span className={s.key}>
          <span className={mergeClasses(s.swatch, s.createdSwatch)} aria-hidden="true" /> Filed
        </span>
        <span className={s.key}>
          <span className={mergeClasses(s.swatch, s.resolvedSwatch)} aria-hidden="true" /> Resolved
        </span>
        <span className={s.key}>
          <span className={mergeClasses(s.swatch, s.backlogSwatch)} aria-hidden="true" /> Open at week end
        </span>
      </figcaption>
    </figure>
  );
}
