import type zh from "../zh-CN/organization";

const en: typeof zh = {
  organization: {},
};
export default en;
