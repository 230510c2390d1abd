import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../src/core/errors.js';
import {
  FIELDS,
  fieldLabel,
  IMPORT_KINDS,
  mapHeader,
  normaliseHeader,
  parseKind,
  parseMapOptions,
  type HeaderMapping,
  type ImportKind,
} from '../../src/domain/columns.js';
import { setLang } from '../../src/messages/index.js';

beforeAll(() => setLang('en'));

const NONE = new Map<string, string>();

/** The mapping as plain data: field → column index, and the extras. */
function plain(mapping: HeaderMapping) {
  return { kind: mapping.kind, fields: Object.fromEntries(mapping.fieldIndex), extras: mapping.extras };
}

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

describe('FIELDS', () => {
  it('has the fields of each kind in stored order, with id first and required', () => {
    expect(FIELDS.customers.map((f) => f.field)).toEqual(['id', 'name', 'phone', 'email', 'city', 'signupDate', 'tier', 'doNotCall', 'preferredTime']);
    expect(FIELDS.orders.map((f) => f.field)).toEqual(['id', 'customerId', 'orderedAt', 'amount', 'product', 'channel', 'status']);
    expect(FIELDS.complaints.map((f) => f.field)).toEqual(['id', 'customerId', 'openedAt', 'resolvedAt', 'status', 'updatedAt', 'category', 'description']);
    // Only the id (and an order's or ticket's customer and date) costs a record when missing.
    expect(FIELDS.customers.filter((f) => f.required).map((f) => f.field)).toEqual(['id']);
    expect(FIELDS.orders.filter((f) => f.required).map((f) => f.field)).toEqual(['id', 'customerId', 'orderedAt']);
    expect(FIELDS.complaints.filter((f) => f.required).map((f) => f.field)).toEqual(['id', 'customerId', 'openedAt']);
  });

  it('never gives one normalised alias to two fields of the same kind', () => {
    for (const kind of IMPORT_KINDS) {
      const owner = new Map<string, string>();
      for (const spec of FIELDS[kind]) {
        for (const alias of [spec.field, ...spec.aliases]) {
          const key = normaliseHeader(alias);
          expect(owner.get(key) ?? spec.field, `${kind}: "${alias}"`).toBe(spec.field);
          owner.set(key, spec.field);
        }
      }
    }
  });

  it('has an English label for every field', () => {
    for (const kind of IMPORT_KINDS) {
      for (const spec of FIELDS[kind]) expect(fieldLabel(spec.field)).not.toBe(`field.${spec.field}`);
    }
    expect(fieldLabel('doNotCall')).toBe('do-not-call');
    expect(fieldLabel('customerId')).toBe('customer id');
  });
});

describe('parseKind', () => {
  it.each([
    ['customers', 'customers'],
    [' Orders ', 'orders'],
    ['COMPLAINTS', 'complaints'],
  ])('reads %j as %j', (value, kind) => {
    expect(parseKind(value)).toBe(kind);
  });
  it.each(['customer', 'order', '', 'users'])('rejects %j with a UsageError', (value) => {
    const error = thrown(() => parseKind(value));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.id).toBe('error.kind');
    expect(error.params).toEqual({ kind: value });
  });
});

describe('normaliseHeader', () => {
  it.each([
    ['会员 编号(必填)*', '会员编号'],
    ['Customer_ID', 'customerid'],
    ['customer id', 'customerid'],
    ['customer-id', 'customerid'],
    ['  客户编号  ', '客户编号'],
    ['客户ＩＤ', '客户id'],
    ['手机号(必填)', '手机号'],
    ['手机号（必填）', '手机号'],
    ['*姓名', '姓名'],
    ['姓名*', '姓名'],
    ['【选填】邮箱', '邮箱'],
    ['金额[元]', '金额'],
    ['E-mail', 'email'],
    ['Signup.Date:', 'signupdate'],
    ['客户\u3000姓名', '客户姓名'],
  ])('normalises %j to %j', (header, key) => {
    expect(normaliseHeader(header)).toBe(key);
  });
});

