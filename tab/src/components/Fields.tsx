// Form pieces the views share: a labelled select and the options it lists.
import { Field, Select } from '@fluentui/react-components';

export type Choice = readonly [value: string, label: string];

/** The <option>s of a select, from [value, label] pairs. */
export function Options({ of }: { readonly of: readonly Choice[] }) {
  return (
    <>
      {of.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </>
  );
}

/** [id, name] pairs of people or customers, for a select. */
export const byName = (people: readonly { readonly id: string; readonly name: string }[] | undefined) =>
  (people ?? []).map((p): Choice => [p.id, p.name]);

/** A labelled select of `options`, after an option for the empty value named `blank` when given. */
export function SelectField({
  label,
  value,
  onChange,
  options,
  blank,
  disabled,
}: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly options: readonly Choice[];
  readonly blank?: string;
  readonly disabled?: boolean;
}) {
  return (
    <Field label={label}>
      <Select
        value={value}
        onChange={(_e, d) => {
          onChange(d.value);
        }}
        {...(disabled === undefined ? {} : { disabled })}
      >
        {blank !== undefined && <option value="">{blank}</option>}
        <Options of={options} />
      </Select>
    </Field>
  );
}
