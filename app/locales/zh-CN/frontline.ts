export default {
  frontline: {},
};
