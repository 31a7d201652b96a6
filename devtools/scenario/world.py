"""The planted world: who exists, who belongs to which ring, and every event between them.

People are rows of numpy arrays (index = person number); events are produced in
bounded chunks of columnar rows so the benchmark scale never holds more than a
chunk in memory. Every random draw comes from a generator keyed by
(seed, purpose[, ring]) so the world is a pure function of seed and scale.

Layout of person indices: ring members first (ring by ring), then brokers,
suppliers, buyers, merchants (shops that send parcels and take payments), the
courier depot's clerk, then the ordinary population.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

import numpy as np

from devtools.scenario import names as V

NOISE, BUYER, ORGANISER, SELLER, COURIER, MULE, BROKER, SUPPLIER, MERCHANT, DEPOT = range(10)
ROLE_NAMES = ["noise", "buyer", "organiser", "seller", "courier", "mule", "broker", "supplier", "merchant", "depot"]
MEMBER_ROLES = (ORGANISER, SELLER, COURIER, MULE)

EPOCH = np.datetime64("2024-01-01T00:00:00")
PERIOD_S = 180 * 86_400
SCALES = {"demo": 3_000, "bench": 240_000}
CHUNK = 200_000

# Columns of each export kind, in the contract's canonical order.
COLUMNS = {
    "cdr": ["caller", "callee", "start_time", "duration_s"],
    "messages": ["sender", "receiver", "sent_at", "app", "text"],
    "contacts": ["owner_phone", "contact_name", "contact_phone"],
    "bank_statement": [
        "account_no",
        "holder_name",
        "counterparty_account",
        "counterparty_name",
        "direction",
        "amount",
        "at",
        "memo",
        "bank",
    ],
    "payments": [
        "platform",
        "payer_account",
        "payer_name",
        "payee_account",
        "payee_name",
        "amount",
        "at",
        "memo",
        "order_no",
    ],
    "waybills": [
        "waybill",
        "courier",
        "sender_name",
        "sender_phone",
        "sender_address",
        "receiver_name",
        "receiver_phone",
        "receiver_address",
        "item",
        "weight_kg",
        "sent_at",
        "delivered_at",
    ],
    "posts": [
        "site",
        "site_kind",
        "post_id",
        "handle",
        "handle_platform",
        "posted_at",
        "text",
        "contact_phone",
        "payment_handle",
        "payment_platform",
    ],
    "roster": [
        "case_id",
        "case_title",
        "name",
        "id_number",
        "phone",
        "address",
        "role",
        "account_platform",
        "account_handle",
    ],
    "logins": ["platform", "handle", "ip", "imei", "at"],
}
KINDS = list(COLUMNS)
# Columns holding phone numbers (formatted per source) and times (seconds since EPOCH).
PHONE_COLUMNS = {"caller", "callee", "owner_phone", "contact_phone", "sender_phone", "receiver_phone", "phone"}
TIME_COLUMNS = {"start_time", "sent_at", "at", "delivered_at", "posted_at"}
NAME_COLUMNS = {"holder_name", "counterparty_name", "payer_name", "payee_name", "sender_name", "receiver_name"}

SETTLEMENT_NAME = "支付宝（中国）网络技术有限公司"
SETTLEMENT_ACCOUNT = "1202026219900012345"
# Shop purchases on Alipay are paid to the marketplace's escrow account, not to the shop.
ESCROW_NAME = "浙江天猫网络有限公司"
ESCROW_ACCOUNT = "2088101117955611"
FORUM = ("本地生活论坛", "forum")
GROUPS = [("同城交流群", "group"), ("暗语交易群", "group"), ("飞行俱乐部", "forum")]
PUBLIC_WIFI_IP = "117.136.12.1"


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng([seed, *key])


def _rotation_s(weeks: float) -> int:
    return max(1, int(weeks * 7 * 86_400))


def _generations(weeks: float) -> int:
    """How many burners a holder goes through in the period (one more for the phase offset)."""
    return 1 if weeks <= 0 else PERIOD_S // _rotation_s(weeks) + 2


@dataclass
class Params:
    """How big each population is (derived from one number, the population size) and how hard the
    exports are to read (the adversarial knobs of docs/scenario.md, on by default)."""

    people: int
    rings: int
    brokers: int
    suppliers: int
    buyers: int
    merchants: int
    burner_weeks: float = 4.0  # a trade phone is replaced this often; 0: never
    burner_link_share: float = 0.5  # share of later burners the rosters list for their holder
    missing_share: float = 0.10  # share of event rows dropped from the exports
    alias_share: float = 0.15  # share of (person, export) pairs spelling the name another way
    decoy_depots: int = -1  # busy parcel collection points; -1: rings / 6, at least 1
    decoy_shops: int = -1  # shops taking direct payments and sweeping them on; -1: rings / 6, at least 1

    PLAIN: ClassVar[dict[str, float | int]] = {"burner_weeks": 0.0, "burner_link_share": 1.0, "missing_share": 0.0, "alias_share": 0.0,
             "decoy_depots": 0, "decoy_shops": 0}  # fmt: skip

    @classmethod
    def for_scale(cls, scale: str | int, **knobs: float | int) -> Params:
        if isinstance(scale, str) and not scale.isdigit():
            if scale not in SCALES:
                raise ValueError(f"Unknown scale {scale!r}: use demo, bench or a number of people.")
            people = SCALES[scale]
        else:
            people = int(scale)
        if people < 200:
            raise ValueError(f"Scale {people} is too small: a world needs at least 200 people.")
        rings = max(2, round(people / 250))
        unknown = set(knobs) - set(cls.PLAIN)
        if unknown:
            raise ValueError(f"Unknown scenario knobs {sorted(unknown)}: use {sorted(cls.PLAIN)}.")
        params = cls(
            people=people,
            rings=rings,
            brokers=max(2, round(rings * 0.4)),
            suppliers=max(1, round(rings / 4)),
            buyers=max(10, round(people * 0.06)),
            merchants=max(5, round(people / 400)),
            **knobs,  # type: ignore[arg-type]
        )
        for name in ("decoy_depots", "decoy_shops"):
            if getattr(params, name) < 0:
                setattr(params, name, max(1, round(rings / 6)))
        params.decoy_shops = min(params.decoy_shops, params.merchants)
        if not 0 <= params.missing_share < 1 or not 0 <= params.alias_share <= 1:
            raise ValueError("The missing and alias shares are fractions: missing below 1, alias at most 1.")
        if not 0 <= params.burner_link_share <= 1 or params.burner_weeks < 0:
            raise ValueError("Burner weeks are 0 or more and the burner link share is a fraction.")
        return params

    def knobs(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.PLAIN}


@dataclass
class World:
    """Everyone in the scenario and the fixed facts about them (no events)."""

    seed: int
    params: Params
    role: np.ndarray = field(repr=False)
    ring: np.ndarray = field(repr=False)  # primary ring, -1 if none
    ring_start: np.ndarray = field(repr=False)  # ring r members are ring_start[r]:ring_start[r+1]
    broker_rings: list[list[int]] = field(repr=False)
    supplier_rings: list[list[int]] = field(repr=False)
    ring_supplier: np.ndarray = field(repr=False)
    buyer_rings: list[list[int]] = field(repr=False)
    names: list[str] = field(repr=False)
    homes: list[str] = field(repr=False)
    phone_number: np.ndarray = field(repr=False)  # by phone index; person i's own phone is index i
    phone_owner: np.ndarray = field(repr=False)
    burner: np.ndarray = field(repr=False)  # person -> its first burner's phone index, or -1
    burner_phase: np.ndarray = field(repr=False)  # person -> seconds into its rotation at the start
    burner_listed: np.ndarray = field(repr=False)  # (burner slot, generation) -> the rosters list it
    id_salt: int = 0

    # -- construction ------------------------------------------------------

    @classmethod
    def build(cls, scale: str | int, seed: int, **knobs: float | int) -> World:
        p = Params.for_scale(scale, **knobs)
        rng = _rng(seed, 1)
        sizes = np.clip(np.round(8 + rng.pareto(1.5, p.rings) * 8), 8, 60).astype(np.int64)
        members = int(sizes.sum())
        fixed = members + p.brokers + p.suppliers + p.buyers + p.merchants + 1
        if fixed > p.people * 0.45:
            raise ValueError(f"Scale {p.people} leaves too little ordinary population; use a larger scale.")
        people = p.people
        role = np.full(people, NOISE, dtype=np.int8)
        ring = np.full(people, -1, dtype=np.int32)
        ring_start = np.concatenate([[0], np.cumsum(sizes)])
        for r in range(p.rings):
            a, n = ring_start[r], sizes[r]
            n_org = 1 + int(n >= 20)
            n_sell = max(1, round(0.3 * n))
            n_cour = max(1, round(0.2 * n))
            roles = [ORGANISER] * n_org + [SELLER] * n_sell + [COURIER] * n_cour
            roles += [MULE] * (n - len(roles))
            role[a : a + n] = roles
            ring[a : a + n] = r
        cursor = members
        role[cursor : cursor + p.brokers] = BROKER
        broker_rings = []
        for _ in range(p.brokers):
            k = 2 + int(rng.random() < 0.25 and p.rings > 2)
            broker_rings.append(sorted(rng.choice(p.rings, size=k, replace=False).tolist()))
        cursor += p.brokers
        role[cursor : cursor + p.suppliers] = SUPPLIER
        ring_supplier = rng.integers(0, p.suppliers, p.rings)
        supplier_rings = [np.flatnonzero(ring_supplier == s).tolist() for s in range(p.suppliers)]
        cursor += p.suppliers
        role[cursor : cursor + p.buyers] = BUYER
        buyer_rings = []
        for _ in range(p.buyers):
            first = int(rng.integers(0, p.rings))
            rings_of = [first]
            if rng.random() < 0.03 and p.rings > 1:
                other = int(rng.integers(0, p.rings - 1))
                rings_of.append(other + (other >= first))
            buyer_rings.append(rings_of)
        cursor += p.buyers
        role[cursor : cursor + p.merchants] = MERCHANT
        cursor += p.merchants
        role[cursor] = DEPOT

        names_rng = _rng(seed, 2)
        sur = np.minimum(names_rng.zipf(1.3, people) - 1, len(V.SURNAMES) - 1)
        g1 = names_rng.integers(0, len(V.GIVEN), people)
        g2 = np.where(names_rng.random(people) < 0.7, names_rng.integers(0, len(V.GIVEN), people), -1)
        names = [V.person_name(a, b, c) for a, b, c in zip(sur.tolist(), g1.tolist(), g2.tolist(), strict=True)]
        merchant_ix = np.flatnonzero(role == MERCHANT)
        for k, m in enumerate(merchant_ix.tolist()):
            names[m] = f"{V.CITIES[k % len(V.CITIES)][0][-3:-1]}{V.ROADS[k % len(V.ROADS)]}{V.ITEMS_NOISE[k % 9]}旗舰店"
        names[int(np.flatnonzero(role == DEPOT)[0])] = "快递驿站"

        # Ring members live in their ring's city; everyone else anywhere.
        city = names_rng.integers(0, len(V.CITIES), people)
        city[:members] = (ring[:members] * 7 + seed) % len(V.CITIES)
        salt = names_rng.integers(1, 2**31, 4)
        homes_r = V.bijection(np.arange(people), 2**31 - 1, int(salt[0]))
        homes = [V.address(int(c), int(h)) for c, h in zip(city.tolist(), homes_r.tolist(), strict=True)]

        # Criminals and brokers often carry a second (burner) phone.
        criminal = np.isin(role, (*MEMBER_ROLES, BROKER))
        has_burner = criminal & (names_rng.random(people) < 0.45)
        burner = np.full(people, -1, dtype=np.int64)
        holders = int(has_burner.sum())
        burner[has_burner] = people + np.arange(holders)
        # Rotated burners: generation g of slot k is phone people + g * holders + k. Its own draws, so the
        # rest of the world does not move when the knob does.
        rot_rng = _rng(seed, 6)
        generations = _generations(p.burner_weeks)
        burner_phase = np.zeros(people, dtype=np.int64)
        if generations > 1:
            burner_phase[has_burner] = rot_rng.integers(0, _rotation_s(p.burner_weeks), holders)
        burner_listed = rot_rng.random((holders, generations)) < p.burner_link_share
        burner_listed[:, 0] = True
        n_phones = people + holders * generations + 4 * p.suppliers * max(1, p.rings)
        phone_number = V.phone_numbers(np.arange(n_phones), int(salt[1]))
        phone_owner = np.full(n_phones, -1, dtype=np.int64)
        phone_owner[:people] = np.arange(people)
        for g in range(generations):
            phone_owner[burner[has_burner] + g * holders] = np.flatnonzero(has_burner)
        return cls(
            seed=seed,
            params=p,
            role=role,
            ring=ring,
            ring_start=ring_start,
            broker_rings=broker_rings,
            supplier_rings=supplier_rings,
            ring_supplier=ring_supplier,
            buyer_rings=buyer_rings,
            names=names,
            homes=homes,
            phone_number=phone_number,
            phone_owner=phone_owner,
            burner=burner,
            burner_phase=burner_phase,
            burner_listed=burner_listed,
            id_salt=int(salt[2]),
        )

    # -- identifiers -------------------------------------------------------

    @property
    def people(self) -> int:
        return self.params.people

    def members_of(self, r: int) -> np.ndarray:
        return np.arange(self.ring_start[r], self.ring_start[r + 1])

    def indices(self, role: int) -> np.ndarray:
        return np.flatnonzero(self.role == role)

    @cached_property
    def noise(self) -> np.ndarray:
        return self.indices(NOISE)

    @cached_property
    def depot(self) -> int:
        return int(self.indices(DEPOT)[0])

    def id_number(self, people: np.ndarray) -> list[str]:
        return V.id_numbers(np.asarray(people), self.id_salt)

    @cached_property
    def burner_holders(self) -> int:
        return int((self.burner >= 0).sum())

    @cached_property
    def generations(self) -> int:
        return _generations(self.params.burner_weeks)

    def burner_generation(self, i: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Which of person i's burners is in use at time t (0 when burners are not rotated)."""
        if self.generations == 1:
            return np.zeros(np.broadcast(np.asarray(i), np.asarray(t)).shape, dtype=np.int64)
        g = (np.asarray(t, dtype=np.int64) + self.burner_phase[np.asarray(i)]) // _rotation_s(self.params.burner_weeks)
        return np.minimum(g, self.generations - 1)

    def burners_of(self, i: int) -> list[tuple[int, int, bool]]:
        """Person i's burners in order of use: (11-digit number, second it came into use, listed in rosters)."""
        if self.burner[i] < 0:
            return []
        slot = int(self.burner[i]) - self.people
        out = []
        for g in range(self.generations):
            start = 0 if g == 0 else g * _rotation_s(self.params.burner_weeks) - int(self.burner_phase[i])
            if start >= PERIOD_S - 5 * 86_400:  # events end five days before the period does
                break
            number = int(self.phone_number[self.burner[i] + g * self.burner_holders])
            out.append((number, max(0, start), bool(self.burner_listed[slot, g])))
        return out

    def phones_of(self, i: int) -> list[int]:
        """E.164-less 11-digit numbers of one person: own phone first, then every burner in order of use."""
        return [int(self.phone_number[i])] + [b[0] for b in self.burners_of(i)]

    def listed_phones(self, i: int) -> list[int]:
        """The numbers an ownership record (a suspect roster) gives for person i."""
        return [int(self.phone_number[i])] + [b[0] for b in self.burners_of(i) if b[2]]

    def business_phone(self, i: np.ndarray, t: np.ndarray | int | None = None) -> np.ndarray:
        """The number a criminal uses for the trade at time t: the burner then in use when there is one.

        Without a time, the burner in use at the end of the period (the handset a seizure finds)."""
        i = np.asarray(i)
        b = self.burner[i]
        at = np.full(i.shape, PERIOD_S - 5 * 86_400 - 1) if t is None else np.asarray(t)
        current = np.maximum(b, 0) + self.burner_generation(i, at) * self.burner_holders
        return np.where(b >= 0, self.phone_number[current], self.phone_number[i])

    def supplier_phone(self, s: int, r: int, j: int = 0) -> int:
        """Suppliers rotate burners: four per ring they ship to, none shared between rings."""
        base = self.people + self.burner_holders * self.generations
        return int(self.phone_number[base + (s * self.params.rings + r) * 4 + j % 4])

    def bank_card(self, i: np.ndarray, k: int = 0) -> np.ndarray:
        """19-digit UnionPay card numbers (as strings): person i's k-th card."""
        i = np.asarray(i, dtype=np.int64)
        h = V.bijection(i * 4 + k, 10**15, self.id_salt + 17)
        return np.char.add("6222", np.char.zfill(h.astype(str), 15))

    def bank_of(self, i: np.ndarray, k: int = 0) -> np.ndarray:
        return (np.asarray(i, dtype=np.int64) * 4 + k) % len(V.BANKS)

    def wechat(self, i: np.ndarray) -> np.ndarray:
        h = V.bijection(np.asarray(i, dtype=np.int64), 36**10, self.id_salt + 29)
        return np.char.add("wxid_", np.array([np.base_repr(v, 36).lower().zfill(10) for v in h.tolist()]))

    def telegram(self, i: np.ndarray) -> np.ndarray:
        h = V.bijection(np.asarray(i, dtype=np.int64), 10**6, self.id_salt + 31)
        words = np.array(["ice", "candy", "leaf", "fly", "snow", "tea", "star", "moon"])
        return np.char.add(np.char.add(words[h % len(words)], "_"), (h // 8).astype(str))

    def alipay(self, i: np.ndarray, k: int = 0) -> np.ndarray:
        """Alipay logins are phone numbers, or for a mule's extra accounts e-mail addresses."""
        i = np.asarray(i, dtype=np.int64)
        if k == 0:
            return self.phone_number[i].astype(str)
        h = V.bijection(i * 4 + k, 10**8, self.id_salt + 37)
        return np.char.add(np.char.add("zf", h.astype(str)), "@163.com")

    def mule_cards(self, i: int) -> int:
        """How many bank cards a mule lends to the ring (others have one)."""
        return 2 + (i * 7 + self.seed) % 3 if self.role[i] == MULE else 1

    def ring_drops(self, r: int) -> list[str]:
        """Drop addresses of ring r: rented rooms and a parcel locker in the ring's city."""
        city = (r * 7 + self.seed) % len(V.CITIES)
        n = 1 + (r * 5 + self.seed) % 3
        out = []
        for k in range(n):
            h = int(V.bijection(np.array([r * 8 + k]), 2**31 - 1, self.id_salt + 41)[0])
            if k == 2:
                city_name, districts, _ = V.CITIES[city]
                out.append(
                    f"{city_name}{districts[h % len(districts)]}{V.ROADS[h % 31]}路{h % 90 + 1}号{V.LOCKER}{h % 40 + 1}号柜"
                )
            else:
                out.append(V.address(city, h) + "（出租屋）")
        return out

    def decoy_depots(self) -> list[str]:
        """Busy parcel collection points, each in the city of a ring (where drops are): decoys, not drops."""
        out = []
        for d in range(self.params.decoy_depots):
            city = ((d * 5 % max(1, self.params.rings)) * 7 + self.seed) % len(V.CITIES)
            h = int(V.bijection(np.array([d]), 2**31 - 1, self.id_salt + 61)[0])
            city_name, districts, _ = V.CITIES[city]
            out.append(f"{city_name}{districts[h % len(districts)]}{V.ROADS[h % 31]}路{h % 200 + 1}号{V.DEPOT_SHOP}")
        return out

    def decoy_shops(self) -> np.ndarray:
        """Merchants taking payments straight into their own Alipay account: decoys, not mules."""
        return self.indices(MERCHANT)[: self.params.decoy_shops]

    def ring_ips(self, r: int) -> list[str]:
        h = V.bijection(np.array([r * 2, r * 2 + 1]), 2**24, self.id_salt + 43)
        return [f"113.{v >> 16}.{(v >> 8) & 255}.{v & 255}" for v in h.tolist()][: 1 + r % 2]

    def ring_devices(self, r: int) -> list[str]:
        return V.imeis(np.arange(r * 4, r * 4 + 2 + r % 3), self.id_salt + 47)

    def noise_contact(self, i: np.ndarray, k: np.ndarray) -> np.ndarray:
        """The k-th acquaintance of ordinary person i: implicit, so nothing is stored per pair."""
        noise_start = int(self.indices(DEPOT)[0]) + 1
        n = self.people - noise_start
        pos = np.asarray(i, dtype=np.int64) - noise_start
        k = np.asarray(k, dtype=np.int64)
        h = V.bijection(pos * 32 + k, n - 1, self.id_salt + 53)
        # Most acquaintances live nearby (a neighbourhood of a few hundred), one in twelve anywhere.
        near = (h % 300) - 150
        off = np.where(k % 12 == 11, h + 1, np.where(near >= 0, near + 1, near))
        return noise_start + (pos + off) % n

    def relative(self, i: np.ndarray, r: np.ndarray) -> np.ndarray:
        """A member of ordinary person i's household (households of four): family money stays inside it."""
        noise_start = int(self.indices(DEPOT)[0]) + 1
        n = self.people - noise_start
        pos = np.asarray(i, dtype=np.int64) - noise_start
        kin = (pos // 4) * 4 + (pos % 4 + 1 + np.asarray(r, dtype=np.int64) % 3) % 4
        return noise_start + np.where(kin < n, kin, pos)

    def contact_degree(self, i: np.ndarray) -> np.ndarray:
        """Heavy-tailed number of acquaintances (2..20), a fixed function of the person."""
        h = V.bijection(np.asarray(i, dtype=np.int64), 10**6, self.id_salt + 59) / 10**6
        return np.minimum(2 + np.floor(1.5 / np.maximum(h, 1e-6) ** 0.6), 20).astype(np.int64)


@dataclass
class Chunk:
    """Columnar rows of one export kind: column name -> array or list."""

    kind: str
    cols: dict[str, object]
    seized: np.ndarray | None = None  # rows copied into a seized-handset extraction as well

    def __len__(self) -> int:
        return len(next(iter(self.cols.values())))  # type: ignore[arg-type]
