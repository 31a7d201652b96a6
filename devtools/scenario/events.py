"""Events of the world, as columnar chunks of canonical rows.

Canonical values: phones are 11-digit integers, times are seconds since
`world.EPOCH`, names are the true name (sources add typos and aliases later).
Each ring's events come from a generator keyed by the ring number, so any one
ring can be regenerated on its own (the ground truth does this for rosters).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterator

import numpy as np

from devtools.scenario import names as V
from devtools.scenario.world import (
    BROKER,
    BUYER,
    CHUNK,
    COLUMNS,
    COURIER,
    ESCROW_ACCOUNT,
    ESCROW_NAME,
    FORUM,
    GROUPS,
    MERCHANT,
    MULE,
    ORGANISER,
    PERIOD_S,
    PUBLIC_WIFI_IP,
    SELLER,
    SETTLEMENT_ACCOUNT,
    SETTLEMENT_NAME,
    SUPPLIER,
    Chunk,
    World,
    _rng,
)

ROLE_ZH = {
    ORGANISER: "组织者",
    SELLER: "贩卖人员",
    COURIER: "运送人员",
    MULE: "提供账户",
    BROKER: "中间人",
    BUYER: "购毒人员",
}
RING_BATCH = 64


class Rows:
    """Rows of several kinds collected for one batch of rings."""

    def __init__(self) -> None:
        self.cols: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))

    def add(self, kind: str, **cols: object) -> None:
        target = self.cols[kind]
        n = None
        for value in cols.values():
            if isinstance(value, np.ndarray | list):
                n = len(value)
        for name, value in cols.items():
            if isinstance(value, np.ndarray):
                target[name].extend(value.tolist())
            elif isinstance(value, list):
                target[name].extend(value)
            else:
                target[name].extend([value] * (n if n is not None else 1))

    def chunks(self) -> Iterator[Chunk]:
        for kind in sorted(self.cols):
            yield Chunk(kind, {k: v for k, v in self.cols[kind].items()})


def _times(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, PERIOD_S - 5 * 86_400, n)


def _durations(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.clip(rng.lognormal(4.0, 1.0, n), 3, 3600).astype(np.int64)


def ring_buyers(world: World) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for k, b in enumerate(world.indices(BUYER).tolist()):
        for r in world.buyer_rings[k]:
            out[r].append(b)
    return out


def ring_brokers(world: World) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for k, b in enumerate(world.indices(BROKER).tolist()):
        for r in world.broker_rings[k]:
            out[r].append(b)
    return out


def seized(world: World) -> np.ndarray:
    """Whose handset police seized and extracted: most organisers, many members, a few buyers."""
    rng = _rng(world.seed, 3)
    u = rng.random(world.people)
    p = np.select(
        [world.role == ORGANISER, np.isin(world.role, (SELLER, COURIER, MULE, BROKER)), world.role == BUYER],
        [0.9, 0.55, 0.1],
        0.0,
    )
    return u < p


def criminal_chunks(world: World) -> Iterator[Chunk]:
    buyers = ring_buyers(world)
    brokers = ring_brokers(world)
    is_seized = seized(world)
    for start in range(0, world.params.rings, RING_BATCH):
        rows = Rows()
        for r in range(start, min(start + RING_BATCH, world.params.rings)):
            _ring_events(world, r, buyers[r], brokers[r], is_seized, rows)
        if start == 0:
            _supplier_payments(world, rows)
        yield from rows.chunks()
    rows = Rows()
    for r in range(world.params.rings):
        cases = roster_rows(world, r, buyers[r], brokers[r])
        if cases:
            rows.add("roster", **cases)
    yield from rows.chunks()


def _ring_events(
    world: World, r: int, buyers: list[int], brokers: list[int], is_seized: np.ndarray, rows: Rows
) -> None:
    rng = _rng(world.seed, 100, r)
    m = world.members_of(r)
    role = world.role[m]
    org, sellers, couriers, mules = (m[role == x] for x in (ORGANISER, SELLER, COURIER, MULE))

    # Calls inside the ring: organisers talk to everyone, the rest to about half the others.
    iu, ju = np.triu_indices(len(m), 1)
    is_org = role == ORGANISER
    keep = rng.random(len(iu)) < np.where(is_org[iu] | is_org[ju], 1.0, 0.5)
    iu, ju = iu[keep], ju[keep]
    reps = 1 + rng.poisson(4, len(iu))
    a, b = np.repeat(iu, reps), np.repeat(ju, reps)
    flip = rng.random(len(a)) < 0.5
    t = _times(rng, len(a))
    pa, pb = world.business_phone(m[a], t), world.business_phone(m[b], t)
    rows.add(
        "cdr",
        caller=np.where(flip, pb, pa),
        callee=np.where(flip, pa, pb),
        start_time=t,
        duration_s=_durations(rng, len(a)),
    )
    # Family and friends: a few calls from each member's own phone to ordinary people.
    noise = world.noise
    fam = rng.integers(1, 4, len(m))
    who = np.repeat(m, fam)
    kin = noise[rng.integers(0, len(noise), len(who))]
    reps = rng.integers(1, 4, len(who))
    who, kin = np.repeat(who, reps), np.repeat(kin, reps)
    rows.add(
        "cdr",
        caller=world.phone_number[who],
        callee=world.phone_number[kin],
        start_time=_times(rng, len(who)),
        duration_s=_durations(rng, len(who)),
    )
    # Organisers coordinate on chat with every member.
    for o in org.tolist():
        for x in m.tolist():
            if x == o:
                continue
            n = int(rng.integers(1, 5))
            fwd = rng.random(n) < 0.5
            t = _times(rng, n)
            po, px = world.business_phone(np.full(n, o), t), world.business_phone(np.full(n, x), t)
            rows.add(
                "messages",
                sender=np.where(fwd, po, px),
                receiver=np.where(fwd, px, po),
                sent_at=t,
                app=["telegram" if v else "wechat" for v in (rng.random(n) < 0.6).tolist()],
                text=[V.DRUG_MEMOS[int(k)] or "收到" for k in rng.integers(0, len(V.DRUG_MEMOS), n)],
            )

    drops = world.ring_drops(r)
    mule_accounts = _mule_accounts(world, mules)
    org_card = world.bank_card(org[:1])[0]
    org_alipay = world.alipay(org[:1])[0]
    # Buyers: chat with a seller, pay a mule, receive a parcel sent by a courier from a drop address.
    for buyer in buyers:
        n_buys = int(min(1 + rng.pareto(1.5), 8))
        for _ in range(n_buys):
            t0 = int(_times(rng, 1)[0])
            seller = int(rng.choice(sellers))
            n_msg = int(rng.integers(2, 7))
            fwd = np.arange(n_msg) % 2 == 0
            pb, ps = int(world.phone_number[buyer]), int(world.business_phone(seller, t0))
            slang = V.SLANG[int(rng.integers(0, len(V.SLANG)))]
            app = "wechat" if rng.random() < 0.6 else "telegram"
            rows.add(
                "messages",
                sender=np.where(fwd, pb, ps),
                receiver=np.where(fwd, ps, pb),
                sent_at=t0 + np.arange(n_msg) * 120,
                app=app,
                text=[f"{slang}还有吗" if k % 2 == 0 else f"有，{slang}多少要" for k in range(n_msg)],
            )
            amount = float(round(rng.uniform(200, 3000), 2))
            mule, acct_kind, acct = mule_accounts[int(rng.integers(0, len(mule_accounts)))]
            t_pay = t0 + n_msg * 120 + 300
            if acct_kind == "bank":
                _bank(
                    world,
                    rows,
                    payer=(world.bank_card([buyer])[0], world.names[buyer]),
                    payee=(acct, world.names[mule]),
                    amount=amount,
                    at=t_pay,
                    memo="货款",
                    payer_side=False,
                    payee_side=True,
                    bank=int(world.bank_of([mule])[0]),
                )
                _bank(
                    world,
                    rows,
                    payer=(acct, world.names[mule]),
                    payee=(org_card, world.names[int(org[0])]),
                    amount=round(amount * 0.97, 2),
                    at=t_pay + int(rng.integers(1800, 6 * 3600)),
                    memo="还款",
                    payer_side=True,
                    payee_side=True,
                    bank=int(world.bank_of([mule])[0]),
                )
            else:
                _payment(
                    rows,
                    acct_kind,
                    world.alipay([buyer])[0] if acct_kind == "alipay" else world.wechat([buyer])[0],
                    world.names[buyer],
                    acct,
                    world.names[mule],
                    amount,
                    t_pay,
                    slang if rng.random() < 0.2 else "",
                )
                _payment(
                    rows,
                    "alipay",
                    acct if acct_kind == "alipay" else world.alipay([mule])[0],
                    world.names[mule],
                    org_alipay,
                    world.names[int(org[0])],
                    round(amount * 0.97, 2),
                    t_pay + int(rng.integers(1800, 6 * 3600)),
                    "",
                )
            courier = int(rng.choice(couriers))
            sent = t_pay + int(rng.integers(3600, 20 * 3600))
            _waybill(
                world,
                rows,
                rng,
                sender_name=V.alias(world.names[courier], int(rng.integers(0, 99))),
                sender_phone=int(world.business_phone(courier, sent)),
                sender_address=drops[int(rng.integers(0, len(drops)))],
                receiver_name=world.names[buyer],
                receiver_phone=int(world.phone_number[buyer]),
                receiver_address=world.homes[buyer],
                item=V.ITEMS_DRUG[int(rng.integers(0, len(V.ITEMS_DRUG)))],
                weight=float(round(rng.uniform(0.1, 0.6), 2)),
                sent=sent,
            )

    # Upstream: the supplier ships bulk to a drop address, addressed to a courier under an alias.
    s = int(world.ring_supplier[r])
    supplier = int(world.indices(SUPPLIER)[s])
    for j in range(int(rng.integers(6, 15))):
        courier = int(rng.choice(couriers))
        alias_of = int(rng.integers(0, 99))
        weight = float(round(rng.uniform(0.5, 3.0), 2))
        sent = int(_times(rng, 1)[0])
        _waybill(
            world,
            rows,
            rng,
            sender_name=V.SURNAMES[s % len(V.SURNAMES)] + "先生",
            sender_phone=world.supplier_phone(s, r, j),
            sender_address=world.homes[supplier],
            receiver_name=V.alias(world.names[courier], alias_of),
            receiver_phone=int(world.business_phone(courier, sent)),
            receiver_address=drops[j % len(drops)],
            item="茶叶",
            weight=weight,
            sent=sent,
        )

    # Brokers: talk to the organisers and a few members, launder money through the mules.
    for broker in brokers:
        contacts = list(org.tolist()) + rng.choice(m[~is_org], size=2, replace=False).tolist()
        for x in contacts:
            n = int(rng.integers(6, 16))
            fwd = rng.random(n) < 0.5
            t = _times(rng, n)
            pb, px = world.business_phone(np.full(n, broker), t), world.business_phone(np.full(n, x), t)
            rows.add(
                "cdr",
                caller=np.where(fwd, pb, px),
                callee=np.where(fwd, px, pb),
                start_time=t,
                duration_s=_durations(rng, n),
            )
            k = int(rng.integers(3, 9))
            t = _times(rng, k)
            rows.add(
                "messages",
                sender=world.business_phone(np.full(k, x), t),
                receiver=world.business_phone(np.full(k, broker), t),
                sent_at=t,
                app="telegram",
                text="老地方见",
            )
        for mule in rng.choice(mules, size=min(2, len(mules)), replace=False).tolist():
            for _ in range(int(rng.integers(2, 6))):
                _bank(
                    world,
                    rows,
                    payer=(world.bank_card([mule])[0], world.names[mule]),
                    payee=(world.bank_card([broker])[0], world.names[broker]),
                    amount=float(round(rng.uniform(5000, 50000), 2)),
                    at=int(_times(rng, 1)[0]),
                    memo="借款",
                    payer_side=True,
                    payee_side=True,
                    bank=int(world.bank_of([mule])[0]),
                )

    # Adverts: sellers post on group chats and the popular forum with a contact phone and a payment account.
    for k, seller in enumerate(sellers.tolist()):
        for j in range(int(rng.integers(2, 9))):
            site, kind = FORUM if rng.random() < 0.3 else GROUPS[int(rng.integers(0, len(GROUPS)))]
            slang = V.SLANG[int(rng.integers(0, len(V.SLANG)))]
            tpl = V.AD_TEMPLATES[int(rng.integers(0, len(V.AD_TEMPLATES)))]
            mule, acct_kind, acct = mule_accounts[int(rng.integers(0, len(mule_accounts)))]
            pay = acct if acct_kind == "alipay" else world.alipay([mule])[0]
            posted = int(_times(rng, 1)[0])
            rows.add(
                "posts",
                site=site,
                site_kind=kind,
                post_id=f"{r:05d}{k:03d}{j:02d}",
                handle=world.telegram([seller])[0],
                handle_platform="telegram",
                posted_at=posted,
                text=tpl.format(slang=slang, courier="闪送", app="飞机", phone="见下", pay="支付宝"),
                contact_phone=int(world.business_phone(seller, posted)) if rng.random() < 0.7 else 0,
                payment_handle=pay if rng.random() < 0.6 else "",
                payment_platform="alipay",
            )

    # Logins: the ring's accounts are run from a few shared devices and IPs.
    ips, devices = world.ring_ips(r), world.ring_devices(r)
    for x in np.concatenate([org, sellers, mules]).tolist():
        accounts = [("telegram", world.telegram([x])[0]), ("wechat", world.wechat([x])[0])]
        if world.role[x] == MULE:
            accounts = [("alipay", a) for _, k, a in mule_accounts if k == "alipay" and _ == x] or accounts[1:]
        for platform, handle in accounts:
            n = int(rng.integers(3, 12))
            rows.add(
                "logins",
                platform=platform,
                handle=handle,
                ip=[ips[int(v)] for v in rng.integers(0, len(ips), n)],
                imei=[devices[int(v)] for v in rng.integers(0, len(devices), n)],
                at=_times(rng, n),
            )

    # Address books of the seized handsets.
    for x in m.tolist():
        if not is_seized[x]:
            continue
        owner = int(world.business_phone(x))
        mates = [y for y in m.tolist() if y != x and (world.role[x] == ORGANISER or rng.random() < 0.6)]
        mates += brokers if world.role[x] == ORGANISER else []
        for y in mates:
            style = rng.random()
            saved = (
                world.names[y]
                if style < 0.3
                else (
                    V.typo(world.names[y], int(rng.integers(0, 99)))
                    if style < 0.45
                    else V.alias(world.names[y], int(rng.integers(0, 99)))
                )
            )
            rows.add("contacts", owner_phone=owner, contact_name=saved, contact_phone=int(world.business_phone(y)))
        for kin in noise[rng.integers(0, len(noise), int(rng.integers(2, 6)))].tolist():
            rows.add(
                "contacts", owner_phone=owner, contact_name=world.names[kin], contact_phone=int(world.phone_number[kin])
            )
        if rng.random() < 0.3:
            rows.add(
                "contacts",
                owner_phone=owner,
                contact_name="快递驿站",
                contact_phone=int(world.phone_number[world.depot]),
            )
    for buyer in buyers:
        if is_seized[buyer] and len(sellers):
            seller = int(rng.choice(sellers))
            rows.add(
                "contacts",
                owner_phone=int(world.phone_number[buyer]),
                contact_name=V.alias(world.names[seller], int(rng.integers(0, 99))),
                contact_phone=int(world.business_phone(seller)),
            )


def _mule_accounts(world: World, mules: np.ndarray) -> list[tuple[int, str, str]]:
    """(mule, platform, handle) of every account the ring's mules lend: bank cards and Alipay logins."""
    out = []
    for x in mules.tolist():
        for k in range(world.mule_cards(x)):
            out.append((x, "bank", str(world.bank_card([x], k)[0])))
        out.append((x, "alipay", str(world.alipay([x], 1)[0])))
    return out


