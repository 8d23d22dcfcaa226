// The first cells of a row about an outage, as the availability and outages views list them.
import { TableCell } from '@fluentui/react-components';
import { When } from './Bits';

export function OutageCells({
  o,
}: {
  readonly o: {
    readonly id: string;
    readonly start: number;
    readonly end: number | null;
    readonly affected: string;
  };
}) {
  return (
    <>
      <TableCell>{o.id}</TableCell>
      <TableCell>
        <When t={o.start} />
      </TableCell>
      <TableCell>{o.end === null ? 'ongoing' : <When t={o.end} />}</TableCell>
      <TableCell>{o.affected}</TableCell>
    </>
  );
}
