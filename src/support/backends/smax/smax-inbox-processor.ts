import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { stripNullCharacters } from '../../common/null-characters';
import { InboxDelivery, InboxOutcome, InboxProcessor, parseJsonBody } from '../../sync/inbox/inbox-processor';
import { backendCanSync } from '../backend-sync-rule';
import { SmaxAdapterProvider } from './smax-adapter.provider';
import { withRemoteErrors } from './smax-remote-error';
import { SMAX_BACKEND_NAME, SMAX_REQUEST_OBJECT, SmaxRequestApplier } from './smax-request-applier';
import { readString } from './smax-values';

/**
 * Applies SMAX change notifications. A notification names only the Request (`{"id": "..."}`),
 * so the Request is read again from SMAX and applied through `SmaxRequestApplier`, which
 * ignores versions applied before: repeated and late deliveries change nothing. This runs
 * whichever backend is active, as long as the SMAX settings are complete.
 */
@Injectable()
export class SmaxInboxProcessor extends InboxProcessor {
  readonly source = SMAX_BACKEND_NAME;

  constructor(
    private readonly applier: SmaxRequestApplier,
    private readonly adapters: SmaxAdapterProvider,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async process(delivery: InboxDelivery): Promise<InboxOutcome> {
    const requestId = requestIdOf(delivery);
    if (requestId === undefined) return { status: 'ignored', reason: 'The body is not a JSON object with a Request "id".' };
    const remoteObject = { type: SMAX_REQUEST_OBJECT, id: requestId };
    const missingSettings = this.adapters.missingSettings();
    if (!(await backendCanSync(this.dataSource, { name: SMAX_BACKEND_NAME, title: 'SMAX', missingSettings }))) {
      return { status: 'ignored', reason: 'SMAX is not configured and no issue belongs to it.', remoteObject };
    }
    const backend = this.adapters.current();

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