def _supplier_payments(world: World, rows: Rows) -> None:
    """Organisers pay their supplier's account by bank transfer, now and then."""
    rng = _rng(world.seed, 5)
    suppliers = world.indices(SUPPLIER)
    for r in range(world.params.rings):
        org = int(world.members_of(r)[0])
        s = int(suppliers[int(world.ring_supplier[r])])
        for _ in range(int(rng.integers(2, 6))):
            _bank(
                world,
                rows,
                payer=(world.bank_card([org])[0], world.names[org]),
                payee=(world.bank_card([s])[0], world.names[s]),
                amount=float(round(rng.uniform(2e4, 2e5), 2)),
                at=int(_times(rng, 1)[0]),
                memo="货款",
                payer_side=True,
                payee_side=False,
                bank=int(world.bank_of([org])[0]),
            )


def _bank(
    world: World,
    rows: Rows,
    *,
    payer: tuple[str, str],
    payee: tuple[str, str],
    amount: float,
    at: int,
    memo: str,
    payer_side: bool,
    payee_side: bool,
    bank: int,
) -> None:
    """One transfer as it appears in the payer's statement (out) and/or the payee's (in)."""
    if payer_side:
        rows.add(
            "bank_statement",
            account_no=str(payer[0]),
            holder_name=payer[1],
            counterparty_account=str(payee[0]),
            counterparty_name=payee[1],
            direction="out",
            amount=amount,
            at=at,
            memo=memo,
            bank=V.BANKS[bank],
        )
    if payee_side:
        rows.add(
            "bank_statement",
            account_no=str(payee[0]),
            holder_name=payee[1],
            counterparty_account=str(payer[0]),
            counterparty_name=payer[1],
            direction="in",
            amount=amount,
            at=at,
            memo=memo,
            bank=V.BANKS[bank],
        )


