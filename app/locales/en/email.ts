import type zh from "../zh-CN/email";

const en: typeof zh = {
  email: {},
};
export default en;
