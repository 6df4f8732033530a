import type zh from "../zh-CN/classes";

const en: typeof zh = {
  classes: {},
};
export default en;
