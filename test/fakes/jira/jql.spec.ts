import { JqlError, parseJql } from './jql-parser';

describe('fake Jira JQL parser', () => {
  it('parses a poller query', () => {
    expect(parseJql('project = SUP AND updated >= "2024-01-31 10:00" ORDER BY updated ASC, key DESC')).toEqual({
      where: {
        type: 'and',
        left: { type: 'clause', field: 'project', operator: '=', value: { kind: 'literal', text: 'SUP' } },
        right: { type: 'clause', field: 'updated', operator: '>=', value: { kind: 'literal', text: '2024-01-31 10:00' } },
      },
      orderBy: [
        { field: 'updated', direction: 'asc' },
        { field: 'key', direction: 'desc' },
      ],
    });
  });

  it('parses lists, functions and EMPTY', () => {
    const query = parseJql('key in (SUP-1, "SUP-2") OR assignee = currentUser() OR NOT (labels is EMPTY)');
    expect(query.where).toMatchObject({
      type: 'or',
      left: {
        type: 'or',
        left: { operator: 'in', value: { kind: 'list', items: [{ text: 'SUP-1' }, { text: 'SUP-2' }] } },
        right: { value: { kind: 'function', name: 'currentuser', args: [] } },
      },
      right: { type: 'not', operand: { operator: 'is', value: { kind: 'empty' } } },
    });
  });

  it('parses quoted custom field names', () => {
    expect(parseJql('"waldur_backend_id" ~ "abc" AND cf[10115] !~ \'x\'').where).toMatchObject({
      left: { field: 'waldur_backend_id', operator: '~' },
      right: { field: 'cf[10115]', operator: '!~' },
    });
  });

  it('accepts an order-only query', () => {
    expect(parseJql('ORDER BY created DESC')).toEqual({ where: null, orderBy: [{ field: 'created', direction: 'desc' }] });
  });

  it('rejects broken queries', () => {
    for (const jql of ['project SUP', 'project = "SUP', 'key in SUP-1', 'project = SUP ORDER created', 'status WAS Open']) {
      expect(() => parseJql(jql)).toThrow(JqlError);
    }
  });
});
