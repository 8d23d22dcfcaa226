// The Teams sub-page ids the tab honours (written down for the cards in docs/using.md, Deep links), and the
// words the ticket page uses for a file's kind and for a file event in the timeline.
import { fileEventText, kindWord } from '../../tab/src/components/file-words';
import { routeOfSubPage } from '../../tab/src/deeplink';

describe('routeOfSubPage', () => {
  it.each([
    ['ticket/TM-1042', '#/ticket/TM-1042'],
    ['ticket/tm-1042', '#/ticket/TM-1042'],
    ['ticket/TM-1042/file/01JD2-x_Y', '#/ticket/TM-1042/file/01JD2-x_Y'],
  ])('%s opens %s', (id, route) => {
    expect(routeOfSubPage(id)).toBe(route);
  });

  it.each([
    [undefined],
    [''],
    ['queue'],
    ['ticket/'],
    ['ticket/TM-1042/'],
    ['ticket/TM-1042/file/'],
    ['ticket/TM-1042/file/a/b'],
    ['ticket/TM-1042?x=1'],
    ['ticket/../dashboard'],
    ['ticket/TM-1042/file/%2e%2e'],
    ['https://evil.example/#/ticket/TM-1'],
  ])('ignores %p', (id) => {
    expect(routeOfSubPage(id)).toBeUndefined();
  });
});

describe('file words', () => {
  it('names kinds by the stored type', () => {
    expect(kindWord('image/png')).toBe('Image');
    expect(kindWord('application/pdf')).toBe('PDF');
    expect(kindWord('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('Spreadsheet');
    expect(kindWord('text/plain')).toBe('Text');
  });

  it('says where an added file came from; other events keep their text', () => {
    const added = {
      type: 'attachment-added' as const,
      text: 'shot.png (3 KB)',
      data: { source: 'pasted-image' },
    };
    expect(fileEventText(added)).toBe('shot.png (3 KB), image pasted in the chat');
    expect(fileEventText({ ...added, data: null })).toBeUndefined();
    expect(fileEventText({ ...added, type: 'attachment-removed' })).toBeUndefined();
  });
});
