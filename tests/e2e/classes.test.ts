import { describe, expect, it } from "vitest";
import { browserForSuite, DESKTOP, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();

const SPECIAL = "专题讲座：人工智能赋能政务服务";
const SMALL_ROOM = "市委党校第二教室";

describe("night classes", () => {
  it("a cadre on a phone registers, joins a full room's waitlist, moves up when the head cancels, and the emails are in the outbox", async () => {
    const cadreContext = await app.context(PHONE);
    const cadre = await cadreContext.newPage();
    await signIn(cadre, "cadre@luoshi.local");
    await cadre.goto("/classes");
    await cadre.getByRole("link", { name: new RegExp(SPECIAL) }).click();
    await cadre.waitForURL(/\/classes\/\d{4}-S1$/);
    const sessionUrl = new URL(cadre.url()).pathname;

    // Online first: the default choice.
    await cadre.getByRole("button", { name: "报名" }).click();
    await expect.poll(() => cadre.getByTestId("registration-outcome").textContent()).toContain("报名成功：线上直播");

    // The three-seat room is full: choosing it joins its waitlist, and the cadre stays online meanwhile.
    await cadre.getByRole("radio", { name: new RegExp(SMALL_ROOM) }).check();
    await cadre.getByRole("button", { name: "保存更改" }).click();
    await expect.poll(() => cadre.getByTestId("registration-outcome").textContent()).toContain("已进入候补第 1 位");
    await expect.poll(() => cadre.getByTestId("my-place").textContent()).toContain("正在候补市委党校第二教室，第 1 位");

    // The head, who has one of the room's seats, cancels.
    const headContext = await app.context(DESKTOP);
    const head = await headContext.newPage();
    await signIn(head, "head@luoshi.local");
    await head.goto(sessionUrl);
    head.once("dialog", (d) => void d.accept());
    await head.getByRole("button", { name: "取消报名" }).click();
    await expect.poll(() => head.getByTestId("registration-outcome").textContent()).toContain("已取消报名");

    // The seat is the cadre's now.
    await cadre.reload();
    await expect.poll(() => cadre.getByTestId("my-place").textContent()).toContain(SMALL_ROOM);
    expect(await cadre.getByTestId("my-place").textContent()).not.toContain("正在候补");

    // The outbox stands in for the mailbox: confirmation, waitlist, promotion.
    const adminContext = await app.context(DESKTOP);
    const admin = await adminContext.newPage();
    await signIn(admin, "admin@luoshi.local");
    await admin.goto("/admin/outbox?recipient=cadre%40luoshi.local");
    const rows = admin.locator("tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    const text = await admin.locator("tbody").innerText();
    expect(text).toContain(`报名成功：${SPECIAL}`);
    expect(text).toContain(`已进入候补：${SPECIAL}`);
    expect(text).toContain(`候补成功：${SPECIAL}`);
    await Promise.all([cadreContext.close(), headContext.close(), adminContext.close()]);
  });

  it("a cadre asks for leave from a coming session and the unit head approves it", async () => {
    const cadreContext = await app.context(PHONE);
    const cadre = await cadreContext.newPage();
    await signIn(cadre, "cadre@luoshi.local");
    await cadre.goto("/classes");
    // An evening of the series after the next one (the next one is left to the check-in tests):
    // mandatory, and already registered by the enrolment.
    const next = cadre.locator(".class-card", { hasText: "必修" }).nth(1);
    await next.locator("a").first().click();
    await cadre.waitForURL(/\/classes\/\d{4}-\d{2}$/);
    const sessionUrl = new URL(cadre.url()).pathname;
    await cadre.getByLabel("请假事由").fill("当晚陪同省教育厅检查组开展校园安全督查");
    await cadre.getByRole("button", { name: "提交请假申请" }).click();
    await expect.poll(() => cadre.getByTestId("my-leave").textContent()).toContain("请假待审批");

    const headContext = await app.context(PHONE);
    const head = await headContext.newPage();
    await signIn(head, "head@luoshi.local");
    await head.goto("/classes/leave");
    const card = head.locator("li", { hasText: "陪同省教育厅检查组" });
    await card.getByLabel("审批意见（选填）").fill("同意，请观看回放补学");
    await card.getByRole("button", { name: "准假", exact: true }).click();
    await expect.poll(() => head.locator("[role=status]").textContent()).toContain("已准假");

    await cadre.goto(sessionUrl);
    await expect.poll(() => cadre.getByTestId("my-leave").textContent()).toContain("已准假");
    expect(await cadre.getByTestId("my-leave").textContent()).toContain("同意，请观看回放补学");
    await Promise.all([cadreContext.close(), headContext.close()]);
  });
});
