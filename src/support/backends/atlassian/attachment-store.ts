/** A stored file: its key and the size and SHA-256 (lowercase hex) of the bytes written. */
export interface StoredAttachment {
  key: string;
  size: number;
  sha256: string;
}

/**
 * Storage for the bytes of attachments the adapter downloads from Jira. The service's
 * file storage port (`FileStorage`) has this shape, so it is passed in as is.
 */
export interface AttachmentStore {
  put(source: Buffer, namespace: 'issue-attachments'): Promise<StoredAttachment>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}
