import { notFoundResponse } from "~/modules/auth/guards.server";

export async function loader() {
  throw notFoundResponse();
}

export default function NotFound() {
  return null;
}
