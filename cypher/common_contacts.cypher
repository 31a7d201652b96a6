// title: Common contacts of two phones
// category: Search
// description: >
//   Phones and accounts that both of two phones (or accounts) called, messaged or saved as a contact,
//   with how often each side was in touch and who owns the common contact.
// params:
//   - {name: first, type: identifier, help: First phone or account, example: "13800138000"}
//   - {name: second, type: identifier, help: Second phone or account, example: "13900139000"}
//   - {name: limit, type: integer, default: 100, help: Maximum number of common contacts}
// columns: [contact, owners, with_first, with_second, score, a, b, links]
// draw: {nodes: [a, b, contact], relationships: [links], score: score}
CALL () {
  MATCH (n:Phone {number: $first}) RETURN n
  UNION
  MATCH (n:Account {account_id: $first}) RETURN n
  UNION
  MATCH (n:Account {handle: $first}) RETURN n
}
WITH n AS a LIMIT 1
CALL () {
  MATCH (n:Phone {number: $second}) RETURN n
  UNION
  MATCH (n:Account {account_id: $second}) RETURN n
  UNION
  MATCH (n:Account {handle: $second}) RETURN n
}
WITH a, n AS b LIMIT 1
MATCH (a)-[la:CALLED|MESSAGED|HAS_CONTACT]-(contact)-[lb:CALLED|MESSAGED|HAS_CONTACT]-(b)
WHERE contact <> a AND contact <> b AND a <> b
WITH a, b, contact, collect(DISTINCT la) AS las, collect(DISTINCT lb) AS lbs
OPTIONAL MATCH (contact)<-[:HAS_PHONE|HAS_ACCOUNT]-(owner:Person)
WITH a, b, contact, las, lbs, collect(DISTINCT owner.name) AS owners
RETURN contact, owners, size(las) AS with_first, size(lbs) AS with_second,
       CASE WHEN size(las) < size(lbs) THEN size(las) ELSE size(lbs) END AS score, a, b, las + lbs AS links
ORDER BY score DESC, with_first + with_second DESC
LIMIT $limit
