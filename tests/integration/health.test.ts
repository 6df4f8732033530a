import { describe, expect, it } from "vitest";
import * as healthz from "~/routes/healthz";
import { setConnection } from "~/utils/db.server";
import { connect } from "~db/client";
import { freePort } from "~db/embedded";
import { testDatabase } from "../setup/db";
import { callRoute, makeRequest } from "../setup/routes";

const conn = await testDatabase();

describe("GET /healthz", () => {
  it("answers ok while the database answers", async () => {
    const res = await healthz.loader();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("answers 503 when the database is unreachable", async () => {
    // Nothing listens on a port we just found free.
    const dead = connect(`postgres://nobody:nothing@127.0.0.1:${await freePort()}/none`, { max: 1 });
    setConnection(dead);
    try {
      const res = await healthz.loader();
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "error", db: "unreachable" });
    } finally {
      setConnection(conn);
      await dead.close();
    }
    expect((await callRoute(healthz.loader, makeRequest("/healthz"))).status).toBe(200);
  });
});
