// The file types we can recognise by content. Accepted types carry the MIME types and extensions
// that may honestly claim them; recognised-but-refused types exist so a refusal can say what the
// file really is ("a Word 97–2003 document") instead of "unknown".

export const ACCEPTED_FILE_TYPES = ['pdf', 'png', 'jpeg', 'gif', 'webp', 'heic', 'mp3', 'wav', 'ogg', 'm4a', 'mp4', 'mov', 'webm', 'docx', 'xlsx', 'pptx', 'odt', 'text'] as const;
export type AcceptedFileType = (typeof ACCEPTED_FILE_TYPES)[number];

export const REFUSED_FILE_TYPES = ['zip', 'html', 'xml', 'svg', 'matroska', 'avi', 'avif', 'opendocument-other', 'office-legacy', 'office-macro', 'executable', 'rar', '7z', 'gzip', 'bmp', 'tiff', 'flac', 'aiff', 'utf16-text', 'unknown'] as const;
export type RefusedFileType = (typeof REFUSED_FILE_TYPES)[number];

export type FileType = AcceptedFileType | RefusedFileType;

export interface FileTypeInfo {
  /** With its article, for sentences: "its content is a PDF document". */
  readonly label: string;
  /** Without article, for lists of accepted types. */
  readonly shortName: string;
  /** What to serve the stored file as. */
  readonly mimeType: string;
  /** MIME types a browser may honestly declare for this content. */
  readonly mimeTypes: readonly string[];
  /** Extensions (lower case, no dot) an honest file name of this content may end with. */
  readonly extensions: readonly string[];
}

