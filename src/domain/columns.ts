// What each kind of export holds, and the many names its columns arrive under.
//
// CRMs, ERPs and helpdesks each name their columns differently (客户编号 / 客户ID / 会员编号 /
// customer_id …), and Excel users rename them. A header is matched after normalising it (full-width
// to half-width, case, spaces, underscores, a "(必填)" or "*" marker removed), so the alias lists
// only need the distinct words.

import { UserError, UsageError } from '../core/errors.js';
import { t, type MessageId } from '../messages/index.js';
import { halfWidth } from './values.js';

export type ImportKind = 'customers' | 'orders' | 'complaints';
export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'orders', 'complaints'];

export type FieldType = 'text' | 'phone' | 'email' | 'date' | 'datetime' | 'amount' | 'flag' | 'orderStatus' | 'ticketStatus';

export interface FieldSpec {
  field: string;
  type: FieldType;
  required: boolean;
  aliases: readonly string[];
  /** The stored columns the field fills, when not the ones FIELD_COLUMNS gives its name (rows.ts). */
  columns?: readonly string[];
}

const ID_ALIASES = ['id', '编号', 'ID号'];

export const FIELDS: Record<ImportKind, readonly FieldSpec[]> = {
  customers: [
    { field: 'id', type: 'text', required: true, aliases: [...ID_ALIASES, '客户编号', '客户ID', '客户id', '客户号', '客户代码', '会员编号', '会员ID', '会员号', '会员卡号', 'customer_id', 'customerid', 'customer_no', 'customer id', 'member_id', 'client_id', '用户ID', '用户编号', '用户id', '会员账号', '客户账号', '买家账号', '账号', 'user_id', 'userid', 'member_no', 'account'] },
    { field: 'name', type: 'text', required: false, aliases: ['客户姓名', '姓名', '客户名称', '客户名', '名称', '会员姓名', '联系人', 'name', 'customer_name', 'full_name', 'customer', '用户名', '用户姓名', '买家姓名', '买家', '收货人', '昵称', 'customer name', 'contact', 'contact_name'] },
    { field: 'phone', type: 'phone', required: false, aliases: ['手机', '手机号', '手机号码', '联系电话', '电话', '电话号码', '联系方式', '移动电话', 'mobile', 'phone', 'cellphone', 'cell', 'tel', 'telephone', 'phone_number', 'mobile_phone', '联系手机', '手机号码(必填)', '收货人手机', '收货人电话', '买家手机', '客户电话', '客户手机', '联系号码', '手机/电话', 'phone_no', 'mobile_no', 'contact_phone', 'tel_no'] },
    { field: 'email', type: 'email', required: false, aliases: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'mail', 'email_address'] },
    { field: 'city', type: 'text', required: false, aliases: ['城市', '所在城市', '地区', '所在地', 'city', 'region', '所在地区', '省市', '区域', '收货城市'] },
    { field: 'signupDate', type: 'date', required: false, aliases: ['注册时间', '注册日期', '开户日期', '入会时间', '入会日期', '创建时间', '建档日期', 'signup_date', 'signup', 'registered_at', 'register_date', 'created_at', 'join_date', '注册日期时间', '开卡日期', '开卡时间', '首次注册时间', 'registration_date', 'signup_at'] },
    { field: 'tier', type: 'text', required: false, aliases: ['会员等级', '等级', '客户等级', '客户级别', '级别', 'vip等级', 'tier', 'level', 'member_level', 'grade', '会员级别', '会员类型', '客户类型', '星级', 'vip_level', 'membership'] },
    { field: 'doNotCall', type: 'flag', required: false, aliases: ['拒绝回访', '勿扰', '免打扰', '禁止回访', '不回访', '拒绝来电', 'do_not_call', 'dnc', 'no_call', '是否免打扰', '是否勿扰', '勿扰标记', '免打扰标记', '拒访', '拒访标记', '是否拒访', '是否拒绝回访', '禁止外呼', '是否禁止外呼', '拒绝外呼', '拒接回访', '不接受回访', '禁止电话', '禁止致电', '黑名单', '电话黑名单', 'do not call', 'do_not_disturb', 'donotdisturb', 'dnd', 'no_contact', 'opt_out', 'optout'] },
    { field: 'preferredTime', type: 'text', required: false, aliases: ['偏好联系时间', '联系时间', '方便联系时间', '首选联系时间', '回访时间偏好', 'preferred_time', 'preferred_contact_time', 'contact_time', '联系时段', '方便联系时段', '方便接听时间', '可联系时间', '回访时段', '接听时段', '最佳联系时间', '回访时间', 'best_time', 'call_time', 'contact_window'] },
  ],
  orders: [
    { field: 'id', type: 'text', required: true, aliases: [...ID_ALIASES, '订单号', '订单编号', '订单ID', '单号', '订单id', 'order_id', 'orderid', 'order_no', 'order_number', '订单号码', '交易编号', '交易号', '流水号', '外部订单号', 'order no', 'trade_id', 'transaction_id'] },
    { field: 'customerId', type: 'text', required: true, aliases: ['客户编号', '客户ID', '客户id', '客户号', '会员编号', '会员ID', '会员号', '会员卡号', '买家ID', 'customer_id', 'customerid', 'customer_no', 'member_id', 'client_id', '用户ID', '用户编号', '用户id', '会员账号', '客户账号', '买家账号', '买家编号', 'buyer_id', 'user_id', 'userid', 'member_no'] },
    { field: 'orderedAt', type: 'datetime', required: true, aliases: ['下单时间', '订单日期', '下单日期', '订单时间', '购买时间', '购买日期', '交易时间', '成交时间', '创建时间', 'order_date', 'ordered_at', 'order_time', 'created_at', 'purchase_date', 'date', '付款时间', '支付时间', '订单创建时间', '下单日期时间', '交易创建时间', 'paid_at', 'payment_time', 'order_created_at'] },
    { field: 'amount', type: 'amount', required: false, aliases: ['金额', '订单金额', '实付金额', '支付金额', '成交金额', '订单总额', '总金额', '实收金额', 'amount', 'total', 'order_amount', 'price', 'paid', '实付款', '实付款(元)', '订单实付', '订单实付金额', '应付金额', '买家实付', '付款金额', '交易金额', '消费金额', 'paid_amount', 'payment_amount', 'amount_paid', 'total_amount'] },
    { field: 'product', type: 'text', required: false, aliases: ['商品', '商品名称', '产品', '产品名称', '品名', '商品名', 'product', 'product_name', 'item', 'sku', '宝贝标题', '商品标题', '商品信息', '产品型号', '型号', 'product_title', 'goods', 'goods_name'] },
    { field: 'channel', type: 'text', required: false, aliases: ['渠道', '购买渠道', '销售渠道', '下单渠道', '来源', '订单来源', '店铺', 'channel', 'source', 'store', '订单渠道', '来源渠道', '店铺名称', '平台', 'platform', 'shop'] },
    { field: 'status', type: 'orderStatus', required: false, columns: ['status', 'state', 'counts'], aliases: ['订单状态', '交易状态', '状态', '订单状态名称', '交易状态名称', '订单进度', 'status', 'state', 'order_status', 'trade_status'] },
  ],
  complaints: [
    { field: 'id', type: 'text', required: true, aliases: [...ID_ALIASES, '工单编号', '工单号', '工单ID', '投诉编号', '投诉单号', '投诉ID', 'ticket_id', 'ticketid', 'ticket_no', 'complaint_id', 'case_id', '工单ID号', '服务单号', '服务单编号', '投诉单号码', '案件编号', '事件编号', 'ticket no', 'case_no', 'issue_id'] },
    { field: 'customerId', type: 'text', required: true, aliases: ['客户编号', '客户ID', '客户id', '客户号', '会员编号', '会员ID', '会员号', 'customer_id', 'customerid', 'customer_no', 'member_id', 'client_id', '用户ID', '用户编号', '用户id', '会员卡号', '会员账号', '客户账号', '买家账号', 'buyer_id', 'user_id', 'userid', 'member_no'] },
    { field: 'openedAt', type: 'datetime', required: true, aliases: ['投诉时间', '投诉日期', '创建时间', '受理时间', '提交时间', '登记时间', 'opened_at', 'open_date', 'created_at', 'complaint_date', 'date', '工单创建时间', '创建日期', '投诉日期时间', '反馈时间', '报告时间', 'created', 'opened', 'reported_at'] },
    { field: 'resolvedAt', type: 'datetime', required: false, aliases: ['解决时间', '处理完成时间', '完成时间', '结案时间', '关闭时间', '解决日期', 'resolved_at', 'resolve_date', 'closed_at', 'close_date', '处理完成日期', '解决日期时间', '结案日期', '办结时间', '完结时间', 'resolved', 'closed_date', 'solved_at'] },
    { field: 'status', type: 'ticketStatus', required: false, columns: ['status', 'state', 'resolved_from'], aliases: ['状态', '处理状态', '工单状态', '投诉状态', '处理进度', '进度', '结案状态', '当前状态', 'status', 'state', 'ticket_status', 'case_status'] },
    { field: 'updatedAt', type: 'datetime', required: false, aliases: ['更新时间', '最后更新时间', '修改时间', '最后修改时间', '最后处理时间', '处理时间', '更新日期', 'updated_at', 'updated', 'last_modified', 'modified_at', 'last_update'] },
    { field: 'category', type: 'text', required: false, aliases: ['类别', '投诉类别', '投诉类型', '问题类型', '问题分类', '分类', 'category', 'type', 'complaint_type', '工单类型', '投诉分类', '问题类别', 'issue_type'] },
    { field: 'description', type: 'text', required: false, aliases: ['描述', '问题描述', '投诉内容', '内容', '详情', '客户反馈', 'description', 'details', 'content', 'summary', '工单内容', '投诉描述', '问题说明', '反馈内容', '备注说明', 'desc', 'issue'] },
  ],
};

