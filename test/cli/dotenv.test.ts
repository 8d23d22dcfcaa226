// The env files `npm start` reads: what a line means, and who wins when a key is set twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerEnv, parseDotenv } from '../../src/cli/dotenv';

describe('parseDotenv', () => {
  it.each<[string, string, Record<string, string>]>([
    ['a plain pair', 'PORT=3978', { PORT: '3978' }],
    ['an empty value (unset BOT_ID = local mode)', 'BOT_ID=', { BOT_ID: '' }],
    ['spaces around the key and the value', '  HOST = 127.0.0.1  ', { HOST: '127.0.0.1' }],
    ['an export prefix', 'export TICKET_PREFIX=TM', { TICKET_PREFIX: 'TM' }],
    [
      'an = inside the value',
      'CUSTOMER_TENANTS=abc=Contoso;def=Fabrikam',
      { CUSTOMER_TENANTS: 'abc=Contoso;def=Fabrikam' },
    ],
    ['a comment after an unquoted value', 'PORT=3978 # the bot', { PORT: '3978' }],
    [
      'a # with no space before it is part of the value',
      'SUPPORT_PHONE=+1-555-0100#2',
      { SUPPORT_PHONE: '+1-555-0100#2' },
    ],
    [
      'double quotes, with a comment after them',
      'NAME="Playground Customer" # shown to staff',
      { NAME: 'Playground Customer' },
    ],
    ['escapes in double quotes', 'TEXT="a\\nb \\"c\\" d\\\\e"', { TEXT: 'a\nb "c" d\\e' }],
    ['single quotes keep their text', "TEXT='a\\nb # not a comment'", { TEXT: 'a\\nb # not a comment' }],
    ['a key given twice keeps the last value', 'PORT=1\nPORT=2', { PORT: '2' }],
    [
      'CRLF line ends and a byte-order mark',
      '\uFEFFPORT=3978\r\nHOST=::1\r\n',
      { PORT: '3978', HOST: '::1' },
    ],
  ])('%s', (_story, text, expected) => {
    expect(parseDotenv(text)).toEqual({ values: expected, problems: [] });
  });

  it('skips comments and blank lines', () => {
    expect(parseDotenv('# local\n\n   \n  # indented comment\nPORT=3978\n').values).toEqual({ PORT: '3978' });
  });

  it('reports lines it cannot read, by number, and keeps the rest', () => {
    expect(parseDotenv('PORT=3978\njust words\n1BAD=x\n=x\nNAME="open\nHOST=127.0.0.1')).toEqual({
      values: { PORT: '3978', HOST: '127.0.0.1' },
      problems: [
        'line 2: expected KEY=VALUE',
        'line 3: expected KEY=VALUE',
        'line 4: expected KEY=VALUE',
        'line 5: NAME has an unterminated quote',
      ],
    });
  });

  it('reads the repository env/.env.local without a problem', () => {
    const { values, problems } = parseDotenv(
      readFileSync(join(__dirname, '..', '..', 'env', '.env.local'), 'utf8'),
    );
    expect(problems).toEqual([]);
    expect(values).toMatchObject({ PORT: '3978', HOST: '127.0.0.1', BOT_ID: '' });
  });
});

describe('layerEnv', () => {
  it('lets a later file win over an earlier one (.env.local.user over .env.local)', () => {
    expect(layerEnv({}, [{ PORT: '3978', HOST: '127.0.0.1' }, { PORT: '4000' }])).toEqual({
      PORT: '4000',
      HOST: '127.0.0.1',
    });
  });

  it('never overrides a variable set in the real environment, even to an empty string', () => {
    expect(
      layerEnv({ PORT: '5000', BOT_ID: '', PATH: '/usr/bin', GONE: undefined }, [
        { PORT: '3978', BOT_ID: 'from-file', GONE: 'from-file' },
        { PORT: '4000' },
      ]),
    ).toEqual({ PORT: '5000', BOT_ID: '', PATH: '/usr/bin', GONE: 'from-file' });
  });

  it('changes neither its inputs', () => {
    const real = { PORT: '5000' };
    const file = { HOST: '127.0.0.1' };
    layerEnv(real, [file]);
    expect(real).toEqual({ PORT: '5000' });
    expect(file).toEqual({ HOST: '127.0.0.1' });
  });
});