def _payment(
    rows: Rows,
    platform: str,
    payer: str,
    payer_name: str,
    payee: str,
    payee_name: str,
    amount: float,
    at: int,
    memo: str,
) -> None:
    # Deterministic across runs (no hash(): string hashing is randomised per process).
    order = f"{platform[:2].upper()}{at:010d}{zlib.crc32(f'{payer}>{payee}:{amount}'.encode()):010d}"
    rows.add(
        "payments",
        platform=platform,
        payer_account=str(payer),
        payer_name=payer_name,
        payee_account=str(payee),
        payee_name=payee_name,
        amount=amount,
        at=at,
        memo=memo,
        order_no=order,
    )


def _waybill(
    world: World,
    rows: Rows,
    rng: np.random.Generator,
    *,
    sender_name: str,
    sender_phone: int,
    sender_address: str,
    receiver_name: str,
    receiver_phone: int,
    receiver_address: str,
    item: str,
    weight: float,
    sent: int,
) -> None:
    company = int(rng.integers(0, len(V.COURIERS)))
    number = f"{V.COURIER_CODES[company]}{int(rng.integers(10**11, 10**12))}"
    rows.add(
        "waybills",
        waybill=number,
        courier=V.COURIERS[company],
        sender_name=sender_name,
        sender_phone=sender_phone,
        sender_address=sender_address,
        receiver_name=receiver_name,
        receiver_phone=receiver_phone,
        receiver_address=receiver_address,
        item=item,
        weight_kg=weight,
        sent_at=sent,
        delivered_at=sent + int(rng.integers(20, 80)) * 3600,
    )


