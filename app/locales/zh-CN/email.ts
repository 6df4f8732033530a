export default {
  email: {},
};
