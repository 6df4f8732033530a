import type zh from "../zh-CN/frontline";

const en: typeof zh = {
  frontline: {},
};
export default en;
