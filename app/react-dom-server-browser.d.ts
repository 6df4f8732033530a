// react-dom's web-stream renderer, used on the server for its byte-clean output (app/entry.server.tsx).
declare module "react-dom/server.browser" {
  export { renderToReadableStream } from "react-dom/server";
}