def roster_rows(world: World, r: int, buyers: list[int], brokers: list[int]) -> dict[str, list] | None:
    """Suspect rosters of ring r's cases: a main case, and for leftovers the city's joint sweep case.

    Every member is listed in at least one case, one row per identifier (phone or account).
    """
    rng = _rng(world.seed, 200, r)
    m = world.members_of(r).tolist()
    city = (r * 7 + world.seed) % len(V.CITIES)
    city_name, _, code = V.CITIES[city]
    main = (f"A{code}2024{r:05d}", f"{city_name[-3:-1]}“{V.SLANG[r % len(V.SLANG)]}”贩毒案")
    sweep = (f"A{code}2024J{city:02d}", f"{city_name[-3:-1]}禁毒专项行动")
    listed: list[tuple[tuple[str, str], int, str]] = []
    for x in m:
        in_main = world.role[x] == ORGANISER or rng.random() < 0.75
        listed.append((main if in_main else sweep, x, ROLE_ZH[int(world.role[x])]))
    for b in brokers:
        if rng.random() < 0.6 or b == brokers[0]:
            listed.append((main, b, ROLE_ZH[BROKER]))
    for b in buyers:
        if rng.random() < 0.15:
            listed.append((sweep, b, ROLE_ZH[BUYER]))
    cols: dict[str, list] = defaultdict(list)
    ids = world.id_number(np.array([x for _, x, _ in listed]))
    for (case, x, role), idn in zip(listed, ids, strict=True):
        phones = world.listed_phones(x)
        accounts = [("wechat", str(world.wechat([x])[0])), ("alipay", str(world.alipay([x])[0]))]
        if world.role[x] in (SELLER, ORGANISER, BROKER):
            accounts.append(("telegram", str(world.telegram([x])[0])))
        accounts += [("bank", str(world.bank_card([x], k)[0])) for k in range(world.mule_cards(x))]
        if world.role[x] == MULE:
            accounts.append(("alipay", str(world.alipay([x], 1)[0])))
        for j in range(max(len(phones), len(accounts))):
            platform, handle = accounts[j] if j < len(accounts) else ("", "")
            for col, val in zip(
                COLUMNS["roster"],
                (
                    case[0],
                    case[1],
                    world.names[x],
                    idn,
                    phones[j] if j < len(phones) else 0,
                    world.homes[x] if j == 0 else "",
                    role,
                    platform,
                    handle,
                ),
                strict=True,
            ):
                cols[col].append(val)
    return dict(cols) if cols else None


