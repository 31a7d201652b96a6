"""The Cypher a centre runs on its own graph to build its linkage index and answer detail requests.

All reads. Each identifier query returns the stored key, the cases that involve a person holding
it, and how many relationships touch it.
"""

from __future__ import annotations

# kind (explorer.model.IDENTIFIERS) -> query returning (value, case ids, relationship count).
IDENTIFIERS = {
    "phone": """
MATCH (n:Phone) WHERE n.number IS NOT NULL
RETURN n.number AS value,
       [(n)<-[:HAS_PHONE]-(:Person)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases,
       COUNT { (n)--() } AS links
""",
    "account": """
MATCH (n:Account) WHERE n.account_id IS NOT NULL
RETURN n.account_id AS value,
       [(n)<-[:HAS_ACCOUNT]-(:Person)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases,
       COUNT { (n)--() } AS links
""",
    "id_number": """
MATCH (n:Person) WHERE n.id_number IS NOT NULL
RETURN n.id_number AS value,
       [(n)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases,
       COUNT { (n)--() } AS links
""",
    "device": """
MATCH (n:Device) WHERE n.imei IS NOT NULL
RETURN n.imei AS value,
       [(n)<-[:USES_DEVICE]-(:Person)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases,
       COUNT { (n)--() } AS links
""",
    "ip": """
MATCH (n:IPAddress) WHERE n.ip IS NOT NULL
RETURN n.ip AS value, [] AS cases, COUNT { (n)--() } AS links
""",
    "address": """
MATCH (n:Address) WHERE n.address_id IS NOT NULL
RETURN n.address_id AS value,
       [(n)<-[:LIVES_AT]-(:Person)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases,
       COUNT { (n)--() } AS links
""",
    "parcel": """
MATCH (n:Parcel) WHERE n.waybill IS NOT NULL
RETURN n.waybill AS value, [] AS cases, COUNT { (n)--() } AS links
""",
}

PERSONS = """
MATCH (p:Person) WHERE p.name IS NOT NULL
RETURN p.name AS name, p.birth_year AS birth_year, p.birth_date AS birth_date, p.id_number AS id_number,
       [(p)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases
"""

CASES = """
MATCH (c:Case)
RETURN c.case_id AS case_id, COUNT { (c)-[:INVOLVES]->(:Person) } AS persons
"""

# Details the owning centre sends for a hit: who holds the identifier, in which cases.
HOLDERS = {
    "phone": """
MATCH (:Phone {number: $value})<-[:HAS_PHONE]-(p:Person)
RETURN p.name AS name, [(p)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases
""",
    "account": """
MATCH (:Account {account_id: $value})<-[:HAS_ACCOUNT]-(p:Person)
RETURN p.name AS name, [(p)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases
""",
    "id_number": """
MATCH (p:Person {id_number: $value})
RETURN p.name AS name, [(p)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases
""",
    "device": """
MATCH (:Device {imei: $value})<-[:USES_DEVICE]-(p:Person)
RETURN p.name AS name, [(p)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases
""",
    "address": """
MATCH (:Address {address_id: $value})<-[:LIVES_AT]-(p:Person)
RETURN p.name AS name, [(p)<-[:INVOLVES]-(c:Case) | c.case_id] AS cases
""",
}
