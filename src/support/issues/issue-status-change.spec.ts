import { IssueStatusType } from '../statuses/issue-status.entity';
import { statusChangeFields } from './issue-status-change';

const TYPES = new Map([
  ['Open', IssueStatusType.ACTIVE],
  ['Close', IssueStatusType.RESOLVED],
  ['Abandon', IssueStatusType.CANCELED],
]);
const NOW = new Date('2024-01-31T10:00:00Z');
const EARLIER = new Date('2024-01-30T10:00:00Z');

function open(status = 'Open') {
  return { status, resolutionDate: null, feedbackRequest: true };
}

describe('statusChangeFields', () => {
  it('changes nothing for the same status', () => {
    expect(statusChangeFields(open(), 'Open', TYPES, { feedbackEnabled: true, now: NOW })).toEqual({});
  });

  it('resolves with a feedback request', () => {
    expect(statusChangeFields(open(), 'Close', TYPES, { feedbackEnabled: true, now: NOW })).toEqual({
      status: 'Close',
      resolutionDate: NOW,
      feedbackRequestedAt: NOW,
    });
  });

  it('resolves without feedback when it is disabled', () => {
    expect(statusChangeFields(open(), 'Close', TYPES, { feedbackEnabled: false, now: NOW })).toEqual({ status: 'Close', resolutionDate: NOW });
  });

  it('resolves without feedback when the issue declines it', () => {
    const issue = { ...open(), feedbackRequest: false };
    expect(statusChangeFields(issue, 'Close', TYPES, { feedbackEnabled: true, now: NOW })).toEqual({ status: 'Close', resolutionDate: NOW });
  });

  it('cancels without a feedback request', () => {
    expect(statusChangeFields(open(), 'Abandon', TYPES, { feedbackEnabled: true, now: NOW })).toEqual({ status: 'Abandon', resolutionDate: NOW });
  });

  it('keeps the resolution date between terminal statuses', () => {
    const issue = { status: 'Abandon', resolutionDate: EARLIER, feedbackRequest: true };
    expect(statusChangeFields(issue, 'Close', TYPES, { feedbackEnabled: true, now: NOW })).toEqual({ status: 'Close', feedbackRequestedAt: NOW });
  });

  it('clears the resolution date on reopening', () => {
    const issue = { status: 'Close', resolutionDate: EARLIER, feedbackRequest: true };
    expect(statusChangeFields(issue, 'Open', TYPES, { feedbackEnabled: true, now: NOW })).toEqual({ status: 'Open', resolutionDate: null });
  });

  it('treats unknown statuses as open', () => {
    expect(statusChangeFields(open(), 'Escalate', TYPES, { feedbackEnabled: true, now: NOW })).toEqual({ status: 'Escalate' });
  });
});
