import type zh from "../zh-CN/auth";

const en: typeof zh = {
  auth: {
    title: "Sign in",
    identifier: "Email or staff number",
    password: "Password",
    submit: "Sign in",
    invalidCredentials: "Wrong account or password",
    accountDisabled: "This account is not open yet or has been disabled; contact the organization department",
    tooManyAttempts: "Too many attempts; try again in {{minutes}} minutes",
    signedOut: "You have signed out",
    changePasswordTitle: "Change password",
    mustChangePassword: "You signed in with a one-time password. Choose a new password first.",
    currentPassword: "Current password",
    newPassword: "New password",
    confirmPassword: "Confirm new password",
    currentPasswordWrong: "The current password is wrong",
    passwordUnchanged: "The new password must differ from the current one",
    passwordChanged: "Password changed; other devices have been signed out",
    sessionPolicy: "You will be asked to sign in again after {{idle}} hours without use or {{max}} days in all.",
    titles: {
      signIn: "Sign in",
      forgotPassword: "Forgot password",
      resetPassword: "Choose a new password",
      invitation: "Open your account",
    },
  },
};
export default en;
