// 导入已填写的回访清单（followup import calls）的消息，简体中文。合并进 zh-CN.ts。
import type { sheetEn } from './sheet.en.js';

export const sheetZhCN: Record<keyof typeof sheetEn, string> = {
  'sheet.summary': '{file}：共 {rows} 行，新增 {inserted}，更新 {updated}，未变 {unchanged}，跳过 {skipped}（尚未填写回访结果），拒收 {rejected}',
  'sheet.missingColumns':
    '{file} 不是已填写的回访清单：缺少 {fields} 列。文件中的列：{found}。请用 followup plan --out 文件 导出清单，填写“回访结果”列（以及满意度、回拨时间、备注），再导入该文件。',
  'sheet.column': '“{name}”',
  'sheet.itemColumns': '“{itemId}”（或“{date}”和“{customerId}”）',
  'sheet.badItemId': '不是条目编号：“{value}”（请保持 followup plan --out 导出时的原样）',
  'sheet.unknownItem': '数据库中没有回访清单条目 {value}：这份清单是否由另一个数据库导出？',
  'sheet.itemMismatch': '条目 {item} 是 {date} 清单上的客户 {customer}，但本行写的是 {rowDate} 的 {rowCustomer}：清单导出后本行被改动过',
  'sheet.needsItem': '本行没有条目编号，也没有可用来在清单上找到客户的日期和客户编号',
  'sheet.duplicateRow': '清单上的这位客户已在本文件第 {line} 行出现：每位客户只保留一行',
  'sheet.badOutcome': '无法识别的回访结果“{value}”：请填写 {labels} 之一，或对应的编号（{ids}）',
  'sheet.satisfactionRequired': '回访完成时必须填写满意度：1（非常不满意）到 5（非常满意）的整数',
  'sheet.badSatisfaction': '不是满意度评分：“{value}”（应为 1 到 5 的整数，1 为非常不满意，5 为非常满意）',
  'sheet.satisfactionNotCompleted': '只有回访完成时才记录满意度，而本行的回访结果是“{outcome}”：请清空满意度，或修改回访结果',
  'sheet.callbackRequired': '回访结果“{outcome}”需要填写客户约定的时间，写在“{column}”列（如 2026-11-25 15:00）',
  'sheet.callbackNotCallback': '只有回访结果为“{callback}”时才填写回拨时间，而本行的回访结果是“{outcome}”：请清空回拨时间，或修改回访结果',
  'sheet.noAgent': '客户 {id} 在 {date} 的清单上没有分配回访专员：请重新运行 followup plan --date {date} 分配清单，再导入本文件',
  'sheet.claimed': '{agent} 正在回访界面上处理客户 {id}：请先完成该回访，或用 followup call --agent {agent} --release 释放，再重新导入本文件',
  'sheet.recordedElsewhere': '客户 {id} 已于 {at} {where}回访过，结果为“{recorded}”；本行写的是“{outcome}”。请把本行改为“{recorded}”，或清空其回访结果',
  'sheet.where.screen': '在回访界面上',
  'sheet.where.file': '通过回答文件（followup call --answers）',
  'sheet.flagged': '之前导入这份清单时已为客户 {id} 记录“{recorded}”，该结果会永久标记客户，无法通过表格撤销。请把回访结果改回“{recorded}”',
};
