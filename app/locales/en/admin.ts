import type zh from "../zh-CN/admin";

const en: typeof zh = {
  admin: {},
};
export default en;
