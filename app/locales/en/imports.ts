import type zh from "../zh-CN/imports";

const en: typeof zh = {
  imports: {},
};
export default en;