export function parseKind(value: string): ImportKind {
  const kind = value.trim().toLowerCase();
  if ((IMPORT_KINDS as readonly string[]).includes(kind)) return kind as ImportKind;
  throw new UsageError('error.kind', { kind: value });
}

/** 会员 编号(必填)* → 会员编号; Customer_ID → customerid. */
export function normaliseHeader(header: string): string {
  return halfWidth(header)
    .toLowerCase()
    .replace(/[(\[【].*?[)\]】]/g, '') // "(必填)", "[yuan]", "【选填】"
    .replace(/[\s_\-*:.]/g, '');
}

/** Where each field is in the row, and the columns no field claims (kept so nothing is lost). */
export interface HeaderMapping {
  kind: ImportKind;
  headers: string[];
  fieldIndex: Map<string, number>;
  /** Columns no field claims, kept with each record under `key`: the header, made unique (a blank or repeated header gets its column number). */
  extras: { header: string; index: number; key?: string }[];
}

/** Parses repeated `--map "HEADER=field"` values. */
export function parseMapOptions(kind: ImportKind, values: readonly string[]): Map<string, string> {
  return parseHeaderMap(kind, FIELDS[kind].map((f) => f.field), values);
}

/**
 * `--map "HEADER=field"` values: normalised header → one of `fields` (the fields of `kind`, for the
 * error messages). A malformed value or an unknown field is a UsageError.
 */
