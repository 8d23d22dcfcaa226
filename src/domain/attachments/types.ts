// The file types SLA Desk accepts: decided by the name's extension AND a compatible declared type. The type a
// file is stored and served with comes from this list, never from the sender. Pure.

interface Kind {
  /** Stored and served as this. */
  readonly type: string;
  /** Other declared types a sender may use for it. */
  readonly alsoDeclaredAs?: readonly string[];
}

const TEXT = ['text/plain'];
const OOXML = 'application/vnd.openxmlformats-officedocument';

export const ALLOWED: Readonly<Record<string, Kind>> = {
  png: { type: 'image/png' },
  jpg: { type: 'image/jpeg', alsoDeclaredAs: ['image/jpg', 'image/pjpeg'] },
  jpeg: { type: 'image/jpeg', alsoDeclaredAs: ['image/jpg', 'image/pjpeg'] },
  gif: { type: 'image/gif' },
  webp: { type: 'image/webp' },
  bmp: { type: 'image/bmp', alsoDeclaredAs: ['image/x-bmp', 'image/x-ms-bmp'] },
  pdf: { type: 'application/pdf', alsoDeclaredAs: ['application/x-pdf'] },
  txt: { type: 'text/plain' },
  log: { type: 'text/plain', alsoDeclaredAs: ['text/x-log'] },
  csv: { type: 'text/csv', alsoDeclaredAs: [...TEXT, 'application/csv', 'application/vnd.ms-excel'] },
  json: { type: 'application/json', alsoDeclaredAs: [...TEXT, 'text/json'] },
  xml: { type: 'application/xml', alsoDeclaredAs: [...TEXT, 'text/xml'] },
  md: { type: 'text/markdown', alsoDeclaredAs: [...TEXT, 'text/x-markdown'] },
  zip: {
    type: 'application/zip',
    alsoDeclaredAs: ['application/x-zip-compressed', 'application/x-zip', 'multipart/x-zip'],
  },
  docx: { type: `${OOXML}.wordprocessingml.document` },
  xlsx: { type: `${OOXML}.spreadsheetml.sheet` },
  pptx: { type: `${OOXML}.presentationml.presentation` },
  doc: { type: 'application/msword' },
  xls: { type: 'application/vnd.ms-excel' },
  ppt: { type: 'application/vnd.ms-powerpoint' },
  odt: { type: 'application/vnd.oasis.opendocument.text' },
  ods: { type: 'application/vnd.oasis.opendocument.spreadsheet' },
  eml: { type: 'message/rfc822' },
  msg: { type: 'application/vnd.ms-outlook' },
};

/** Declared types that claim nothing (Teams and browsers use them for any file): the extension decides. */
const NO_CLAIM = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/** The families people are told about when a type is refused. */
export const ACCEPTED_WORDS = 'images, PDF, text and log files, zip, Office files';

/**
 * The type to store for a file with this extension and declared type; undefined when it is not accepted.
 * @example storedType('png', 'image/png') // 'image/png'
 * @example storedType('png', 'application/x-msdownload') // undefined
 */
export function storedType(extension: string, declared: string | undefined): string | undefined {
  const kind = ALLOWED[extension];
  if (kind === undefined) return undefined;
  const claim = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (NO_CLAIM.has(claim) || claim === kind.type || kind.alsoDeclaredAs?.includes(claim) === true)
    return kind.type;
  return undefined;
}