def decoy_chunks(world: World) -> Iterator[Chunk]:
    """Busy legitimate places that look like the trade's: collection points and shops that sweep takings."""
    rng = _rng(world.seed, 400)
    rows = Rows()
    noise = world.noise
    for address in world.decoy_depots():
        # Many people collect parcels here under their own names; some send returns from here.
        n = int(rng.integers(150, 300))
        receivers = noise[rng.integers(0, len(noise), n)].tolist()
        senders = noise[rng.integers(0, len(noise), n)].tolist()
        merchants = world.indices(MERCHANT)
        for k, (s, r) in enumerate(zip(senders, receivers, strict=True)):
            sent = int(_times(rng, 1)[0])
            _waybill(
                world,
                rows,
                rng,
                sender_name=world.names[s],
                sender_phone=int(world.phone_number[s]),
                sender_address=world.homes[s],
                receiver_name=world.names[r],
                receiver_phone=int(world.phone_number[r]),
                receiver_address=address,
                item=V.ITEMS_NOISE[int(rng.integers(0, len(V.ITEMS_NOISE)))],
                weight=float(round(rng.uniform(0.1, 5), 2)),
                sent=sent,
            )
            if k % 6 == 0:
                shop = int(merchants[int(rng.integers(0, len(merchants)))])
                _waybill(
                    world,
                    rows,
                    rng,
                    sender_name=world.names[r],
                    sender_phone=int(world.phone_number[r]),
                    sender_address=address,
                    receiver_name=world.names[shop],
                    receiver_phone=int(world.phone_number[shop]),
                    receiver_address=world.homes[shop],
                    item="退货",
                    weight=float(round(rng.uniform(0.1, 3), 2)),
                    sent=sent + int(rng.integers(2, 10)) * 86_400,
                )
    for shop in world.decoy_shops().tolist():
        # Customers pay the shop's own Alipay; the day's takings go to the owner's account after midnight.
        account, owner_account = world.alipay([shop])[0], world.alipay([shop], 1)[0]
        owner = int(noise[(shop * 13) % len(noise)])
        n = int(rng.integers(120, 260))
        payers = rng.choice(noise, size=min(n, len(noise)), replace=False)
        t = np.sort(_times(rng, len(payers)))
        amount = np.round(np.exp(rng.normal(4.5, 1.0, len(payers))), 2)
        for payer, at, value in zip(payers.tolist(), t.tolist(), amount.tolist(), strict=True):
            _payment(rows, "alipay", world.alipay([payer])[0], world.names[payer], account, world.names[shop],
                     value, at, "商品")  # fmt: skip
        days = t // 86_400
        for day in np.unique(days).tolist():
            total = float(round(amount[days == day].sum() * 0.994, 2))  # less the platform's fee
            _payment(rows, "alipay", account, world.names[shop], owner_account, world.names[owner], total,
                     (day + 1) * 86_400 + int(rng.integers(0, 3600)), "提现")  # fmt: skip
    yield from rows.chunks()


