export default {
  imports: {},
};
