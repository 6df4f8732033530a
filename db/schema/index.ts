export * from "./enums";
export * from "./organization";
export * from "./auth";
export * from "./audit";
export * from "./imports";
export * from "./settings";
export * from "./email";
export * from "./tokens";