def noise_chunks(world: World) -> Iterator[Chunk]:
    """The ordinary population: sparse, heavy-tailed and mostly unattached to the rings."""
    noise = world.noise
    weight = world.contact_degree(noise).astype(np.float64) ** 1.5
    cdf = np.cumsum(weight / weight.sum())
    p = world.people
    plan = [
        ("cdr", 5 * p),
        ("messages", 3 * p // 2),
        ("bank_statement", 3 * p // 2),
        ("payments", p),
        ("waybills", 2 * p // 5),
        ("posts", p // 20),
        ("logins", p // 2),
        ("contacts", p // 100),
    ]
    merchants = world.indices(MERCHANT)
    for kind_no, (kind, total) in enumerate(plan):
        for c, start in enumerate(range(0, total, CHUNK)):
            rng = _rng(world.seed, 300 + kind_no, c)
            n = min(CHUNK, total - start)
            who = noise[np.minimum(np.searchsorted(cdf, rng.random(n)), len(noise) - 1)]
            k = (rng.random(n) * world.contact_degree(who)).astype(np.int64)
            peer = world.noise_contact(who, k)
            t = _times(rng, n)
            yield from _noise_kind(world, kind, rng, who, peer, t, merchants, start)


def _noise_kind(
    world: World,
    kind: str,
    rng: np.random.Generator,
    who: np.ndarray,
    peer: np.ndarray,
    t: np.ndarray,
    merchants: np.ndarray,
    start: int,
) -> Iterator[Chunk]:
    n = len(who)
    names = np.array(world.names, dtype=object)
    homes = np.array(world.homes, dtype=object)
    if kind == "cdr":
        yield Chunk(
            kind,
            {
                "caller": world.phone_number[who],
                "callee": world.phone_number[peer],
                "start_time": t,
                "duration_s": _durations(rng, n),
            },
        )
    elif kind == "messages":
        texts = np.array(["在吗", "晚上吃什么", "收到", "好的", "明天见", "[图片]", "哈哈", "到家了"], dtype=object)
        yield Chunk(
            kind,
            {
                "sender": world.phone_number[who],
                "receiver": world.phone_number[peer],
                "sent_at": t,
                "app": np.where(rng.random(n) < 0.8, "wechat", "sms"),
                "text": texts[rng.integers(0, len(texts), n)],
            },
        )
    elif kind == "bank_statement":
        # Family transfers appear in both statements; platform top-ups and salaries only in the person's own.
        what = rng.random(n)
        amount = np.round(np.exp(rng.normal(6.0, 1.2, n)), 2)
        peer = world.relative(who, rng.integers(0, 3, n))
        card, peer_card = world.bank_card(who), world.bank_card(peer)
        bank = np.array(V.BANKS, dtype=object)[world.bank_of(who)]
        memos = np.array(V.NOISE_MEMOS, dtype=object)[rng.integers(0, len(V.NOISE_MEMOS), n)]
        family = what < 0.4
        top_up, withdraw = (what >= 0.4) & (what < 0.7), (what >= 0.7) & (what < 0.85)
        salary = what >= 0.97
        # Many small employers, each paying a handful of people: payroll is not a hub.
        employer = world.people + who // 8
        cp = np.where(family, peer_card, np.where(salary, world.bank_card(employer), SETTLEMENT_ACCOUNT))
        firms = np.array(
            [f"{V.ROADS[e % 31]}{V.ROADS[(e // 31) % 31]}{V.ITEMS_NOISE[e % 9]}有限公司" for e in (who // 8).tolist()],
            dtype=object,
        )
        cp_name = np.where(family, names[peer], np.where(salary, firms, SETTLEMENT_NAME))
        direction = np.where(family | top_up, "out", "in")
        memo = np.where(top_up, "支付宝充值", np.where(withdraw, "支付宝提现", np.where(salary, "工资", memos)))
        yield Chunk(
            kind,
            {
                "account_no": card,
                "holder_name": names[who],
                "counterparty_account": cp,
                "counterparty_name": cp_name,
                "direction": direction,
                "amount": amount,
                "at": t,
                "memo": memo,
                "bank": bank,
            },
        )
        f = np.flatnonzero(family)
        yield Chunk(
            kind,
            {
                "account_no": peer_card[f],
                "holder_name": names[peer[f]],
                "counterparty_account": card[f],
                "counterparty_name": names[who[f]],
                "direction": np.full(len(f), "in"),
                "amount": amount[f],
                "at": t[f],
                "memo": memo[f],
                "bank": np.array(V.BANKS, dtype=object)[world.bank_of(peer[f])],
            },
        )
    elif kind == "payments":
        shop = rng.random(n) < 0.6
        payee = np.where(
            shop, merchants[rng.integers(0, len(merchants), n)], world.relative(who, rng.integers(0, 3, n))
        )
        platform = np.where(shop | (rng.random(n) < 0.3), "alipay", "wechatpay")
        payer_h = np.where(platform == "alipay", world.alipay(who), world.wechat(who))
        payee_h = np.where(
            shop, ESCROW_ACCOUNT, np.where(platform == "alipay", world.alipay(payee), world.wechat(payee))
        )
        amount = np.round(np.exp(rng.normal(4.5, 1.0, n)), 2)
        order = np.char.add("N", (V.bijection(np.arange(start, start + n), 10**15, 7) + 10**15).astype(str))
        memo = np.where(shop, "商品", np.where(rng.random(n) < 0.5, "红包", ""))
        yield Chunk(
            kind,
            {
                "platform": platform,
                "payer_account": payer_h,
                "payer_name": names[who],
                "payee_account": payee_h,
                "payee_name": np.where(shop, ESCROW_NAME, names[payee]),
                "amount": amount,
                "at": t,
                "memo": memo,
                "order_no": order,
            },
        )
    elif kind == "waybills":
        # Seized waybill exports are requested for people, so they hold personal parcels, not shop orders.
        shop = np.zeros(n, dtype=bool)
        sender = np.where(shop, merchants[rng.integers(0, len(merchants), n)], peer)
        company = rng.integers(0, len(V.COURIERS), n)
        number = np.char.add(
            np.array(V.COURIER_CODES)[company],
            (V.bijection(np.arange(start, start + n), 10**12, 11) + 10**12).astype(str),
        )
        items = np.array(V.ITEMS_NOISE, dtype=object)[rng.integers(0, len(V.ITEMS_NOISE), n)]
        delivered = t + rng.integers(20, 100, n) * 3600
        yield Chunk(
            kind,
            {
                "waybill": number,
                "courier": np.array(V.COURIERS, dtype=object)[company],
                "sender_name": names[sender],
                "sender_phone": world.phone_number[sender],
                "sender_address": homes[sender],
                "receiver_name": names[who],
                "receiver_phone": world.phone_number[who],
                "receiver_address": homes[who],
                "item": items,
                "weight_kg": np.round(rng.uniform(0.1, 5, n), 2),
                "sent_at": t,
                "delivered_at": delivered,
            },
        )
        # The depot's clerk rings nearly every receiver when the parcel arrives.
        # It also rings everyone whose shop orders it delivers, which the waybill exports do not show.
        rings = rng.random(n) < 0.9
        extra = world.noise[rng.integers(0, len(world.noise), 2 * n)]
        callee = np.concatenate([who[rings], extra])
        yield Chunk(
            "cdr",
            {
                "caller": np.full(len(callee), world.phone_number[world.depot]),
                "callee": world.phone_number[callee],
                "start_time": np.concatenate([delivered[rings], _times(rng, len(extra))]),
                "duration_s": rng.integers(10, 60, len(callee)),
            },
        )
    elif kind == "posts":
        tpl = np.array(V.NOISE_POSTS, dtype=object)[rng.integers(0, len(V.NOISE_POSTS), n)]
        district = [V.CITIES[h % len(V.CITIES)][1][0] for h in who.tolist()]
        text = [s.format(district=d) for s, d in zip(tpl.tolist(), district, strict=True)]
        qq = (V.bijection(who, 9 * 10**8, 13) + 10**8).astype(str)
        phone = np.where(rng.random(n) < 0.1, world.phone_number[who], 0)
        yield Chunk(
            kind,
            {
                "site": np.full(n, FORUM[0], dtype=object),
                "site_kind": np.full(n, FORUM[1], dtype=object),
                "post_id": np.char.add("n", np.arange(start, start + n).astype(str)),
                "handle": qq,
                "handle_platform": np.full(n, "qq", dtype=object),
                "posted_at": t,
                "text": text,
                "contact_phone": phone,
                "payment_handle": np.full(n, "", dtype=object),
                "payment_platform": np.full(n, "", dtype=object),
            },
        )
    elif kind == "logins":
        home_ip = V.bijection(who, 2**24, 19)
        ips = [f"36.{v >> 16}.{(v >> 8) & 255}.{v & 255}" for v in home_ip.tolist()]
        ip = np.where(rng.random(n) < 0.15, PUBLIC_WIFI_IP, np.array(ips, dtype=object))
        yield Chunk(
            kind,
            {
                "platform": np.full(n, "wechat", dtype=object),
                "handle": world.wechat(who),
                "ip": ip,
                "imei": np.array(V.imeis(who, 23), dtype=object),
                "at": t,
            },
        )
    elif kind == "contacts":
        # Witnesses' handsets: their acquaintances, saved under their names.
        owner = np.repeat(who[: max(1, n // 10)], 10)[:n]
        k = np.tile(np.arange(10), max(1, n // 10))[:n]
        friend = world.noise_contact(owner, k % world.contact_degree(owner))
        yield Chunk(
            kind,
            {
                "owner_phone": world.phone_number[owner],
                "contact_name": names[friend],
                "contact_phone": world.phone_number[friend],
            },
        )


def chunks(world: World) -> Iterator[Chunk]:
    """Every event of the world, criminal first (ring by ring), then the ordinary population."""
    yield from criminal_chunks(world)
    yield from decoy_chunks(world)
    yield from noise_chunks(world)
