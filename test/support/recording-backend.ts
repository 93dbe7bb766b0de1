import { DynamicModule, Module } from '@nestjs/common';
import { TestingModuleBuilder } from '@nestjs/testing';
import type { EntityManager } from 'typeorm';

import { Attachment } from '../../src/support/attachments/attachment.entity';
import { SupportBackend } from '../../src/support/backends/support-backend';
import type { BackendName } from '../../src/support/common/backend-name';
import type { Feedback } from '../../src/support/feedback/feedback.entity';
import type { Issue } from '../../src/support/issues/issue.entity';
import { SupportModule } from '../../src/support/support.module';
import { createTestApp, TestApp, TestAppOptions } from './test-app';

export interface BackendCall {
  method: string;
  /** UUID of the attachment or feedback the call was about. */
  subject?: string;
  issue?: string;
  bytes?: number;
}

/** A `SupportBackend` that records what features ask of it; tests flip its switches. */
export class RecordingSupportBackend extends SupportBackend {
  readonly name: BackendName = 'basic';
  /** Answers in the caller's transaction and records feedback, so every call reaches it directly. */
  override readonly pushesThroughOutbox = false;
  override readonly recordsFeedback = true;
  override maxAttachmentBytes: number | undefined = undefined;
  calls: BackendCall[] = [];
  attachmentsCreatable = true;
  attachmentsDestroyable = true;
  /** The backend id `createAttachment` returns. */
  nextAttachmentBackendId: string | undefined = undefined;
  feedbackError: Error | undefined = undefined;

  callsOf(method: string): BackendCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async createIssue() {
    return {};
  }
  async updateIssue() {}
  async deleteIssue() {}
  async syncIssue() {}
  async createComment() {
    return {};
  }
  async updateComment() {}
  async deleteComment() {}

  async createAttachment(attachment: Attachment, issue: Issue, content: Buffer, _manager: EntityManager) {
    this.calls.push({ method: 'createAttachment', subject: attachment.uuid, issue: issue.uuid, bytes: content.length });
    return { backendId: this.nextAttachmentBackendId };
  }

  async deleteAttachment(attachment: Attachment, issue: Issue) {
    this.calls.push({ method: 'deleteAttachment', subject: attachment.uuid, issue: issue.uuid });
  }

  async createFeedback(feedback: Feedback, issue: Issue) {
    this.calls.push({ method: 'createFeedback', subject: feedback.uuid, issue: issue.uuid });
    if (this.feedbackError) throw this.feedbackError;
  }

  async pullSupportUsers() {}
  async pullPriorities() {}
  async pullRequestTypes() {}

  override attachmentCreateIsAvailable(): boolean {
    return this.attachmentsCreatable;
  }

  override attachmentDestroyIsAvailable(): boolean {
    return this.attachmentsDestroyable;
  }
}

@Module({})
class RecordingBackendModule {
  static register(backend: SupportBackend): DynamicModule {
    return {
      module: RecordingBackendModule,
      global: true,
      providers: [{ provide: SupportBackend, useValue: backend }],
      exports: [SupportBackend],
    };
  }
}

/**
 * Boots the app with `backend` behind the `SupportBackend` token. `overrideProvider`
 * replaces the token where a module provides it. Where none does yet, SupportModule is
 * re-declared with a global module that provides the double.
 * NOTE: drop the global module once the real backend provider is part of SupportModule.
 */
export function createSupportTestApp(backend: SupportBackend, options: TestAppOptions = {}): Promise<TestApp> {
  return createTestApp({
    ...options,
    configure: (builder: TestingModuleBuilder) => {
      const withBackend = builder
        .overrideProvider(SupportBackend)
        .useValue(backend)
        .overrideModule(SupportModule)
        .useModule({ module: SupportModule, imports: [RecordingBackendModule.register(backend)] });
      return options.configure ? options.configure(withBackend) : withBackend;
    },
  });
}
