"""Demo data, built through the same services as real use, so history and audit are real too.

Each app contributes a `seed(ctx)` step; `seed_demo` runs them in order. Every step is idempotent:
it looks things up by natural keys and only creates what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.models import User

DEMO_PASSWORD = "Award-demo-2026"


@dataclass
class DemoContext:
    stdout: Any
    users: dict[str, Any] = field(default_factory=dict)
    cycles: dict[str, Any] = field(default_factory=dict)
    enterprises: dict[str, Any] = field(default_factory=dict)
    applications: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def log(self, msg: str) -> None:
        self.stdout.write(msg)


def demo_user(
    ctx: DemoContext, key: str, email: str, full_name: str, *, role_label: str, superuser=False, lang="zh-hans"
):
    user = User.objects.filter(email=email).first()
    if user is None:
        maker = User.objects.create_superuser if superuser else User.objects.create_user
        user = maker(
            email=email, password=DEMO_PASSWORD, full_name=full_name, email_verified=True, preferred_language=lang
        )
    ctx.users[key] = user
    ctx.logins.append((role_label, email))
    return user


def seed_people(ctx: DemoContext) -> None:
    demo_user(ctx, "admin", "admin@demo.mqa.cn", "系统管理员 Admin", role_label="admin", superuser=True)
    demo_user(ctx, "secretary", "secretary@demo.mqa.cn", "李秘书 Li Mishu", role_label="secretary")
    experts = [
        ("王建国", "Wang Jianguo"),
        ("刘芳", "Liu Fang"),
        ("陈志强", "Chen Zhiqiang"),
        ("杨静", "Yang Jing"),
        ("赵磊", "Zhao Lei"),
        ("黄敏", "Huang Min"),
        ("周涛", "Zhou Tao"),
        ("吴丽华", "Wu Lihua"),
    ]
    for i, (zh, en) in enumerate(experts, start=1):
        demo_user(
            ctx,
            f"expert{i}",
            f"expert{i}@demo.mqa.cn",
            f"{zh} {en}",
            role_label="expert",
            lang="en" if i == 8 else "zh-hans",
        )
    committee = [
        ("郑国华", "Zheng Guohua"),
        ("孙立新", "Sun Lixin"),
        ("马红梅", "Ma Hongmei"),
        ("朱永康", "Zhu Yongkang"),
        ("胡晓东", "Hu Xiaodong"),
        ("林秀英", "Lin Xiuying"),
        ("何建平", "He Jianping"),
    ]
    for i, (zh, en) in enumerate(committee, start=1):
        demo_user(ctx, f"committee{i}", f"committee{i}@demo.mqa.cn", f"{zh} {en}", role_label="committee member")
