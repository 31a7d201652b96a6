"""The ground truth written beside the exports: who is in which ring, with which identifiers.

Identifiers are written the way the graph keys them (docs/model.md): Person
`id:<ID number>`, phones in E.164, accounts `<platform>:<handle>`, addresses
as text (the evaluator normalises them as the loaders do).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from devtools.scenario import events
from devtools.scenario.world import (
    BROKER,
    BUYER,
    DEPOT,
    ESCROW_ACCOUNT,
    FORUM,
    MEMBER_ROLES,
    MULE,
    PUBLIC_WIFI_IP,
    ROLE_NAMES,
    SETTLEMENT_ACCOUNT,
    SUPPLIER,
    World,
)


def e164(number: int) -> str:
    return f"+86{number:011d}"


def ring_id(r: int) -> str:
    return f"R{r:04d}"


def ground_truth(world: World, manifest: dict[str, Any]) -> dict[str, Any]:
    buyers_by_ring = events.ring_buyers(world)
    brokers_by_ring = events.ring_brokers(world)
    planted = np.flatnonzero(np.isin(world.role, (*MEMBER_ROLES, BROKER, SUPPLIER, BUYER)))
    ids = dict(zip(planted.tolist(), world.id_number(planted), strict=True))
    rings_of: dict[int, list[str]] = defaultdict(list)
    for r in range(world.params.rings):
        for x in world.members_of(r).tolist():
            rings_of[x].append(ring_id(r))
    for r, bs in brokers_by_ring.items():
        for b in bs:
            rings_of[b].append(ring_id(r))
    for r, bs in buyers_by_ring.items():
        for b in bs:
            rings_of[b].append(ring_id(r))
    suppliers = world.indices(SUPPLIER)
    for s, rs in enumerate(world.supplier_rings):
        rings_of[int(suppliers[s])].extend(ring_id(r) for r in rs)

    people = {}
    for x in planted.tolist():
        role = int(world.role[x])
        accounts = [f"wechat:{world.wechat([x])[0]}", f"alipay:{world.alipay([x])[0]}"]
        accounts += [f"bank:{world.bank_card([x], k)[0]}" for k in range(world.mule_cards(x))]
        if role in (BROKER,) or role in MEMBER_ROLES:
            accounts.append(f"telegram:{world.telegram([x])[0]}")
        if role == MULE:
            accounts.append(f"alipay:{world.alipay([x], 1)[0]}")
        phones = [e164(p) for p in world.phones_of(x)]
        if role == SUPPLIER:
            s = int(np.flatnonzero(suppliers == x)[0])
            phones += [e164(world.supplier_phone(s, r, j)) for r in world.supplier_rings[s] for j in range(4)]
        people[f"id:{ids[x]}"] = {
            "name": world.names[x],
            "id_number": ids[x],
            "role": ROLE_NAMES[role],
            "rings": sorted(rings_of[x]),
            "phones": phones,
            "accounts": accounts,
            "address": world.homes[x],
        }

    rings = []
    for r in range(world.params.rings):
        m = world.members_of(r)
        mules = m[world.role[m] == MULE]
        rings.append(
            {
                "ring_id": ring_id(r),
                "members": [f"id:{ids[x]}" for x in m.tolist()],
                "roles": {f"id:{ids[x]}": ROLE_NAMES[int(world.role[x])] for x in m.tolist()},
                "brokers": [f"id:{ids[b]}" for b in brokers_by_ring.get(r, [])],
                "supplier": f"id:{ids[int(suppliers[int(world.ring_supplier[r])])]}",
                "drop_addresses": world.ring_drops(r),
                "mule_accounts": [f"{p}:{h}" for _, p, h in events._mule_accounts(world, mules)],
                "buyers": len(buyers_by_ring.get(r, [])),
            }
        )

    cases: dict[str, dict[str, Any]] = {}
    holders: dict[str, set[str]] = defaultdict(set)
    for r in range(world.params.rings):
        rows = events.roster_rows(world, r, buyers_by_ring.get(r, []), brokers_by_ring.get(r, []))
        for k in range(len(rows["case_id"]) if rows else 0):
            case = rows["case_id"][k]
            entry = cases.setdefault(case, {"case_id": case, "title": rows["case_title"][k], "people": set()})
            entry["people"].add(f"id:{rows['id_number'][k]}")
            holders[f"id:{rows['id_number'][k]}"].add(case)
            if rows["phone"][k]:
                holders[e164(rows["phone"][k])].add(case)
            if rows["account_handle"][k]:
                holders[f"{rows['account_platform'][k]}:{rows['account_handle'][k]}"].add(case)
    shared: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for ident, cs in holders.items():
        if len(cs) > 1:
            shared[tuple(sorted(cs))].append(ident)

    return {
        "seed": world.seed,
        "scale": world.params.people,
        "params": vars(world.params),
        "rings": rings,
        "people": people,
        "brokers": sorted(f"id:{ids[b]}" for b in world.indices(BROKER).tolist()),
        "suppliers": [
            {
                "person": f"id:{ids[int(suppliers[s])]}",
                "rings": [ring_id(r) for r in rs],
                "dispatch_address": world.homes[int(suppliers[s])],
            }
            for s, rs in enumerate(world.supplier_rings)
        ],
        "drop_addresses": sorted({a for ring in rings for a in ring["drop_addresses"]}),
        "mule_accounts": sorted({a for ring in rings for a in ring["mule_accounts"]}),
        "hubs": {
            "courier_depot_phone": e164(int(world.phone_number[int(world.indices(DEPOT)[0])])),
            "settlement_account": f"bank:{SETTLEMENT_ACCOUNT}",
            "marketplace_escrow_account": f"alipay:{ESCROW_ACCOUNT}",
            "popular_forum": f"{FORUM[1]}:{FORUM[0]}",
            "public_wifi_ip": PUBLIC_WIFI_IP,
        },
        "cases": [
            {"case_id": c["case_id"], "title": c["title"], "people": sorted(c["people"])}
            for c in sorted(cases.values(), key=lambda c: c["case_id"])
        ],
        "shared_identifiers": [
            {"cases": list(cs), "identifiers": sorted(idents)} for cs, idents in sorted(shared.items())
        ],
        "files": manifest["files"],
        "bad_rows": manifest["bad_rows"],
        "knobs": {
            "params": world.params.knobs(),
            "burners": {
                f"id:{ids[x]}": [
                    {"phone": e164(number), "from_day": start // 86_400, "listed": listed}
                    for number, start, listed in world.burners_of(x)
                ]
                for x in np.flatnonzero(world.burner >= 0).tolist()
            },
            "missing": {
                f["file"]: {"written": f["rows"], "dropped": manifest.get("dropped_rows", {}).get(f["file"], 0)}
                for f in manifest["files"]
            },
            "aliases": manifest.get("aliases", {}),
            "decoys": {
                "addresses": world.decoy_depots(),
                "accounts": [f"alipay:{a}" for a in world.alipay(world.decoy_shops()).tolist()],
            },
        },
    }