export function parseHeaderMap<F extends string>(kind: string, fields: readonly F[], values: readonly string[]): Map<string, F> {
  const overrides = new Map<string, F>();
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const header = value.slice(0, at);
    // Fix: a header that normalises to nothing (" =id", "(必填)=id") can match no column (mapHeader
    // skips empty keys), so it was accepted and silently did nothing; it is as unreadable as "=id".
    if (at <= 0 || at === value.length - 1 || normaliseHeader(header) === '') {
      throw new UsageError('error.badMap', { value, fields: fields.join(', ') });
    }
    const field = value.slice(at + 1).trim();
    if (!(fields as readonly string[]).includes(field)) {
      throw new UsageError('error.badMapField', { value, field, kind, fields: fields.join(', ') });
    }
    overrides.set(normaliseHeader(header), field as F);
  }
  return overrides;
}

export function mapHeader(
  kind: ImportKind,
  headers: string[],
  overrides: Map<string, string>,
  fileLabel: string,
): HeaderMapping {
  const specs = FIELDS[kind];
  const fieldIndex = new Map<string, number>();
  const claimedBy = new Map<string, string>();
  const extras: HeaderMapping['extras'] = [];
  const aliasToField = new Map<string, string>();
  for (const spec of specs) {
    aliasToField.set(normaliseHeader(spec.field), spec.field);
    for (const alias of spec.aliases) aliasToField.set(normaliseHeader(alias), spec.field);
  }

  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    const field = overrides.get(key) ?? aliasToField.get(key);
    if (field === undefined || key === '') {
      extras.push({ header, index });
      return;
    }
    const previous = claimedBy.get(field);
    if (previous !== undefined) {
      // Two columns for one field: an explicit --map wins; otherwise the user must say which.
      if (overrides.get(key) === field) {
        extras.push({ header: previous, index: fieldIndex.get(field)! });
      } else if (overrides.get(normaliseHeader(previous)) === field) {
        extras.push({ header, index });
        return;
      } else {
        throw new UserError('error.duplicateColumn', { file: fileLabel, first: previous, second: header, field: fieldLabel(field) });
      }
    }
    fieldIndex.set(field, index);
    claimedBy.set(field, header);
  });

  const missing = specs.filter((s) => s.required && !fieldIndex.has(s.field));
  if (missing.length > 0) {
    throw new UserError('error.missingColumns', {
      file: fileLabel,
      fields: missing.map((s) => fieldLabel(s.field)).join(', '),
      field: missing[0].field,
      found: headers.map((h) => `"${h}"`).join(', ') || t('word.none'),
      accepted: missing.map((s) => s.aliases.filter((a) => !ID_ALIASES.includes(a)).slice(0, 8).join('/')).join('; '),
    });
  }
  extras.sort((a, b) => a.index - b.index);
  const taken = new Set<string>();
  for (const extra of extras) {
    let key = extra.header.trim() === '' ? `column ${extra.index + 1}` : extra.header;
    if (taken.has(key)) key = `${key} (column ${extra.index + 1})`;
    taken.add(key);
    extra.key = key;
  }
  return { kind, headers, fieldIndex, extras };
}

export function fieldLabel(field: string): string {
  return t(`field.${field}` as MessageId);
}