describe('mapHeader', () => {
  describe('customers', () => {
    it('maps Chinese headers', () => {
      const headers = ['客户编号', '客户姓名', '手机号', '电子邮箱', '城市', '注册日期', '会员等级', '拒绝回访', '偏好联系时间'];
      const mapping = mapHeader('customers', headers, NONE, 'customers.csv');
      expect(mapping.headers).toEqual(headers);
      expect(plain(mapping)).toEqual({
        kind: 'customers',
        fields: { id: 0, name: 1, phone: 2, email: 3, city: 4, signupDate: 5, tier: 6, doNotCall: 7, preferredTime: 8 },
        extras: [],
      });
    });

    it('maps English headers, in any order and case', () => {
      const headers = ['Name', 'customer_id', 'mobile', 'Email', 'city', 'signup_date', 'tier', 'do_not_call', 'preferred_time'];
      expect(plain(mapHeader('customers', headers, NONE, 'customers.csv'))).toEqual({
        kind: 'customers',
        fields: { name: 0, id: 1, phone: 2, email: 3, city: 4, signupDate: 5, tier: 6, doNotCall: 7, preferredTime: 8 },
        extras: [],
      });
    });

    it('accepts the field names themselves as headers', () => {
      expect(plain(mapHeader('customers', ['id', 'name', 'signupDate', 'doNotCall'], NONE, 'c.csv')).fields).toEqual({
        id: 0,
        name: 1,
        signupDate: 2,
        doNotCall: 3,
      });
    });

    it('ignores surrounding spaces, full-width characters and required/optional markers', () => {
      const headers = ['  客户ＩＤ ', '*姓名', '手机号(必填)', '邮箱（选填）', ' 注册 日期 '];
      const mapping = mapHeader('customers', headers, NONE, 'customers.csv');
      expect(mapping.headers).toEqual(headers);
      expect(plain(mapping)).toEqual({
        kind: 'customers',
        fields: { id: 0, name: 1, phone: 2, email: 3, signupDate: 4 },
        extras: [],
      });
    });

    it('keeps unknown and empty-named columns as extras, with their index', () => {
      const headers = ['备注', '客户编号', '客户姓名', '推荐人', '', '手机号'];
      expect(plain(mapHeader('customers', headers, NONE, 'customers.csv'))).toEqual({
        kind: 'customers',
        fields: { id: 1, name: 2, phone: 5 },
        extras: [
          { header: '备注', index: 0, key: '备注' },
          { header: '推荐人', index: 3, key: '推荐人' },
          { header: '', index: 4, key: 'column 5' },
        ],
      });
    });
  });

  describe('orders', () => {
    it('maps Chinese headers', () => {
      const headers = ['订单号', '客户编号', '下单时间', '实付金额(元)', '商品名称', '渠道'];
      expect(plain(mapHeader('orders', headers, NONE, 'orders.csv'))).toEqual({
        kind: 'orders',
        fields: { id: 0, customerId: 1, orderedAt: 2, amount: 3, product: 4, channel: 5 },
        extras: [],
      });
    });

    it('maps English headers; "customer_id" is the customer, not the order id', () => {
      const headers = ['order_id', 'customer_id', 'order_date', 'amount', 'product', 'channel', 'coupon'];
      expect(plain(mapHeader('orders', headers, NONE, 'orders.csv'))).toEqual({
        kind: 'orders',
        fields: { id: 0, customerId: 1, orderedAt: 2, amount: 3, product: 4, channel: 5 },
        extras: [{ header: 'coupon', index: 6, key: 'coupon' }],
      });
    });
  });

  describe('complaints', () => {
    it('maps Chinese headers', () => {
      const headers = ['工单编号', '客户编号', '投诉时间', '解决时间', '处理状态', '投诉类型', '问题描述'];
      expect(plain(mapHeader('complaints', headers, NONE, 'complaints.csv'))).toEqual({
        kind: 'complaints',
        fields: { id: 0, customerId: 1, openedAt: 2, resolvedAt: 3, status: 4, category: 5, description: 6 },
        extras: [],
      });
    });

    it('maps English headers', () => {
      const headers = ['ticket_id', 'customer_id', 'opened_at', 'resolved_at', 'status', 'category', 'description', '处理人'];
      expect(plain(mapHeader('complaints', headers, NONE, 'complaints.csv'))).toEqual({
        kind: 'complaints',
        fields: { id: 0, customerId: 1, openedAt: 2, resolvedAt: 3, status: 4, category: 5, description: 6 },
        extras: [{ header: '处理人', index: 7, key: '处理人' }],
      });
    });
  });

  describe('--map', () => {
    it('maps a column no alias knows', () => {
      const overrides = parseMapOptions('customers', ['卡号=id', '备用电话=phone']);
      expect(plain(mapHeader('customers', ['卡号', '客户姓名', '备用电话'], overrides, 'c.csv'))).toEqual({
        kind: 'customers',
        fields: { id: 0, name: 1, phone: 2 },
        extras: [],
      });
    });

    it('matches the header after normalising both', () => {
      const overrides = parseMapOptions('customers', ['Card No.=id']);
      expect(plain(mapHeader('customers', [' card_no ', '姓名'], overrides, 'c.csv')).fields).toEqual({ id: 0, name: 1 });
    });

    it('moves a column to another field than its alias says', () => {
      // "联系人" would be the name; here it is the phone, and 姓名 is the name.
      const overrides = parseMapOptions('customers', ['联系人=phone']);
      expect(plain(mapHeader('customers', ['客户编号', '联系人', '姓名'], overrides, 'c.csv')).fields).toEqual({ id: 0, phone: 1, name: 2 });
    });

    it('resolves two columns for one field when the second is mapped (会员号=id)', () => {
      const overrides = parseMapOptions('customers', ['会员号=id']);
      expect(plain(mapHeader('customers', ['客户编号', '会员号', '客户姓名'], overrides, 'c.csv'))).toEqual({
        kind: 'customers',
        fields: { id: 1, name: 2 },
        extras: [{ header: '客户编号', index: 0, key: '客户编号' }],
      });
    });

    it('resolves two columns for one field when the first is mapped', () => {
      const overrides = parseMapOptions('customers', ['客户编号=id']);
      expect(plain(mapHeader('customers', ['客户编号', '会员号', '客户姓名'], overrides, 'c.csv'))).toEqual({
        kind: 'customers',
        fields: { id: 0, name: 2 },
        extras: [{ header: '会员号', index: 1, key: '会员号' }],
      });
    });

    it('ignores a --map whose header is not in the file', () => {
      const overrides = parseMapOptions('orders', ['单据编号=id']);
      expect(plain(mapHeader('orders', ['订单号', '客户编号', '下单时间', '金额'], overrides, 'o.csv')).fields).toEqual({
        id: 0,
        customerId: 1,
        orderedAt: 2,
        amount: 3,
      });
    });
  });

  describe('a missing required column', () => {
    it('throws a UserError naming the field, the columns found and the accepted names', () => {
      const error = thrown(() => mapHeader('orders', ['订单号', '客户编号', '金额', '备注'], NONE, 'orders.csv'));
      expect(error).toBeInstanceOf(UserError);
      expect(error).not.toBeInstanceOf(UsageError);
      expect(error.exitCode).toBe(1);
      expect(error.id).toBe('error.missingColumns');
      expect(error.params).toMatchObject({
        file: 'orders.csv',
        fields: 'order time',
        field: 'orderedAt',
        found: '"订单号", "客户编号", "金额", "备注"',
      });
      expect(String(error.params.accepted).split('/').slice(0, 3)).toEqual(['下单时间', '订单日期', '下单日期']);
      expect(error.message).toContain('orders.csv has no column for order time. Columns found: "订单号", "客户编号", "金额", "备注". ');
      expect(error.message).toContain('Rename the column or use --map "YOUR HEADER=orderedAt".');
    });

    it('names every missing field, by its label, and suggests --map for the first', () => {
      const error = thrown(() => mapHeader('orders', ['订单号', '备注'], NONE, 'orders.csv'));
      expect(error.id).toBe('error.missingColumns');
      expect(error.params.fields).toBe('customer id, order time');
      expect(error.params.field).toBe('customerId');
      expect(error.params.found).toBe('"订单号", "备注"');
      // One group of accepted names per missing field, without the generic id words.
      const groups = String(error.params.accepted).split('; ');
      expect(groups).toHaveLength(2);
      expect(groups[0].split('/')).toEqual(['客户编号', '客户ID', '客户id', '客户号', '会员编号', '会员ID', '会员号', '会员卡号']);
      expect(groups[1].split('/')[0]).toBe('下单时间');
      expect(error.message).toContain('orders.csv has no column for customer id, order time.');
      expect(error.message).toContain('use --map "YOUR HEADER=customerId"');
    });

    it('lists the id names without the generic 编号/id words', () => {
      const error = thrown(() => mapHeader('complaints', ['客户编号', '投诉时间'], NONE, 'complaints.csv'));
      expect(error.params.fields).toBe('id');
      expect(String(error.params.accepted).split('/')).toEqual(['工单编号', '工单号', '工单ID', '投诉编号', '投诉单号', '投诉ID', 'ticket_id', 'ticketid']);
    });

    it('says "none" for a header row with no columns', () => {
      const error = thrown(() => mapHeader('customers', [], NONE, 'empty.csv'));
      expect(error.params.found).toBe('none');
      expect(error.params.fields).toBe('id');
    });

    it('does not count a column that --map moved elsewhere', () => {
      const overrides = parseMapOptions('customers', ['客户编号=city']);
      const error = thrown(() => mapHeader('customers', ['客户编号', '姓名'], overrides, 'c.csv'));
      expect(error.params.fields).toBe('id');
    });
  });

  describe('two columns meaning the same field', () => {
    it('throws a UserError naming both columns and the field', () => {
      const error = thrown(() => mapHeader('customers', ['客户编号', '会员号', '客户姓名'], NONE, 'customers.csv'));
      expect(error).toBeInstanceOf(UserError);
      expect(error.id).toBe('error.duplicateColumn');
      expect(error.params).toEqual({ file: 'customers.csv', first: '客户编号', second: '会员号', field: 'id' });
      expect(error.message).toBe(
        'customers.csv: columns "客户编号" and "会员号" both mean id. Remove one, or use --map to say which is which.',
      );
    });

    it('catches headers that differ only in spacing, width or markers', () => {
      const error = thrown(() => mapHeader('customers', ['客户编号', '姓名', ' 手机 ', '手机(必填)'], NONE, 'c.csv'));
      expect(error.id).toBe('error.duplicateColumn');
      expect(error.params).toEqual({ file: 'c.csv', first: ' 手机 ', second: '手机(必填)', field: 'phone' });
    });

    it('uses the field label', () => {
      const error = thrown(() => mapHeader('customers', ['客户编号', '姓名', '勿扰', '免打扰'], NONE, 'c.csv'));
      expect(error.params.field).toBe('do-not-call');
    });

    it('is not resolved by a --map for an unrelated column', () => {
      const overrides = parseMapOptions('customers', ['备注=city']);
      const error = thrown(() => mapHeader('customers', ['客户编号', '会员号', '姓名', '备注'], overrides, 'c.csv'));
      expect(error.id).toBe('error.duplicateColumn');
    });
  });
});

