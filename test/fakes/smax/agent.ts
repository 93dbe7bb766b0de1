import { runBulk } from './bulk';
import { addComments } from './collaboration';
import { FakeActionError, SmaxHttpError } from './errors';
import { FakeContext } from './fake-context';
import { describeFile, FileDescription, storeFile } from './files';
import { attachmentEntryFor, parseRequestAttachments, serializeRequestAttachments } from './request-attachments';
import { AGENT_USER } from './seed';
import { Actor, EmsProperties, PrivacyType, StoredComment } from './smax-types';

export interface AgentCommentInput {
  body: string;
  /** Defaults to PUBLIC. */
  privacy?: PrivacyType;
  /** Sent as `FunctionalPurpose` when given; Waldur treats anything but `EndUserComment` as a system comment. */
  functionalPurpose?: string;
  /** Person who submits the comment; defaults to the agent's Person. */
  submitterPersonId?: string;
}

export interface AgentAttachmentInput {
  fileName: string;
  contentType?: string;
  content: Buffer;
}

/**
 * Actions of the SMAX agent (`smax-agent`). They run the same operations as
 * the REST routes, so they validate the same way, move `LastUpdateTime` and
 * send change notifications, but they bypass HTTP: they are not in the
 * request log and injected HTTP faults do not touch them.
 */
export class AgentActions {
  private readonly actor: Actor = { login: AGENT_USER.login, personId: AGENT_USER.personId };

  constructor(private readonly ctx: FakeContext) {}

  /** Creates a Request through a bulk CREATE and returns its stored properties. */
  createRequest(properties: EmsProperties): EmsProperties {
    const id = this.bulk('CREATE', properties);
    return this.ctx.store.current('Request', id) ?? {};
  }

  /** Changes a Request through a bulk UPDATE and returns its stored properties. */
  updateRequest(requestId: string, properties: EmsProperties): EmsProperties {
    this.bulk('UPDATE', { ...properties, Id: requestId });
    return this.ctx.store.current('Request', requestId) ?? {};
  }

  /** Moves a Request to another phase (e.g. Close or Abandon), with any extra properties the workflow needs. */
  setPhase(requestId: string, phaseId: string, extra: EmsProperties = {}): EmsProperties {
    return this.updateRequest(requestId, { ...extra, PhaseId: phaseId });
  }

  comment(requestId: string, input: AgentCommentInput): StoredComment {
    const comment: Record<string, unknown> = {
      IsSystem: false,
      Body: input.body,
      PrivacyType: input.privacy ?? 'PUBLIC',
      Submitter: { UserId: input.submitterPersonId ?? this.actor.personId },
      ActualInterface: 'SAW',
      CommentFrom: 'Agent',
    };
    if (input.functionalPurpose !== undefined) {
      comment.FunctionalPurpose = input.functionalPurpose;
    }
    try {
      return addComments(this.ctx, requestId, [comment], this.actor)[0];
    } catch (error) {
      if (error instanceof SmaxHttpError) {
        throw new FakeActionError(`Agent comment on Request ${requestId} failed: ${error.message}`, error.body);
      }
      throw error;
    }
  }

  /** Uploads a file and appends it to the Request's `RequestAttachments`, as the SMAX UI does. */
  attach(requestId: string, input: AgentAttachmentInput): { file: FileDescription; request: EmsProperties } {
    const request = this.ctx.store.current('Request', requestId);
    if (!request) {
      throw new FakeActionError(`Request ${requestId} was not found.`, { requestId });
    }
    let file;
    try {
      file = storeFile(this.ctx, { name: input.fileName, contentType: input.contentType, content: input.content }, this.actor);
    } catch (error) {
      if (error instanceof SmaxHttpError) {
        throw new FakeActionError(`Agent upload failed: ${error.message}`, error.body);
      }
      throw error;
    }
    const creator = this.ctx.store.current('Person', this.actor.personId)?.ExternalId;
    const entries = parseRequestAttachments(request.RequestAttachments);
    entries.push(attachmentEntryFor(file, typeof creator === 'string' ? creator : undefined));
    const updated = this.updateRequest(requestId, { RequestAttachments: serializeRequestAttachments(entries) });
    return { file: describeFile(file), request: updated };
  }

  private bulk(operation: 'CREATE' | 'UPDATE', properties: EmsProperties): string {
    const response = runBulk(this.ctx, { operation, entities: [{ entity_type: 'Request', properties }] }, this.actor);
    const result = response.entity_result_list[0];
    if (result.completion_status !== 'OK') {
      throw new FakeActionError(`Agent ${operation} of Request failed: ${result.errorDetails?.message ?? 'unknown error'}`, result);
    }
    return String(result.entity.properties.Id);
  }
}