// ISO BMFF containers share brands loosely (an audio-only phone recording is often branded
// `isom`), so the MP4 family accepts each other's audio/video extensions and MIME types.
const mp4Mimes = ['video/mp4', 'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'application/mp4'];

export const FILE_TYPES: Readonly<Record<FileType, FileTypeInfo>> = {
  pdf: { label: 'a PDF document', shortName: 'PDF', mimeType: 'application/pdf', mimeTypes: ['application/pdf', 'application/x-pdf'], extensions: ['pdf'] },
  png: { label: 'a PNG image', shortName: 'PNG', mimeType: 'image/png', mimeTypes: ['image/png', 'image/x-png'], extensions: ['png'] },
  jpeg: { label: 'a JPEG image', shortName: 'JPEG', mimeType: 'image/jpeg', mimeTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'], extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  gif: { label: 'a GIF image', shortName: 'GIF', mimeType: 'image/gif', mimeTypes: ['image/gif'], extensions: ['gif'] },
  webp: { label: 'a WebP image', shortName: 'WebP', mimeType: 'image/webp', mimeTypes: ['image/webp'], extensions: ['webp'] },
  heic: { label: 'a HEIC/HEIF image', shortName: 'HEIC', mimeType: 'image/heic', mimeTypes: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'], extensions: ['heic', 'heif', 'hif'] },
  mp3: { label: 'an MP3 audio file', shortName: 'MP3', mimeType: 'audio/mpeg', mimeTypes: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3', 'audio/x-mp3'], extensions: ['mp3'] },
  wav: { label: 'a WAV audio file', shortName: 'WAV', mimeType: 'audio/wav', mimeTypes: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'audio/x-pn-wav'], extensions: ['wav', 'wave'] },
  ogg: { label: 'an Ogg audio file', shortName: 'Ogg/Opus', mimeType: 'audio/ogg', mimeTypes: ['audio/ogg', 'audio/opus', 'application/ogg', 'video/ogg'], extensions: ['ogg', 'oga', 'opus'] },
  m4a: { label: 'an M4A audio file', shortName: 'M4A', mimeType: 'audio/mp4', mimeTypes: mp4Mimes, extensions: ['m4a', 'm4b', 'mp4'] },
  mp4: { label: 'an MP4 video', shortName: 'MP4', mimeType: 'video/mp4', mimeTypes: mp4Mimes, extensions: ['mp4', 'm4v', 'm4a'] },
  mov: { label: 'a QuickTime (MOV) video', shortName: 'MOV', mimeType: 'video/quicktime', mimeTypes: ['video/quicktime'], extensions: ['mov', 'qt'] },
  webm: { label: 'a WebM recording', shortName: 'WebM', mimeType: 'video/webm', mimeTypes: ['video/webm', 'audio/webm'], extensions: ['webm'] },
  docx: { label: 'a Word document', shortName: 'Word (.docx)', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', mimeTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'], extensions: ['docx'] },
  xlsx: { label: 'an Excel workbook', shortName: 'Excel (.xlsx)', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', mimeTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], extensions: ['xlsx'] },
  pptx: { label: 'a PowerPoint presentation', shortName: 'PowerPoint (.pptx)', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', mimeTypes: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'], extensions: ['pptx'] },
  odt: { label: 'an OpenDocument text document', shortName: 'OpenDocument text (.odt)', mimeType: 'application/vnd.oasis.opendocument.text', mimeTypes: ['application/vnd.oasis.opendocument.text'], extensions: ['odt'] },
  // Windows declares .csv as application/vnd.ms-excel; that MIME type is deliberately unknown
  // here, so it is ignored rather than taken as a claim that the file is a spreadsheet.
  text: { label: 'a plain text file', shortName: 'plain text', mimeType: 'text/plain; charset=utf-8', mimeTypes: ['text/plain', 'text/csv', 'text/markdown'], extensions: ['txt', 'text', 'csv', 'md'] },

  zip: { label: 'a ZIP archive', shortName: 'ZIP', mimeType: 'application/zip', mimeTypes: ['application/zip', 'application/x-zip-compressed'], extensions: ['zip'] },
  html: { label: 'a web page (HTML)', shortName: 'HTML', mimeType: 'text/html', mimeTypes: ['text/html', 'application/xhtml+xml'], extensions: ['html', 'htm', 'xhtml', 'shtml'] },
  xml: { label: 'an XML file', shortName: 'XML', mimeType: 'application/xml', mimeTypes: ['application/xml', 'text/xml'], extensions: ['xml'] },
  svg: { label: 'an SVG drawing', shortName: 'SVG', mimeType: 'image/svg+xml', mimeTypes: ['image/svg+xml'], extensions: ['svg', 'svgz'] },
  matroska: { label: 'a Matroska (MKV) video', shortName: 'MKV', mimeType: 'video/x-matroska', mimeTypes: ['video/x-matroska', 'audio/x-matroska'], extensions: ['mkv', 'mka'] },
  avi: { label: 'an AVI video', shortName: 'AVI', mimeType: 'video/x-msvideo', mimeTypes: ['video/x-msvideo', 'video/avi'], extensions: ['avi'] },
  avif: { label: 'an AVIF image', shortName: 'AVIF', mimeType: 'image/avif', mimeTypes: ['image/avif'], extensions: ['avif'] },
  'opendocument-other': { label: 'an OpenDocument spreadsheet, presentation or drawing', shortName: 'OpenDocument', mimeType: 'application/octet-stream', mimeTypes: ['application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation', 'application/vnd.oasis.opendocument.graphics'], extensions: ['ods', 'odp', 'odg'] },
  'office-macro': { label: 'an Office file with macros', shortName: 'macro-enabled Office', mimeType: 'application/octet-stream', mimeTypes: ['application/vnd.ms-word.document.macroenabled.12', 'application/vnd.ms-excel.sheet.macroenabled.12', 'application/vnd.ms-powerpoint.presentation.macroenabled.12'], extensions: ['docm', 'xlsm', 'pptm', 'dotm', 'xltm', 'potm'] },
  // Password-protected .docx/.xlsx files are OLE2 containers too, so they land here.
  'office-legacy': { label: 'an Office 97–2003 file (or a password-protected Office file)', shortName: 'Office 97–2003', mimeType: 'application/octet-stream', mimeTypes: ['application/msword', 'application/vnd.ms-powerpoint'], extensions: ['doc', 'xls', 'ppt', 'msg'] },
  executable: { label: 'a program', shortName: 'program', mimeType: 'application/octet-stream', mimeTypes: ['application/x-msdownload', 'application/x-dosexec', 'application/x-executable', 'application/x-sh'], extensions: ['exe', 'dll', 'com', 'scr', 'msi', 'bat', 'cmd', 'sh', 'ps1', 'js', 'vbs', 'jar', 'apk'] },
  rar: { label: 'a RAR archive', shortName: 'RAR', mimeType: 'application/vnd.rar', mimeTypes: ['application/vnd.rar', 'application/x-rar-compressed'], extensions: ['rar'] },
  '7z': { label: 'a 7-Zip archive', shortName: '7z', mimeType: 'application/x-7z-compressed', mimeTypes: ['application/x-7z-compressed'], extensions: ['7z'] },
  gzip: { label: 'a compressed (gzip) file', shortName: 'gzip', mimeType: 'application/gzip', mimeTypes: ['application/gzip', 'application/x-gzip'], extensions: ['gz', 'tgz'] },
  bmp: { label: 'a BMP image', shortName: 'BMP', mimeType: 'image/bmp', mimeTypes: ['image/bmp'], extensions: ['bmp'] },
  tiff: { label: 'a TIFF image', shortName: 'TIFF', mimeType: 'image/tiff', mimeTypes: ['image/tiff'], extensions: ['tif', 'tiff'] },
  flac: { label: 'a FLAC audio file', shortName: 'FLAC', mimeType: 'audio/flac', mimeTypes: ['audio/flac', 'audio/x-flac'], extensions: ['flac'] },
  aiff: { label: 'an AIFF audio file', shortName: 'AIFF', mimeType: 'audio/aiff', mimeTypes: ['audio/aiff', 'audio/x-aiff'], extensions: ['aif', 'aiff', 'aifc'] },
  // Notepad's "Unicode" is UTF-16; we store text as UTF-8 only, so say how to fix it.
  'utf16-text': { label: 'text saved as UTF-16 (save it as UTF-8 and upload it again)', shortName: 'UTF-16 text', mimeType: 'application/octet-stream', mimeTypes: [], extensions: [] },
  unknown: { label: 'of a type we do not recognise', shortName: 'unknown', mimeType: 'application/octet-stream', mimeTypes: [], extensions: [] },
};

export function isAcceptedFileType(type: FileType): type is AcceptedFileType {
  return (ACCEPTED_FILE_TYPES as readonly string[]).includes(type);
}

/** The type an extension claims, if it is one we know; the first listed type wins (mp4 → m4a's sibling mp4). */
export function fileTypeOfExtension(extension: string): FileType | undefined {
  const wanted = extension.toLowerCase();
  const preferred = (Object.keys(FILE_TYPES) as FileType[]).filter((type) => FILE_TYPES[type].extensions.includes(wanted));
  return preferred.find((type) => FILE_TYPES[type].extensions[0] === wanted) ?? preferred[0];
}

/** The type a declared MIME type claims, ignoring parameters; undefined when it says nothing we know. */
export function fileTypeOfMimeType(mimeType: string): FileType | undefined {
  const essence = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === '' || essence === 'application/octet-stream' || essence === 'binary/octet-stream') return undefined;
  const preferred = (Object.keys(FILE_TYPES) as FileType[]).filter((type) => FILE_TYPES[type].mimeTypes.includes(essence));
  return preferred.find((type) => FILE_TYPES[type].mimeType === essence) ?? preferred[0];
}
