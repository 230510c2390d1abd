// Messages for settings (followup init, followup.config.yaml), English. Merged into en.ts.
export const configEn = {
} as const;
