// 设置相关消息（followup init、followup.config.yaml），简体中文。合并进 zh-CN.ts。
import type { configEn } from './config.en.js';

export const configZhCN: Record<keyof typeof configEn, string> = {
};
