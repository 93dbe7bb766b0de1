import { evaluateFilter, filterProperties, FilterSyntaxError, parseFilter } from './ems-filter';
import { EmsProperties } from './smax-types';

const person: EmsProperties = {
  Id: '10016',
  Email: 'jane@example.com',
  Upn: "o'brien",
  ExternalId: 'abc',
  LastUpdateTime: 1700000000500,
  IsSystemIntegration: false,
  Name: 'Jane Doe',
};

function matches(filter: string, record: EmsProperties = person): boolean {
  return evaluateFilter(parseFilter(filter), (name) => record[name]);
}

describe('EMS filter', () => {
  it.each([
    ['Id=10016', true],
    ['Id=10017', false],
    ["Id='10016'", true],
    ["Email='jane@example.com'", true],
    ["Email='JANE@example.com'", false],
    ["Upn='o''brien'", true],
    ["ExternalId = 'abc'", true],
    ['LastUpdateTime > 1700000000000', true],
    ['LastUpdateTime > 1700000000500', false],
    ['LastUpdateTime >= 1700000000500', true],
    ['LastUpdateTime < 1700000000000', false],
    ['LastUpdateTime <= 1700000000500', true],
    ["Email != 'x@example.com'", true],
    ["Email <> 'jane@example.com'", false],
    ['Id eq 10016', true],
    ['LastUpdateTime gt 1700000000000', true],
    ['LastUpdateTime lt 1700000000000', false],
    ["IsSystemIntegration = 'false'", true],
    ['IsSystemIntegration = false', true],
    ['Phone = null', true],
    ['Email = null', false],
    ['Email != null', true],
    ['Phone != 5', true],
    ["Id in ('1', '10016')", true],
    ['Id in (1, 2)', false],
  ])('evaluates %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it.each([
    ["Email='jane@example.com' and Id=10016", true],
    ["Email='jane@example.com' and Id=1", false],
    ["Email='nobody@example.com' or Id=10016", true],
    ["Email='nobody@example.com' OR Id=1", false],
    ['Id=1 or Id=2 and Id=10016', false],
    ['(Id=1 or Id=10016) and LastUpdateTime > 1', true],
    ['not Id=1', true],
    ["(Active = 'true' and AssignedToGroup = '198286')", false],
  ])('combines %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('keeps and tighter than or', () => {
    const tree = parseFilter('Id=1 or Id=2 and Id=3');

    expect(tree.kind).toBe('or');
  });

  it('treats a missing property as not equal', () => {
    expect(matches("Upn='x'", {})).toBe(false);
    expect(matches("Upn!='x'", {})).toBe(true);
  });

  it('lists the properties a filter reads', () => {
    const names = filterProperties(parseFilter("Email='a' and (Upn='b' or not RequestedByPerson.Email in ('c'))"));

    expect(names).toEqual(['Email', 'Upn', 'RequestedByPerson.Email']);
  });

  it.each([
    ["Email='unterminated", 6],
    ['Email', 5],
    ["Email ~ 'x'", 6],
    ['Id=1 and', 8],
    ['(Id=1', 5],
    ['Id=1 Id=2', 5],
    ["'x' = Email", 0],
  ])('rejects %s', (filter, position) => {
    let caught: unknown;
    try {
      parseFilter(filter);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(FilterSyntaxError);
    expect((caught as FilterSyntaxError).position).toBe(position);
  });
});
