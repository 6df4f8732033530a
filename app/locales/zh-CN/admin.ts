export default {
  admin: {},
};
