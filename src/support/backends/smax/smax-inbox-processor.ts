import { Injectable } from '@nestjs/common';

import { stripNullCharacters } from '../../common/null-characters';
import { InboxDelivery, InboxOutcome, InboxProcessor, parseJsonBody } from '../../sync/inbox/inbox-processor';
import { withRemoteErrors } from './smax-remote-error';
import { SMAX_BACKEND_NAME, SMAX_REQUEST_OBJECT, SmaxRequestApplier } from './smax-request-applier';
import { readString } from './smax-values';

/**
 * Applies SMAX change notifications. A notification names only the Request (`{"id": "..."}`),
 * so the Request is read again from SMAX and applied through `SmaxRequestApplier`, which
 * ignores versions applied before: repeated and late deliveries change nothing.
 */
@Injectable()
export class SmaxInboxProcessor extends InboxProcessor {
  readonly source = SMAX_BACKEND_NAME;

  constructor(private readonly applier: SmaxRequestApplier) {
    super();
  }

  async process(delivery: InboxDelivery): Promise<InboxOutcome> {
    const requestId = requestIdOf(delivery);
    if (requestId === undefined) return { status: 'ignored', reason: 'The body is not a JSON object with a Request "id".' };
    const remoteObject = { type: SMAX_REQUEST_OBJECT, id: requestId };
    const backend = this.applier.activeBackend();
    if (!backend) return { status: 'ignored', reason: 'SMAX is not the active support backend.', remoteObject };

    return withRemoteErrors(async () => {
      const request = await backend.findRequest(requestId);
      if (!request) return { status: 'ignored', reason: `SMAX Request ${requestId} was not found.`, remoteObject };
      const versioned = { ...remoteObject, version: request.version };
      const outcome = await this.applier.apply(backend, request);
      switch (outcome.status) {
        case 'applied':
          return { status: 'processed', remoteObject: versioned };
        case 'not-newer':
          return { status: 'ignored', reason: `This version of SMAX Request ${requestId} was applied before.`, remoteObject: versioned };
        case 'not-ours':
          return { status: 'ignored', reason: `SMAX Request ${requestId} belongs to no issue of ours.`, remoteObject: versioned };
      }
    });
  }
}

/** Reads the Request Id of a notification body; SMAX rules may send it as a string or a number. */
function requestIdOf(delivery: InboxDelivery): string | undefined {
  let body: unknown;
  try {
    body = stripNullCharacters(parseJsonBody(delivery));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return readString((body as { id?: unknown }).id)?.trim() || undefined;
}
