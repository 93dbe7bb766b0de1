/** A file of a multipart request, already written to `FileStorage` and inspected. */
export interface StoredUpload {
  /** Form field the file came in. */
  fieldName: string;
  /** The client's file name, NFC-normalized, without any folder part. */
  fileName: string;
  storageKey: string;
  size: number;
  sha256: string;
  /** Sniffed from the bytes. */
  mimeType: string;
}
