export default {
  organization: {},
};
