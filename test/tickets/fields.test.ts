// The checks of what people type: one rule per field, the domain's sentence and the form's shorter hint.
import {
  checkTicketFields,
  cleanLine,
  cleanText,
  oneLineText,
  parsePriority,
  plainText,
} from '../../src/domain/tickets/fields';

describe('ticket fields', () => {
  it('reports every problem at once, in form order, with the hint the form shows', () => {
    const checked = checkTicketFields({
      title: ' ',
      description: 'd'.repeat(8001),
      category: 'gossip',
      priority: 'P9',
      affectedUsers: 'many',
      callbackNumber: 'call me',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual([
      { field: 'title', message: 'Title is required.', hint: 'A short title is required.' },
      {
        field: 'description',
        message: 'Description is 8,001 characters; the limit is 8,000.',
        hint: 'At most 8,000 characters.',
      },
      { field: 'category', message: 'Category "gossip" is not one we know.', hint: 'Pick a category.' },
      { field: 'priority', message: 'Priority must be P1, P2 or P3.', hint: 'Pick a priority.' },
      {
        field: 'affectedUsers',
        message: 'Affected users must be a whole number from 0 to 10,000,000.',
        hint: 'A whole number from 0 to 10,000,000.',
      },
      {
        field: 'callbackNumber',
        message: 'Callback number may contain digits, spaces, +, -, (, ) and x only.',
        hint: 'Callback number may contain digits, spaces, +, -, (, ) and x only.',
      },
    ]);
  });

  it('cleans what it accepts; a number may come as text, an empty one is none', () => {
    const chosen = { category: 'outage', priority: 'P1' } as const;
    const typed = { ...chosen, title: '  Calls\u0007 drop\r\n', description: 'a\r\nb' };
    expect(checkTicketFields({ ...typed, affectedUsers: '12', callbackNumber: '' })).toEqual({
      ok: true,
      value: {
        ...chosen,
        title: 'Calls drop',
        description: 'a\nb',
        affectedUsers: 12,
        callbackNumber: undefined,
      },
    });
    const none = checkTicketFields({ ...typed, affectedUsers: '' });
    expect(none.ok && none.value.affectedUsers).toBeUndefined();
  });

  it('one priority rule for every caller', () => {
    expect(parsePriority('P2')).toEqual({ ok: true, value: 'P2' });
    const bad = parsePriority('p1');
    expect(!bad.ok && bad.error.message).toBe('Priority must be P1, P2 or P3.');
    expect(!bad.ok && bad.error.details).toEqual({ field: 'priority' });
  });

  it('free text: cleaned, required unless optional, refused past the limit', () => {
    expect(plainText(' a\r\nb\u0007 ')).toBe('a\nb');
    expect(cleanText('  hello ', 'message', 8000)).toEqual({ ok: true, value: 'hello' });
    expect(cleanText(undefined, 'reason', 500, true)).toEqual({ ok: true, value: '' });
    const empty = cleanText('\u0000 ', 'callbackNumber', 40);
    expect(!empty.ok && empty.error.message).toBe('Callback number is required.');
    const long = cleanText('x'.repeat(9000), 'message', 8000);
    expect(!long.ok && long.error.message).toBe('Message is 9,000 characters; the limit is 8,000.');
    const notText = cleanText(5, 'title', 200);
    expect(!notText.ok && notText.error.message).toBe('Title must be text.');
  });
});

describe('single-line fields carry no invisible characters', () => {
  // Each of these changes how the text around it reads without showing itself (a "Trojan source" title).
  const INVISIBLE = [
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e', // embeddings and overrides
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069', // isolates
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff', // zero-width spaces, joiners, word joiner, BOM
  ];

  it.each(INVISIBLE.map((c) => [c.codePointAt(0)?.toString(16).toUpperCase() ?? '', c]))(
    'U+%s is removed from a title, a name and a release',
    (_code, c) => {
      expect(oneLineText(`Calls${c} drop`)).toBe('Calls drop');
      const checked = checkTicketFields({
        title: `Invoice${c} 1042`,
        description: 'x',
        category: 'outage',
        priority: 'P2',
        affectedUsers: '1',
        callbackNumber: `+1 555${c} 0100`,
      });
      expect(checked.ok && [checked.value.title, checked.value.callbackNumber]).toEqual([
        'Invoice 1042',
        '+1 555 0100',
      ]);
      expect(cleanLine(`Ada${c} Lovelace`, 'name', 200)).toEqual({ ok: true, value: 'Ada Lovelace' });
    },
  );

  it('a title is one line: newlines and runs of spaces become one space', () => {
    expect(oneLineText(' Calls\r\n  drop\t\tafter\n30 s ')).toBe('Calls drop after 30 s');
  });

  it('a description keeps its lines and its joiners (emoji, scripts that need them)', () => {
    const checked = checkTicketFields({
      title: 'T',
      description: 'Line one\nfamily 👩\u200d👩\u200d👧 and می\u200cخواهم',
      category: 'outage',
      priority: 'P2',
      affectedUsers: '1',
    });
    expect(checked.ok && checked.value.description).toBe(
      'Line one\nfamily 👩\u200d👩\u200d👧 and می\u200cخواهم',
    );
  });

  it('a field of invisible characters only is empty, so a required one is refused', () => {
    expect(cleanLine('\u202e\u200b', 'release', 100)).toMatchObject({ ok: false });
  });
});