describe('parseMapOptions', () => {
  const CUSTOMER_FIELDS = 'id, name, phone, email, city, signupDate, tier, doNotCall, preferredTime';

  it('returns normalised header → field', () => {
    expect(parseMapOptions('customers', ['会员号=id', ' Card No. = phone ', '客户ＩＤ(必填)=name'])).toEqual(
      new Map([
        ['会员号', 'id'],
        ['cardno', 'phone'],
        ['客户id', 'name'],
      ]),
    );
  });

  it('splits at the last "=", so a header may contain one', () => {
    expect(parseMapOptions('orders', ['金额=含税=amount'])).toEqual(new Map([['金额=含税', 'amount']]));
  });

  it('returns an empty map for no options', () => {
    expect(parseMapOptions('orders', [])).toEqual(new Map());
  });

  it.each(['foo', '=id', 'x=', '=', ' =id', '(必填)=id'])('rejects %j with error.badMap', (value) => {
    const error = thrown(() => parseMapOptions('customers', [value]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.id).toBe('error.badMap');
    expect(error.params).toEqual({ value, fields: CUSTOMER_FIELDS });
  });

  it.each<[ImportKind, string, string]>([
    ['customers', 'x=nonsense', 'nonsense'],
    ['customers', 'x=ID', 'ID'],
    ['customers', '客户编号=customerId', 'customerId'],
    ['orders', '姓名=name', 'name'],
  ])('%s: rejects %j with error.badMapField', (kind, value, field) => {
    const error = thrown(() => parseMapOptions(kind, [value]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.id).toBe('error.badMapField');
    expect(error.params).toEqual({ value, field, kind, fields: FIELDS[kind].map((f) => f.field).join(', ') });
  });

  it('says which fields there are', () => {
    expect(thrown(() => parseMapOptions('customers', ['x=nonsense'])).message).toBe(
      `--map "x=nonsense": nonsense is not a customers field. Fields: ${CUSTOMER_FIELDS}.`,
    );
  });
});
