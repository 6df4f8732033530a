export default {
  classes: {},
};
